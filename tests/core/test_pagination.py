"""Every paginated list of the site (the calendar, the news, the directory of mutuals, the site search)
pages through one include: its previous and next links keep the reader's filters, and the navigation is
named for screen readers with the current page marked."""

import re
import sys
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve

from portal.events import selectors
from portal.news.models import NewsIndexPage
from tests.events.conftest import index_fr, make_event  # noqa: F401 (fixtures)
from tests.factories import CountryFactory, MutualFactory
from tests.news.helpers import article

pytestmark = pytest.mark.django_db


def per_page(monkeypatch, path, name, value=2):
    """Make the list at `path` show `value` items a page (its view module's `name` setting)."""
    monkeypatch.setattr(sys.modules[resolve(path).func.__module__], name, value)


def link(html, rel):
    found = re.search(rf'<a rel="{rel}" href="([^"]*)"', html)
    assert found, f'no rel="{rel}" link'
    return parse_qs(urlsplit(unescape(found.group(1))).query)


def assert_pages_keep(client, path, filters):
    first = client.get(path, filters).content.decode()
    assert re.search(r'<nav aria-label="[^"]+" class="pagination">', first)
    assert 'aria-current="page"' in first
    assert link(first, "next") == {**{k: [v] for k, v in filters.items()}, "page": ["2"]}
    second = client.get(path, {**filters, "page": 2}).content.decode()
    assert link(second, "prev") == {**{k: [v] for k, v in filters.items()}, "page": ["1"]}


def test_the_calendar_pages_keep_the_filters(client, index_fr, make_event, monkeypatch):  # noqa: F811
    for number in range(3):
        make_event(f"Atelier numéro {number}", days=5 + number, slug=f"atelier-{number}")
    monkeypatch.setattr(selectors, "PER_PAGE", 2)  # the calendar is a Wagtail page: its list's setting
    assert_pages_keep(client, index_fr.url, {"kind": "workshop", "when": "upcoming"})


def test_the_news_pages_keep_the_filters(client, monkeypatch):
    monkeypatch.setattr(NewsIndexPage, "PER_PAGE", 2)
    for number in range(3):
        article(f"Nouvelles du Mali {number}", countries=["ML"])
    assert_pages_keep(client, "/fr/actualites/", {"country": "ML", "kind": "article"})


def test_the_directory_pages_keep_the_filters(client, monkeypatch):
    mali = CountryFactory(code="ML")
    for number in range(3):
        MutualFactory(name=f"Mutuelle de Bamako {number}", country=mali)
    MutualFactory(name="Mutuelle de Thiès")
    path = "/fr/inventaire/mutuelles/"
    per_page(monkeypatch, path, "PER_PAGE")
    assert_pages_keep(client, path, {"country": "ML"})


def test_the_site_search_pages_keep_the_words(client, monkeypatch):
    for number in range(3):
        article(f"Zorglub numéro {number}")
    path = "/fr/recherche/"
    per_page(monkeypatch, path, "RESULTS_PER_PAGE")
    assert_pages_keep(client, path, {"q": "zorglub", "kind": "articles"})


@pytest.mark.parametrize("page", ["3", "99999999999999999999999999", "0", "-1", "abc", "1e9"])
def test_a_page_number_past_the_last_or_not_a_number_shows_a_page_never_an_error(client, monkeypatch, page):
    """The pages forgive with Django's Paginator.get_page (a number out of range: the last page; not a
    number: the first); the API answers a page past the last with a 404 naming the last one
    (tests/inventory/test_api.py, tests/library/test_search_api.py)."""
    monkeypatch.setattr(NewsIndexPage, "PER_PAGE", 2)
    for number in range(3):
        article(f"Nouvelles du Mali {number}", countries=["ML"])
    response = client.get("/fr/actualites/", {"page": page})
    assert response.status_code == 200
    expected = 1 if page in ("abc", "1e9") else 2
    assert re.search(rf'<span aria-current="page">Page {expected} (sur|of) 2</span>',
                     response.content.decode()), page
