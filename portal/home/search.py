"""The portal's one search (the header's box): what a reader typed, looked for in every domain.

Each kind of thing is a group, in this order: countries (their inventory page), mutuals (name, acronym,
identifier, locality, region, country), organizations of the directory, glossary entries, library
resources (the library's own engine, embedded or Elasticsearch), articles, events and other pages.
A group shows its first `SHOWN` items, its count and a link to all of them.

Only public things: public mutuals (approved, not withdrawn), organizations shown in the directory,
live pages without a view restriction, what the library's index holds (public pages only). Mutuals
and organizations are read as a few named columns (`values()`): a contact person's details are never
loaded, so they cannot be shown.

Matching is accent- and case-insensitive the same way on SQLite and PostgreSQL: names are folded in
Python (`library.text.fold`, the library's normalisation); every word typed must begin a word of the
thing (`senegal` finds "Sénégal", `SN-0004` the mutual SN-0004, `jaboot` "Aar Sa Jaboot"). The
registry is small (hundreds of mutuals, tens of countries and organizations): each is one query of
a few columns. The pages use Wagtail's search backend, the library its engine. A search costs a fixed
number of queries whatever the number of results.

This module belongs to the site: it may read every domain; no domain reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale, Page
from wagtail.search.query import PlainText

from inventory.models import Mutual, SupportingOrganization
from inventory.opendata.glossary import ENTRIES
from library.models import LibraryIndexPage, ProjectProfilePage, ResourcePage, ResourceType
from library.search import SearchQuery, get_engine
from library.text import fold, words
from portal.events.models import EventPage
from portal.i18n import portuguese_country_name
from portal.news.models import ArticlePage
from portal.reference.models import Country

SHOWN = 5  # items per group on the grouped page
MAX_TERMS = 10  # words of a query that count; the rest is ignored

KINDS = {
    "countries": _("Countries"),
    "mutuals": _("Mutuals"),
    "organizations": _("Organizations"),
    "glossary": _("Glossary"),
    "library": _("Library"),
    "articles": _("Articles and news"),
    "events": _("Events"),
    "pages": _("Pages"),
}
PAGE_KINDS = ("articles", "events", "pages")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    detail: str = ""  # plain text under the title: identifier and country, type and year…
    snippet: str = ""  # HTML from the library's engine (escaped text, matches in <mark>)
    language: str = ""  # the page's language when it is not the reader's (lang=, and a notice)


@dataclass
class Group:
    kind: str
    count: int
    items: list  # the first items (or, for a page of one kind, that page's items)
    more_url: str = ""  # where all of them are
    more_label: str = ""

    @property
    def title(self) -> str:
        return str(KINDS[self.kind])


def terms(query: str) -> list[str]:
    """The folded words of `query` that must each begin a word of what is found."""
    return list(dict.fromkeys(words(query[:1000])))[:MAX_TERMS]


def matches(query_terms: list[str], *texts: str) -> bool:
    """Every term begins one of the (folded) words of `texts`."""
    found = words(" ".join(t for t in texts if t))
    return bool(query_terms) and all(any(w.startswith(t) for w in found) for t in query_terms)


def search_words(query: str) -> str:
    """The words of what was typed for Wagtail's search, separated by spaces: quotes, operators and
    signs are not a query language here (SQLite's FTS5 fails on an unbalanced quote). AND/OR/NOT in
    capitals are dropped ("or" is a French word, so only the capitals)."""
    return " ".join(w for w in _WORD.findall(query) if w not in {"AND", "OR", "NOT"})


def _reader_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _url_language(url: str) -> str:
    """The language of a site path (/fr/…, /en/…), "" when it has none."""
    first = url.lstrip("/").split("/", 1)[0]
    return first if first in dict(settings.LANGUAGES) else ""


def _search_url(query: str, kind: str) -> str:
    return reverse("search") + "?" + urlencode({"q": query, "kind": kind})


# --- The registry: countries, mutuals, organizations (one query each, folded in Python) -----------

def country_items(query_terms: list[str]) -> list[Item]:
    """Countries of the inventory (the network's and any with a public mutual) whose French or English
    name, or ISO code, the query names; each opens its inventory page."""
    language = _reader_language()
    rows = Country.objects.in_network_or(Mutual.objects.public().values("country_id")).values_list(
        "code", "name_fr", "name_en")
    # A Portuguese reader finds a country by its Portuguese name too, and reads that name.
    rows = [(code, fr, en, portuguese_country_name(code) if language == "pt" else "")
            for code, fr, en in rows]
    found = [(code, en if language == "en" else pt or fr) for code, fr, en, pt in rows
             if matches(query_terms, code, fr, en, pt)]
    found.sort(key=lambda row: fold(row[1]))
    detail = str(_("The country's page of the inventory"))
    return [Item(name, reverse("inventory:country", args=[code]), detail=detail) for code, name in found]


def mutual_items(query: str, query_terms: list[str]) -> list[Item]:
    """Public mutuals found by name, acronym, identifier, locality, region or country; an exact
    identifier first, then names that begin with what was typed, then by name."""
    english = _reader_language() == "en"
    columns = ("mutual_id", "name", "acronym", "locality", "region", "country__name_fr", "country__name_en",
               "country_id")
    rows = Mutual.objects.public().values_list(*columns)
    typed = fold(query.strip())
    found = []
    for mutual_id, name, acronym, locality, region, country_fr, country_en, country_code in rows:
        if not matches(query_terms, mutual_id, name, acronym, locality, region, country_fr, country_en):
            continue
        folded = fold(name)
        if fold(mutual_id) == typed:
            rank = 0
        else:
            rank = 1 if folded.startswith(typed) or fold(acronym) == typed else 2
        country = country_en if english else country_fr
        if _reader_language() == "pt":
            country = portuguese_country_name(country_code) or country_fr
        place = ", ".join(p for p in (locality, region, country) if p)
        title = f"{name} ({acronym})" if acronym else name
        found.append((rank, folded, Item(title, reverse("inventory:mutual_detail", args=[mutual_id]),
                                         detail=f"{mutual_id} · {place}" if place else mutual_id)))
    found.sort(key=lambda row: row[:2])
    return [item for _rank, _name, item in found]


def organization_items(query_terms: list[str]) -> list[Item]:
    """Organizations shown in the directory, by name or acronym."""
    rows = SupportingOrganization.objects.in_directory().values_list("pk", "name", "acronym")
    found = sorted(((fold(name), pk, name, acronym) for pk, name, acronym in rows
                    if matches(query_terms, name, acronym)))
    return [Item(f"{name} ({acronym})" if acronym else name, reverse("directory:organization", args=[pk]))
            for _folded, pk, name, acronym in found]


def glossary_items(query_terms: list[str]) -> list[Item]:
    """Glossary entries whose title (first) or definition the query names, in the reader's language."""
    base = reverse("inventory:glossary")
    by_title, by_text = [], []
    for entry in ENTRIES:
        item = Item(entry.title, f"{base}#{entry.anchor}", detail=str(entry.definition))
        if matches(query_terms, entry.title):
            by_title.append(item)
        elif matches(query_terms, entry.title, str(entry.definition)):
            by_text.append(item)
    return by_title + by_text


# --- The library: its own engine ----------------------------------------------------------------

def library_group(query: str, limit: int) -> Group:
    """The library's resources and project profiles, from the library's engine (what its index holds
    is public), with a link to the library's page searching the same words. A hit filed in the other
    language's tree leads to its translation in the reader's language when there is one, else it is
    marked as a page in that language."""
    result = get_engine().search(SearchQuery(q=query, page_size=limit))
    language = _reader_language()
    translations = _translations([hit.ref for hit in result.results if _url_language(hit.url) != language])
    items, seen = [], set()
    types = dict(ResourceType.choices)
    for hit in result.results:
        url, title = translations.get(hit.ref, (hit.url, hit.title))
        if url in seen:  # the hit and its translation were both found: once
            continue
        seen.add(url)
        page_language = _url_language(url)
        detail = " · ".join(str(part) for part in (types.get(hit.resource_type), hit.year) if part)
        items.append(Item(title, url, detail=detail, snippet=hit.snippet,
                          language=page_language if page_language not in ("", language) else ""))
    library = LibraryIndexPage.objects.live().public().filter(locale=Locale.get_active()).first()
    more = f"{library.url}?{urlencode({'q': query})}" if library else ""
    return Group("library", result.count, items, more_url=more, more_label=str(_("Search the library")))


def _translations(refs: list[str]) -> dict[str, tuple[str, str]]:
    """ref → (URL, title) of the live, public translation in the reader's language of the library
    pages of `refs` (those that have one); three queries at most."""
    if not refs:
        return {}
    keys = {}
    for model in (ResourcePage, ProjectProfilePage):
        keys.update(model.objects.filter(ref__in=refs).values_list("translation_key", "ref"))
    pages = Page.objects.live().public().filter(translation_key__in=keys, locale=Locale.get_active())
    return {keys[page.translation_key]: (page.url, page.title) for page in pages if page.url}


# --- Pages: Wagtail's search in the reader's language ---------------------------------------------

def page_results(kind: str, query: str):
    """Wagtail's search results for the live public pages of one kind in the reader's language."""
    locale = Locale.get_active()
    if kind == "articles":
        pages = ArticlePage.objects.all()
    elif kind == "events":
        pages = EventPage.objects.all()
    else:  # the library has its own group, articles and events theirs
        pages = Page.objects.not_type(ArticlePage, EventPage, ResourcePage, ProjectProfilePage)
    pages = pages.live().public().filter(locale=locale)
    typed = search_words(query)
    if not typed:
        return pages.none()
    # The words as typed (they match the pages' text, accents included), or folded (they match the
    # folded title and summary, `FoldedSearchMixin`): "senegal" finds "Sénégal" on PostgreSQL too.
    folded = fold(typed)
    return pages.search(PlainText(typed) | PlainText(folded) if folded != typed else PlainText(typed))


def page_items(pages) -> list[Item]:
    return [Item(page.title, page.url, detail=_page_detail(page)) for page in pages]


def _page_detail(page) -> str:
    text = getattr(page, "intro", "") or getattr(page, "summary", "") or page.search_description or ""
    text = " ".join(str(text).split())
    return text if len(text) <= 200 else text[:200].rsplit(" ", 1)[0] + " …"


# --- Everything ----------------------------------------------------------------------------------

@dataclass
class Everything:
    query: str
    groups: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(group.count for group in self.groups)


def registry_items(kind: str, query: str) -> list[Item]:
    """Every item of a kind read in Python (countries, mutuals, organizations, glossary)."""
    query_terms = terms(query)
    if not query_terms:
        return []
    if kind == "countries":
        return country_items(query_terms)
    if kind == "mutuals":
        return mutual_items(query, query_terms)
    if kind == "organizations":
        return organization_items(query_terms)
    return glossary_items(query_terms)


def search_everything(query: str) -> Everything:
    """Every kind's count and first items (the groups found, in the order of `KINDS`)."""
    everything = Everything(query)
    for kind in KINDS:
        if kind == "library":
            group = library_group(query, SHOWN)
        elif kind in PAGE_KINDS:
            results = page_results(kind, query)
            count = results.count()
            group = Group(kind, count, page_items(results[:SHOWN]) if count else [])
        else:
            items = registry_items(kind, query)
            group = Group(kind, len(items), items[:SHOWN])
        if group.count:
            if kind != "library" and group.count > SHOWN:
                group.more_url = _search_url(query, kind)
                group.more_label = str(_("See all"))
            everything.groups.append(group)
    return everything
