"""The open data as a reference: the current data and each release in BibTeX, RIS and CSL-JSON, read
as reference managers read them; a release's title says its version once."""

import json

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import SeparateCoAuthors, SplitNameParts
from django.urls import reverse
from django.utils import timezone, translation

from inventory.models import InventoryState, Release
from inventory.opendata import releases
from inventory.opendata.package import AUTHOR
from portal.accounts.roles import Role
from tests.core.test_citations import check_csl
from tests.factories import UserFactory
from tests.inventory.open_data import build_inventory

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(f"inventory:{name}", args=args)


@pytest.fixture
def release():
    build_inventory()
    return releases.release_publish(
        name="Inventaire 2025", version="1.0", changelog="", user=UserFactory(roles=[Role.SECRETARIAT]),
        inventory_version=InventoryState.current_version())


def exports(client, name, *args):
    """{format: (response, body)} of the three exports."""
    out = {}
    for fmt in ("bibtex", "ris", "csl-json"):
        response = client.get(url(name, *args, fmt))
        assert response.status_code == 200, fmt
        out[fmt] = (response, response.content.decode())
    return out


def test_a_release_is_a_versioned_data_set_by_one_corporate_author(client, release):
    found = exports(client, "release_cite", "inventaire-2025", "1.0")
    page = f"http://testserver{url('release_detail', 'inventaire-2025', '1.0')}"
    published = timezone.localtime(release.published_at).date()

    response, text = found["bibtex"]
    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert 'filename="inventaire-2025-v1.0.bib"' in response["Content-Disposition"]
    library = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors(), SplitNameParts()])
    (entry,) = library.entries
    assert entry.entry_type == "misc" and entry.key == "inventaire-2025-v1.0"
    assert entry["title"] == "{Inventaire 2025}" and entry["version"] == "1.0"
    [author] = entry["author"]
    assert (author.first, author.last) == ([], ["{" + AUTHOR + "}"])  # one name, not a person's
    assert entry["url"] == page and entry["date"] == published.isoformat()

    response, text = found["ris"]
    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    (ris,) = rispy.loads(text)
    assert ris["type_of_reference"] == "DATA" and ris["authors"] == [AUTHOR]
    assert ris["title"] == "Inventaire 2025" and ris["edition"] == "1.0" and ris["urls"] == [page]

    response, text = found["csl-json"]
    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    data = json.loads(text)
    check_csl(data)
    (item,) = data
    assert item["type"] == "dataset" and item["author"] == [{"literal": AUTHOR}]
    assert item["title"] == "Inventaire 2025" and item["version"] == "1.0" and item["URL"] == page
    assert item["issued"] == {"date-parts": [[published.year, published.month, published.day]]}


def test_a_release_title_says_its_version_once(client, release):
    """Not "Inventaire 2025 v1.0 (version 1.0)": the title is the name, the version its own field."""
    texts = [b"".join(client.get(url("release_file", "inventaire-2025", "1.0", name)).streaming_content)
             .decode() for name in ("CITATION.cff", "datapackage.json", "codebook.html")]
    texts += [body for _response, body in exports(client, "release_cite", "inventaire-2025", "1.0").values()]
    texts += [releases.citation(release, "fr"), releases.citation(release, "en")]
    for text in texts:
        assert "v1.0" not in text.replace("inventaire-2025-v1.0", ""), text[:300]
    package = json.loads(texts[1])
    assert (package["title"], package["version"]) == ("Inventaire 2025", "1.0")


def test_the_current_data_are_cited_with_the_access_date(client):
    build_inventory()
    today = timezone.localdate()
    found = exports(client, "datasets_cite")
    (entry,) = bibtexparser.parse_string(found["bibtex"][1]).entries
    assert entry.entry_type == "misc" and entry["urldate"] == today.isoformat()
    assert "version" not in entry.fields_dict
    (ris,) = rispy.loads(found["ris"][1])
    assert ris["type_of_reference"] == "DATA" and ris["access_date"] == f"{today:%Y/%m/%d}"
    (item,) = json.loads(found["csl-json"][1])
    assert item["accessed"] == {"date-parts": [[today.year, today.month, today.day]]}
    assert item["title"] == "Inventory of mutual health organizations: current data"


def test_the_exports_are_offered_beside_the_citation_and_unknown_formats_are_404(client, release):
    for page, name, args in ((url("datasets"), "datasets_cite", ()),
                             (url("release_detail", "inventaire-2025", "1.0"), "release_cite",
                              ("inventaire-2025", "1.0"))):
        html = client.get(page).content.decode()
        for fmt in ("bibtex", "ris", "csl-json"):
            assert f'href="{url(name, *args, fmt)}"' in html
        assert client.get(url(name, *args, "endnote")).status_code == 404
    assert client.get(url("release_cite", "inventaire-2025", "9.9", "ris")).status_code == 404
    assert Release.objects.count() == 1
