"""The demo in Portuguese (issue 18): /pt/ serves every public page of the sitemap in the Portuguese
interface; the home page, the network's presentation and the library are Portuguese pages (Wagtail
translations of the French ones); the language switcher links the three languages; the other pages stay
French for Portuguese readers, who are told so (French is the fallback)."""

import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from wagtail.models import Locale, Page

from tests.demo.test_html_validity import _sitemap_paths, few_of_each_shape

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


def soup(client, path):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return BeautifulSoup(response.content.decode(), "html.parser")


def switcher(page):
    return {a["hreflang"]: a["href"] for a in page.select("nav.languages a")
            if a.find(class_="lang-code")}


def test_every_public_page_of_the_sitemap_is_served_in_portuguese():
    client = Client()
    sitemap = _sitemap_paths(client)
    portuguese = [path for path in sitemap if path.startswith("/pt/")]
    french_views = [path for path in sitemap if path.startswith("/fr/inventaire/")]
    # Every view of the inventory and the directory in Portuguese too, and the translated pages.
    assert len([p for p in portuguese if p.startswith("/pt/inventario/")]) == len(french_views)
    for path in ("/pt/", "/pt/a-rede/", "/pt/biblioteca/", "/pt/inventario/", "/pt/inventario/glossario/",
                 "/pt/inventario/dados/", "/pt/inventario/dados/dicionario/", "/pt/diretorio/"):
        assert path in portuguese, path
    for path in few_of_each_shape(portuguese):
        response = client.get(path)
        assert response.status_code == 200, path
        if response["Content-Type"].startswith("text/html"):
            assert '<html lang="pt">' in response.content.decode(), path


def test_the_home_page_and_the_networks_presentation_are_portuguese_translations():
    portuguese = Locale.objects.get(language_code="pt")
    home = soup(Client(), "/pt/")
    assert home.h1.get_text() == "A Concertação"
    assert "A rede em números" in home.get_text()
    network = soup(Client(), "/pt/a-rede/")
    assert network.h1.get_text() == "A rede"
    assert "O que é uma mútua de saúde?" in network.get_text()
    french = Page.objects.get(url_path__endswith="/le-reseau/", locale__language_code="fr")
    assert french.get_translation(portuguese).live
    # The glossary is the portal's own view: its interface strings are the Portuguese catalogue's.
    glossary = soup(Client(), "/pt/inventario/glossario/")
    assert "Taxa de resposta" in glossary.get_text() and "Definição" in glossary.get_text()


def test_the_switcher_links_the_same_page_in_the_three_languages():
    links = switcher(soup(Client(), "/fr/le-reseau/"))
    assert links == {"fr": "/fr/le-reseau/", "en": "/en/the-network/", "pt": "/pt/a-rede/"}
    links = switcher(soup(Client(), "/pt/a-rede/"))
    assert links == {"fr": "/fr/le-reseau/", "en": "/en/the-network/", "pt": "/pt/a-rede/"}
    # A view: the same view under each prefix, with its translated path.
    links = switcher(soup(Client(), "/pt/inventario/glossario/"))
    assert links == {"fr": "/fr/inventaire/glossaire/", "en": "/en/inventory/glossary/",
                     "pt": "/pt/inventario/glossario/"}


def test_a_french_page_without_portuguese_translation_says_so_to_portuguese_readers():
    page = soup(Client(), "/fr/le-reseau/historique/")
    notice = page.find("p", class_="translation-notice", lang="pt")
    assert notice is not None
    assert "Esta página só existe em francês." in notice.get_text()
    assert notice.a["href"] == "/pt/" and notice.a.get_text() == "Voltar ao sítio em português"
    # The switcher sends Portuguese readers to their home page.
    assert switcher(page)["pt"] == "/pt/"


def test_the_portuguese_menu_keeps_the_french_pages_it_has_no_translation_of():
    page = soup(Client(), "/pt/")
    menu = [(a.get_text(), a["href"], a.get("lang")) for a in page.select(".main-nav a")]
    assert ("A rede", "/pt/a-rede/", None) in menu
    assert ("Biblioteca", "/pt/biblioteca/", None) in menu
    french = [(text, href) for text, href, lang in menu if lang == "fr"]
    assert ("Actualités", "/fr/actualites/") in french and ("Agenda", "/fr/agenda/") in french
    # The home page's news and events: the French ones, marked as French.
    news = page.find("ul", class_="news-list")
    assert news is not None and news["lang"] == "fr"
    assert page.find("ul", class_="event-list")["lang"] == "fr"


def test_the_codebook_and_the_countries_in_portuguese():
    codebook = soup(Client(), "/pt/inventario/dados/dicionario/")
    assert codebook.find("th", lang="pt", string="Título (português)") is not None
    assert codebook.find("td", lang="pt", string="Aderentes (pagantes)") is not None
    countries = soup(Client(), "/pt/inventario/paises/").get_text()
    assert "Costa do Marfim" in countries and "Côte d" not in countries
    assert re.search(r"\bCamarões\b", countries)
