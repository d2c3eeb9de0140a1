"""Harvestable open data (issue 15): the DCAT-AP catalogue (JSON-LD) of the current data and the
releases, each release's DataCite XML (kernel 4), and the DOI the secretariat records once minted,
given by every citation of the release. Every address on SITE_URL, whatever host the request used."""

import json
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from inventory.models import Release, ReleaseFile
from inventory.models.releases import normalize_doi
from inventory.opendata import package, releases
from portal.accounts.roles import Role
from tests.core.search_engines import PUBLIC, REQUEST_HOST, assert_no_local_address, get, json_ld
from tests.factories import MutualFactory, ReturnFactory, UserFactory, network_country

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_address")]

DCAT = "http://www.w3.org/ns/dcat#"
KERNEL = "{http://datacite.org/schema/kernel-4}"
DOI = "10.12345/inventaire-2025-v1.0"



@pytest.fixture
def data():
    mali = network_country("ML")
    mutual = MutualFactory(country=mali, contact_name="Moussa Contact", contact_email="moussa@example.org")
    ReturnFactory(mutual=mutual, year=2021, state="validated")
    ReturnFactory(mutual=mutual, year=2023, state="validated")
    first = Release.objects.create(name="Inventaire 2025", slug="inventaire-2025", version="1.0",
                                   published_at=timezone.now() - timezone.timedelta(days=30),
                                   inventory_version=1, returns_count=2, synthesis_count=2)
    second = Release.objects.create(name="Inventaire 2025", slug="inventaire-2025", version="1.1",
                                    published_at=timezone.now(), inventory_version=2, returns_count=2,
                                    synthesis_count=2, changelog="Two amounts corrected.")
    for release in (first, second):
        for filename in package.FILES:
            ReleaseFile.objects.create(release=release, filename=filename,
                                       file=f"releases/{release.folder}/{filename}",
                                       sha256="ab" * 32, size=1234)
    return first


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"inventory:{name}", args=args)


def catalogue(client, language="en"):
    response = client.get(url("dcat_catalogue", language=language), HTTP_HOST=REQUEST_HOST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    return response.content.decode()


def expand(term: str, context: dict) -> str:
    prefix, _sep, local = term.partition(":")
    return context[prefix] + local


# --- DCAT-AP --------------------------------------------------------------------------------------

def test_the_catalogue_is_dcat_ap_json_ld_with_the_current_data_and_every_release(client, data):
    text = catalogue(client)
    assert text == catalogue(client, language="fr")  # one catalogue at both addresses
    assert url("dcat_catalogue", language="fr").endswith("/catalogue.jsonld")
    doc = json.loads(text)
    context = doc["@context"]
    assert expand(doc["@type"], context) == DCAT + "Catalog"
    # DCAT-AP's mandatory properties of a catalogue.
    for prop in ("dct:title", "dct:description", "dct:publisher", "dcat:dataset"):
        assert doc[prop], prop
    assert doc["dct:publisher"]["foaf:name"] == package.AUTHOR

    current, *versions = doc["dcat:dataset"]
    assert [d["owl:versionInfo"] for d in versions] == ["1.0", "1.1"]
    for dataset in doc["dcat:dataset"]:
        assert expand(dataset["@type"], context) == DCAT + "Dataset"
        for prop in ("dct:title", "dct:description", "dcat:contactPoint", "dct:publisher", "dcat:theme",
                     "dcat:keyword", "dct:language", "dct:temporal", "dct:spatial", "dcat:distribution"):
            assert dataset[prop], (dataset["@id"], prop)
        assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2021-01-01"
        assert dataset["dct:temporal"]["dcat:endDate"]["@value"] == "2023-12-31"
        assert dataset["dct:spatial"][0]["dct:identifier"] == "ML"
        assert dataset["dcat:contactPoint"]["@type"] == "vcard:Organization"
        for distribution in dataset["dcat:distribution"]:
            assert expand(distribution["@type"], context) == DCAT + "Distribution"
            assert distribution["dcat:accessURL"]["@id"] == distribution["dcat:downloadURL"]["@id"]
            assert distribution["dct:license"]["@id"] == package.LICENSE_URL
            assert distribution["dcat:mediaType"]["@id"].startswith("https://www.iana.org/assignments/media-types/")
            assert distribution["dct:format"]["@id"].startswith(
                "http://publications.europa.eu/resource/authority/file-type/")
    assert current["dct:hasVersion"] == [{"@id": d["@id"]} for d in versions]
    old, new = versions
    assert new["dcat:previousVersion"] == {"@id": old["@id"]}
    assert new["adms:versionNotes"] == "Two amounts corrected."
    assert new["dct:issued"]["@value"] == timezone.localdate().isoformat()
    frozen = {d["dct:title"]: d for d in old["dcat:distribution"]}
    assert set(frozen) == {"returns.csv", "synthesis.csv", "returns.parquet", "synthesis.parquet",
                           "inventory.xlsx", "inventory.zip"}
    assert frozen["returns.csv"]["dcat:byteSize"]["@value"] == "1234"
    assert frozen["returns.csv"]["spdx:checksum"]["spdx:checksumValue"]["@value"] == "ab" * 32
    assert frozen["returns.csv"]["dcat:downloadURL"]["@id"] == PUBLIC + url(
        "release_file", "inventaire-2025", "1.0", "returns.csv", language="fr")


def test_every_address_of_the_catalogue_is_on_site_url_and_no_person_is_named(client, data):
    text = catalogue(client)
    assert_no_local_address(text)
    assert "Moussa" not in text and "moussa@example.org" not in text

    def addresses(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@id" and value.startswith("http"):
                    yield value
                yield from addresses(value)
        elif isinstance(node, list):
            for item in node:
                yield from addresses(item)

    doc = json.loads(text)
    doc.pop("@context")
    ours = [a for a in addresses(doc) if not a.startswith((
        "http://publications.europa.eu/", "https://www.iana.org/", package.LICENSE_URL))]
    assert ours and all(a.startswith(PUBLIC + "/") for a in ours), ours


def test_no_term_would_be_dropped_by_a_json_ld_processor(client, data):
    """A JSON-LD processor (rdflib, CKAN's harvester) silently drops a key its context does not map:
    every key is a keyword or a prefixed name of the context, every @type too."""
    doc = json.loads(catalogue(client))
    context = doc.pop("@context")
    seen = set()

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key in ("@id", "@value", "@language"):
                    continue
                if key == "@type":
                    assert value.partition(":")[0] in context, value
                    continue
                assert key.partition(":")[0] in context, key
                seen.add(key)
                walk(value)

    walk(doc)
    assert {"dcat:dataset", "dcat:distribution", "dcat:downloadURL", "dct:license"} <= seen


def test_the_contact_point_is_the_secretariat_generic_address_when_configured(client, data, settings):
    settings.OPEN_DATA_CONTACT_EMAIL = "donnees@concertation.example.org"
    contact = json.loads(catalogue(client))["dcat:dataset"][0]["dcat:contactPoint"]
    assert contact["vcard:hasEmail"] == {"@id": "mailto:donnees@concertation.example.org"}


def test_the_open_data_page_links_to_the_catalogue(client, data):
    html = get(client, url("datasets"))
    assert f'href="{url("dcat_catalogue")}" type="application/ld+json"' in html


# --- DataCite ---------------------------------------------------------------------------------------

def datacite(client, release):
    response = client.get(url("release_datacite", release.slug, release.version), HTTP_HOST=REQUEST_HOST)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return response.content


def test_a_release_has_datacite_kernel_4_xml_with_every_mandatory_property(client, data):
    content = datacite(client, data)
    assert_no_local_address(content.decode())
    root = ET.fromstring(content)
    assert root.tag == f"{KERNEL}resource"
    # Kernel 4's mandatory properties.
    identifier = root.find(f"{KERNEL}identifier")
    assert identifier.get("identifierType") == "DOI"
    assert identifier.text == "10.XXXXX/inventaire-2025-v1.0"  # a placeholder until minted
    creator = root.find(f"{KERNEL}creators/{KERNEL}creator/{KERNEL}creatorName")
    assert creator.text == package.AUTHOR and creator.get("nameType") == "Organizational"
    assert root.find(f"{KERNEL}titles/{KERNEL}title").text == "Inventaire 2025"
    assert root.find(f"{KERNEL}publisher").text == package.AUTHOR
    assert root.find(f"{KERNEL}publicationYear").text == str(timezone.localtime(data.published_at).year)
    assert root.find(f"{KERNEL}resourceType").get("resourceTypeGeneral") == "Dataset"
    # The recommended ones the portal knows.
    assert root.find(f"{KERNEL}version").text == "1.0"
    assert root.find(f"{KERNEL}language").text == "fr"
    rights = root.find(f"{KERNEL}rightsList/{KERNEL}rights")
    assert rights.get("rightsURI") == package.LICENSE_URL and rights.get("rightsIdentifier") == "CC-BY-4.0"
    assert root.find(f"{KERNEL}descriptions/{KERNEL}description").get("descriptionType") == "Abstract"
    assert {s.text for s in root.iter(f"{KERNEL}subject")} == set(package.KEYWORDS)
    dates = {d.get("dateType"): d.text for d in root.iter(f"{KERNEL}date")}
    issued = timezone.localtime(data.published_at).date().isoformat()
    assert dates == {"Issued": issued, "Coverage": "2021/2023"}
    assert [p.text for p in root.iter(f"{KERNEL}geoLocationPlace")] == ["Mali"]
    assert root.find(f"{KERNEL}alternateIdentifiers/{KERNEL}alternateIdentifier").text == PUBLIC + url(
        "release_detail", "inventaire-2025", "1.0", language="fr")


def test_a_new_version_points_to_the_previous_one_by_its_doi(client, data):
    Release.objects.filter(pk=data.pk).update(doi=DOI)
    newer = Release.objects.get(version="1.1")
    root = ET.fromstring(datacite(client, newer))
    related = {r.get("relationType"): (r.get("relatedIdentifierType"), r.text)
               for r in root.iter(f"{KERNEL}relatedIdentifier")}
    assert related["IsNewVersionOf"] == ("DOI", DOI)
    assert root.find(f"{KERNEL}identifier").text == "10.XXXXX/inventaire-2025-v1.1"
    older = ET.fromstring(datacite(client, Release.objects.get(pk=data.pk)))
    assert older.find(f"{KERNEL}identifier").text == DOI


# --- The DOI ----------------------------------------------------------------------------------------

def record(client, release, value):
    return client.post(url("release_doi", release.slug, release.version), {"doi": value})


@pytest.mark.parametrize("value", [DOI, f"https://doi.org/{DOI}", f"doi:{DOI}", f"  {DOI} "])
def test_the_secretariat_records_a_doi_given_in_any_usual_form(client, data, value):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    response = record(client, data, value)
    assert response.status_code == 302
    data.refresh_from_db()
    assert data.doi == DOI


@pytest.mark.parametrize("value", ["12345/abc", "10.12/abc", "10.12345", "10.12345/with space",
                                   "https://example.org/10.12345/x"])
def test_a_malformed_doi_is_refused_with_a_clear_error(client, data, value):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    response = record(client, data, value)
    assert response.status_code == 400
    assert "A DOI starts with 10." in response.content.decode()
    data.refresh_from_db()
    assert data.doi == ""


def test_the_secretariat_can_remove_a_doi(client, data):
    Release.objects.filter(pk=data.pk).update(doi=DOI)
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    assert record(client, data, "").status_code == 302
    data.refresh_from_db()
    assert data.doi == ""


@pytest.mark.parametrize("roles", [[Role.FOCAL_POINT], [Role.MEMBER], None])
def test_only_the_secretariat_sets_a_doi(client, data, roles):
    if roles is not None:
        client.force_login(UserFactory(roles=roles))
    response = record(client, data, DOI)
    assert response.status_code in (302, 403)
    if roles is not None:
        assert response.status_code == 403
    else:
        assert "login" in response["Location"]
    data.refresh_from_db()
    assert data.doi == ""
    page = get(client, url("release_detail", data.slug, data.version))
    assert url("release_doi", data.slug, data.version) not in page  # no form either


def test_normalize_doi():
    assert normalize_doi("HTTPS://DOI.ORG/10.1/x") == "10.1/x"
    assert normalize_doi("") == ""


def test_a_recorded_doi_is_in_every_citation_and_on_the_release_page(client, data):
    Release.objects.filter(pk=data.pk).update(doi=DOI)
    data.refresh_from_db()
    link = f"https://doi.org/{DOI}"
    page = get(client, url("release_detail", data.slug, data.version))
    assert f'<a href="{link}">{link}</a>' in page
    for language in ("fr", "en"):
        assert releases.citation(data, language).endswith(link)
    bibtex = get(client, url("release_cite", data.slug, data.version, "bibtex"))
    assert f"doi = {{{DOI}}}" in bibtex
    ris = get(client, url("release_cite", data.slug, data.version, "ris"))
    assert f"DO  - {DOI}\r\n" in ris
    csl = json.loads(get(client, url("release_cite", data.slug, data.version, "csl-json")))
    assert csl[0]["DOI"] == DOI if isinstance(csl, list) else csl["DOI"] == DOI
    dataset = next(item for item in json_ld(page) if item.get("@type") == "Dataset")
    assert dataset["identifier"] == link and dataset["citation"].endswith(link)
    catalogue_doc = json.loads(catalogue(client))
    release_entry = next(d for d in catalogue_doc["dcat:dataset"] if d.get("owl:versionInfo") == "1.0")
    assert release_entry["owl:sameAs"] == {"@id": link}


def test_without_a_doi_the_release_page_says_so_and_the_citation_gives_the_page(client, data):
    page = get(client, url("release_detail", data.slug, data.version))
    assert "None yet: cite the address of this page." in page
    assert url("release_datacite", data.slug, data.version) in page
    assert releases.citation(data, "en").endswith(PUBLIC + url("release_detail", data.slug, data.version))


def test_recording_a_doi_is_in_the_audit_log(client, data):
    user = UserFactory(roles=[Role.SECRETARIAT])
    client.force_login(user)
    record(client, data, DOI)
    entry = ModelLogEntry.objects.get(action="portal.release.doi")
    assert entry.user == user
    assert entry.data["doi"] == DOI and entry.data["previous"] == "—"
