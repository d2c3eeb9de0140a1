"""schema.org JSON-LD of a library resource (issue 15): the type by kind (a study is a
ScholarlyArticle, a report a Report, anything else a CreativeWork…), its authors as persons or
organizations, its file; on SITE_URL."""

import pytest

from library.jsonld import author
from library.services import library_index_get_or_create
from tests.core.search_engines import PUBLIC, assert_no_local_address, get, of_type
from tests.library.helpers import resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]


@pytest.mark.parametrize(("kind", "schema_type"), [
    ("article", "ScholarlyArticle"), ("report", "Report"), ("case_study", "Report"),
    ("monograph", "Book"), ("brochure", "CreativeWork"), ("other", "CreativeWork"),
])
def test_resource_page_has_json_ld_of_its_kind(client, kind, schema_type):
    index = library_index_get_or_create(language="fr")
    page = resource(index, title=f"Ressource {kind}", ref=f"res-{kind.replace('_', '-')}", resource_type=kind,
                    authors="International Labour Office; Ndiaye, Aïssatou", year=2007,
                    publisher="BIT", summary="Ce que le programme a appris des mutuelles.")
    html = get(client, page.url)
    data = of_type(html, schema_type)
    assert data["name"] == f"Ressource {kind}"
    assert data["url"] == PUBLIC + page.url
    assert data["datePublished"] == "2007"
    assert data["author"] == [{"@type": "Organization", "name": "International Labour Office"},
                              {"@type": "Person", "name": "Ndiaye, Aïssatou"}]
    assert data["inLanguage"] == "fr" and data["abstract"].startswith("Ce que")
    assert_no_local_address(html.split("</head>")[0])


def test_authors_that_are_organizations():
    for name in ("Secrétariat technique", "La Concertation", "OMS", "Ministère de la Santé"):
        assert author(name)["@type"] == "Organization", name
    for name in ("Aïssatou Ndiaye", "Ndiaye, Aïssatou"):
        assert author(name)["@type"] == "Person", name
