"""schema.org JSON-LD of the open data (issue 15): a DataCatalog with the current Dataset on the
datasets page, a Dataset on each release page, with distributions, licence, creator, coverage and
version; every URL on SITE_URL (what Google Dataset Search reads)."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from inventory.models import Release, ReleaseFile
from inventory.opendata import package
from tests.core.search_engines import PUBLIC, assert_no_local_address, get, json_ld, of_type
from tests.factories import MutualFactory, ReturnFactory, network_country

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_address")]



@pytest.fixture
def data():
    mali = network_country("ML")
    mutual = MutualFactory(country=mali, contact_name="Moussa Contact", contact_email="moussa@example.org")
    ReturnFactory(mutual=mutual, year=2021, state="validated")
    ReturnFactory(mutual=mutual, year=2023, state="validated")
    release = Release.objects.create(name="Inventaire 2025", slug="inventaire-2025", version="1.0",
                                     published_at=timezone.now(), inventory_version=1, returns_count=2,
                                     synthesis_count=2)
    for filename in package.FILES:
        ReleaseFile.objects.create(release=release, filename=filename, file=f"releases/x/{filename}",
                                   sha256="0" * 64, size=1234)
    return release


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(name, args=args)


def check_dataset(dataset, page_url):
    assert dataset["@type"] == "Dataset"
    assert dataset["url"] == PUBLIC + page_url
    assert len(dataset["description"]) >= 50  # Google's minimum
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["creator"]["@type"] == "Organization" and dataset["creator"]["name"] == package.AUTHOR
    assert dataset["temporalCoverage"] == "2021/2023"
    assert {"@type": "Country", "name": "Mali", "identifier": "ML"} in dataset["spatialCoverage"]
    formats = {item["encodingFormat"] for item in dataset["distribution"]}
    assert {"text/csv", "application/vnd.apache.parquet", "application/zip",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"} <= formats
    for item in dataset["distribution"]:
        assert item["@type"] == "DataDownload" and item["contentUrl"].startswith(PUBLIC + "/")


def test_datasets_page_has_a_data_catalog_with_the_current_dataset_and_the_releases(client, data):
    html = get(client, url("inventory:datasets"))
    catalog = of_type(html, "DataCatalog")
    assert catalog["url"] == PUBLIC + url("inventory:datasets")
    current, release = catalog["dataset"]
    check_dataset(current, url("inventory:datasets"))
    assert PUBLIC + url("inventory:dataset_file", "returns.csv") in [
        item["contentUrl"] for item in current["distribution"]]
    assert release["version"] == "1.0"
    assert release["url"] == PUBLIC + url("inventory:release_detail", "inventaire-2025", "1.0")
    assert_no_local_address(str(json_ld(html)))
    assert "Moussa" not in html.split("</head>")[0]


def test_release_page_has_a_dataset_with_version_and_its_frozen_files(client, data):
    path = url("inventory:release_detail", "inventaire-2025", "1.0", language="fr")
    html = get(client, path)
    dataset = of_type(html, "Dataset")
    check_dataset(dataset, path)
    assert dataset["version"] == "1.0"
    assert dataset["includedInDataCatalog"]["@type"] == "DataCatalog"
    urls = [item["contentUrl"] for item in dataset["distribution"]]
    returns_csv = url("inventory:release_file", "inventaire-2025", "1.0", "returns.csv", language="fr")
    assert PUBLIC + returns_csv in urls
    # The data files, not the descriptions (codebook, CITATION.cff, datapackage.json).
    assert not any(u.endswith(("CITATION.cff", "codebook.html")) for u in urls)
    assert all(item["contentSize"] == "1234 B" for item in dataset["distribution"])
    assert_no_local_address(str(json_ld(html)))


def test_json_ld_is_escaped_inside_its_script(client, data):
    from inventory.opendata.jsonld import release_dataset
    from portal.core.jsonld import script

    dataset = release_dataset(data)
    dataset["name"] = "A </script><script>alert(1)</script> & <b>"
    html = str(script(dataset))
    assert html.count("</script>") == 1 and "<b>" not in html and "&" not in html.split(">", 1)[1]
    assert json_ld(html)[0]["name"] == "A </script><script>alert(1)</script> & <b>"
