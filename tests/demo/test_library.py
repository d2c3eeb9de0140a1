"""The demo's library, loaded by `load_demo` (`demo_site`): its English project profile of seed 002 with
its dated indicators, its case study whose generated PDF is searched and downloaded, and every library
page of the demo answering in both languages."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from django.test import override_settings

from library.models import LibraryIndexPage, ProjectProfilePage, ResourcePage
from tests.library.helpers import first_hit_download

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


@pytest.fixture
def demo_index():
    """The search index of the demo library. `demo_site` loads the demo inside a transaction that is
    never committed, so the indexing that publication schedules after the commit does not run: the
    index is rebuilt from the demo pages, as `load_demo` on a real database leaves it."""
    with override_settings(ELASTICSEARCH_URL=""):
        call_command("rebuild_library_index")
        yield


def test_project_profiles_of_the_demo_in_english(client):
    page = ProjectProfilePage.objects.get(ref="demo-project-utm")
    response = client.get(page.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kénéya Sabatili" in html and "Learning agenda" in html and "Sikasso" in html
    assert "Beneficiaries" in html  # the dated indicator table
    doc = page.to_search_document()
    assert doc.resource_type == "project_profile" and doc.countries == ("ML",) and doc.year == 2011


def test_the_demo_file_is_searched_and_downloadable(client, settings, demo_media_root, demo_index):
    """The demo library has a case study whose PDF says "Mali" (its summary does not)."""
    settings.MEDIA_ROOT = demo_media_root
    response = client.get("/fr/bibliotheque/", {"q": "mutuelles Mali", "type": "case_study"})
    assert response.status_code == 200
    html = response.content.decode()
    block = html.split('class="library-hits"', 1)[1].split("</ol>", 1)[0]
    titles = [unescape(t) for t in re.findall(r"<h3><a href=\"[^\"]*\">(.*?)</a></h3>", block, re.S)]
    assert titles == ["Fusionner des mutuelles de santé : l'expérience de Sikasso"]
    data = first_hit_download(client, html)
    assert data.startswith(b"%PDF-") and b"Sikasso" in data


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_demo_library_pages_answer_in_both_languages(client, settings, demo_media_root, language):
    settings.MEDIA_ROOT = demo_media_root
    index = LibraryIndexPage.objects.get(locale__language_code=language)
    assert client.get(index.url).status_code == 200
    pages = ResourcePage.objects.live().filter(locale=index.locale)
    assert pages.exists()
    for page in pages:
        response = client.get(page.url)
        assert response.status_code == 200
        assert client.get(page.url + "cite/ris/").status_code == 200
