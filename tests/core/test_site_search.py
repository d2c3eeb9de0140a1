"""The header's search (portal/home/search.py): one search for the whole portal, grouped by kind, accent-
and case-insensitive, public things only, bounded (a fixed number of queries, a limited query), and a
result in the other language said to be so (or replaced by its translation in the reader's)."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inventory.models import SupportingOrganization
from library.services import library_index_get_or_create
from portal.reference.models import Country
from tests.factories import MutualFactory, network_country
from tests.library.helpers import resource

pytestmark = pytest.mark.django_db

SEARCH = {"fr": "/fr/recherche/", "en": "/en/search/"}


def found(client, q, language="fr", **params):
    response = client.get(SEARCH[language], {"q": q, **params})
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def group(html, kind):
    """The section of one kind of result ("" when the kind has none)."""
    section = re.search(rf'<section class="search-group" id="found-{kind}".*?</section>', html, re.S)
    return section.group(0) if section else ""


def links(html):
    return [(unescape(href), re.sub(r"<[^>]+>", "", unescape(text)).strip())
            for href, text in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', html, re.S)]


@pytest.fixture
def jaboot():
    network_country("SN")
    return MutualFactory(name="Aar Sa Jaboot", acronym="ASJ", locality="Fatick", region="Fatick",
                         country=Country.objects.get(code="SN"), contact_name="Ndeye Privée",
                         contact_email="ndeye.privee@example.org", contact_phone="+221 77 123 45 67")


@pytest.mark.parametrize("typed", ["Jaboot", "jaboot", "JABOOT", "aar sa", "Fatick jaboot", "ASJ"])
def test_finds_a_mutual_by_name_acronym_or_place(client, jaboot, typed):
    mutuals = group(found(client, typed), "mutuals")
    assert (f"/fr/inventaire/mutuelles/{jaboot.mutual_id}/", "Aar Sa Jaboot (ASJ)") in links(mutuals)


def test_finds_a_mutual_by_its_identifier_first(client, jaboot):
    for number in range(3):
        MutualFactory(name=f"Mutuelle de Fatick {number}", country=jaboot.country)
    for typed in (jaboot.mutual_id, jaboot.mutual_id.lower()):
        mutuals = group(found(client, typed), "mutuals")
        assert links(mutuals)[0] == (f"/fr/inventaire/mutuelles/{jaboot.mutual_id}/", "Aar Sa Jaboot (ASJ)")
        assert "<h2" in mutuals and "(1)" in mutuals  # the identifier names one mutual


def test_finds_only_public_mutuals_and_never_their_contact_person(client, jaboot):
    MutualFactory(name="Mutuelle Jaboot en attente", registration_state="pending")
    MutualFactory(name="Mutuelle Jaboot retirée", is_public=False)
    html = found(client, "Jaboot")
    assert "en attente" not in html and "retirée" not in html
    for private in ("Ndeye", "Privée", "ndeye.privee@example.org", "77 123 45 67"):
        assert private not in html
    # The contact person's name finds nothing: it is not searched.
    assert group(found(client, "Ndeye"), "mutuals") == ""


def test_finds_an_organization_of_the_directory_only(client):
    shown = SupportingOrganization.objects.create(name="Appui aux mutuelles de Kolda", acronym="AMK")
    SupportingOrganization.objects.create(name="Organisation de Kolda masquée", in_directory=False)
    organizations = group(found(client, "kolda"), "organizations")
    assert links(organizations) == [(f"/fr/annuaire/{shown.pk}/", "Appui aux mutuelles de Kolda (AMK)")]


@pytest.mark.parametrize("language,typed,name", [
    ("fr", "Sénégal", "Sénégal"), ("fr", "senegal", "Sénégal"), ("fr", "SENEGAL", "Sénégal"),
    ("fr", "Senegal", "Sénégal"), ("en", "Sénégal", "Senegal"), ("en", "senegal", "Senegal"),
])
def test_finds_a_country_page_in_either_language_without_accents(client, typed, language, name):
    network_country("SN")
    countries = group(found(client, typed, language), "countries")
    page = "/fr/inventaire/pays/SN/" if language == "fr" else "/en/inventory/countries/SN/"
    assert (page, name) in links(countries)
    assert client.get(page).status_code == 200


@pytest.mark.parametrize("language,typed,title", [
    ("fr", "taux de réponse", "Taux de réponse"), ("fr", "taux reponse", "Taux de réponse"),
    ("en", "response rate", "Response rate"),
])
def test_finds_a_glossary_entry(client, language, typed, title):
    glossary = group(found(client, typed, language), "glossary")
    href, text = links(glossary)[0]
    assert text == title and href.endswith("/#response_rate")


def test_finds_a_library_resource_with_the_library_engine(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = resource(library_index_get_or_create(language="fr"), title="Guide de la cotisation à Kédougou",
                        ref="kedougou", summary="Comment calculer la cotisation.")
    library = group(found(client, "kedougou"), "library")
    assert (page.url, "Guide de la cotisation à Kédougou") in links(library)
    # The group leads to the library's own page, searching the same words.
    more = [href for href, text in links(library) if "bibliotheque" in href and "q=kedougou" in href]
    assert more


def test_results_are_grouped_with_counts_and_a_link_to_all(client):
    senegal = network_country("SN")
    for number in range(7):
        MutualFactory(name=f"Mutuelle de Kaolack n° {number}", country=senegal)
    html = found(client, "Kaolack")
    assert "7 résultats pour «\xa0Kaolack\xa0»" in html
    mutuals = group(html, "mutuals")
    assert "Mutuelles <span class=\"count\">(7)</span>" in mutuals
    assert len(re.findall(r"<li>", mutuals)) == 5
    [(more, _text)] = [(href, text) for href, text in links(mutuals) if "kind=mutuals" in href]
    everything = client.get(more).content.decode()
    assert everything.count("Mutuelle de Kaolack n°") == 7
    assert "7 résultats pour «\xa0Kaolack\xa0»" in everything


def test_a_search_costs_the_same_number_of_queries_whatever_is_found(client):
    senegal = network_country("SN")

    def queries():
        with CaptureQueriesContext(connection) as context:
            found(client, "Kaolack")
        return len(context)

    MutualFactory(name="Mutuelle de Kaolack", country=senegal)
    found(client, "Kaolack")  # the first request of a test fills the site's caches (sites, locales)
    few = queries()
    for number in range(20):
        MutualFactory(name=f"Mutuelle de Kaolack n° {number}", country=senegal)
        SupportingOrganization.objects.create(name=f"Appui de Kaolack {number}")
    assert queries() == few


@pytest.mark.parametrize("params,message", [
    ({"q": "x" * 201}, "au plus 200 caractères"),
    ({"q": "Kaolack", "kind": "secrets"}, "Sélectionnez un choix valide"),
])
def test_a_bad_query_is_a_400_that_says_why(client, params, message):
    response = client.get(SEARCH["fr"], params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("typed", ['"', "*", "-", "SN-", "((", "de la", "é" * 200, "0000",
                                   "a b c d e f g h i j k l m"])
def test_any_text_typed_gets_an_answer(client, jaboot, typed):
    assert client.get(SEARCH["fr"], {"q": typed, "kind": "mutuals", "page": "x"}).status_code == 200
    assert client.get(SEARCH["fr"], {"q": typed}).status_code == 200


def test_a_page_in_the_other_language_only_is_said_to_be(client, django_capture_on_commit_callbacks):
    """A French reader finding an English-only resource is told, before following it, that it opens
    the English site (the link carries hreflang and lang); a resource with a French translation leads
    to the translation."""
    from wagtail.models import Locale

    with django_capture_on_commit_callbacks(execute=True):
        english = resource(library_index_get_or_create(language="en"), title="Zanzibar health insurance",
                           ref="zanzibar", language="en")
        translated = resource(library_index_get_or_create(language="en"), title="Zorglub health financing",
                              ref="zorglub-en", language="en")
        library_index_get_or_create(language="fr")
        french = translated.copy_for_translation(Locale.objects.get(language_code="fr"))
        french.title = "Financement de la santé à Zorglub"
        french.save_revision().publish()
    library = group(found(client, "zanzibar"), "library")
    assert f'<a href="{english.url}" hreflang="en" lang="en">Zanzibar health insurance</a>' in library
    assert "page en anglais uniquement" in library
    library = group(found(client, "zorglub"), "library")
    found_links = [(href, text) for href, text in links(library) if "q=" not in href]
    assert found_links == [(french.specific.url, "Financement de la santé à Zorglub")]
    assert 'hreflang="en"' not in library


def test_a_page_without_a_translation_tells_the_other_language_readers(client, home_fr,
                                                                      django_capture_on_commit_callbacks):
    """Following such a result opens the English site (its address is /en/…): the page says so in
    French, with the way back; a page that has a French translation says nothing."""
    with django_capture_on_commit_callbacks(execute=True):
        english = resource(library_index_get_or_create(language="en"), title="Zanzibar health insurance",
                           ref="zanzibar", language="en")
    html = client.get(english.url).content.decode()
    notice = re.search(r'<p class="translation-notice" lang="fr">(.*?)</p>', html, re.S)
    assert notice and "Cette page n’existe qu’en anglais." in notice.group(1)
    assert '<a href="/fr/" hreflang="fr">Retour au site en français</a>' in notice.group(1)
    home = client.get(home_fr.url).content.decode()
    assert 'class="translation-notice" lang="en"' not in home  # the home page has its English version
    # (and no Portuguese one here: Portuguese readers are told, in Portuguese)
    assert '<p class="translation-notice" lang="pt">Esta página só existe em francês.' in home
    # And the other way round: a French-only page tells English readers, in English.
    with django_capture_on_commit_callbacks(execute=True):
        french = resource(library_index_get_or_create(language="fr"), title="Guide de Kolda", ref="kolda")
    html = client.get(french.url).content.decode()
    assert re.search(r'<p class="translation-notice" lang="en">This page exists only in French.\s*'
                     r'<a href="/en/" hreflang="en">Back to the site in English</a></p>', html)
    # The library's own page marks the hit the same way.
    library = client.get(library_index_get_or_create(language="fr").url, {"q": "zanzibar"}).content.decode()
    assert f'<a href="{english.url}" hreflang="en" lang="en">Zanzibar health insurance</a>' in library
    assert "page en anglais uniquement" in library


@pytest.mark.parametrize("typed", ["Kédougou", "kedougou", "KEDOUGOU"])
def test_finds_articles_and_pages_without_accents(client, typed):
    from tests.news.helpers import article

    page = article("Les mutuelles de Kédougou", summary="Un réseau de mutuelles à Kédougou.")
    articles = group(found(client, typed), "articles")
    assert (page.url, "Les mutuelles de Kédougou") in links(articles)
