"""The library's faceted search: one interface, two engines chosen by settings.

`get_engine()` returns the Elasticsearch engine when `ELASTICSEARCH_URL` is set, the embedded engine
(SQLite FTS5 or PostgreSQL full text, whichever the database is) otherwise. Both take
`SearchDocument`s and answer a `SearchQuery` with a `SearchResult`, and behave the same way (proven by
tests/library/test_search_behaviour.py): every query word must match, accents and case are ignored,
plurals and common French and English inflections match, title matches rank first, several values of
one facet are OR-ed and different facets AND-ed, and each facet's counts apply the other facets'
filters but not its own. A query is always text: quotes and operators never raise.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings

from .documents import SearchDocument
from .text import fold, query_stems, stem, words

FACETS = ("resource_type", "theme", "country", "language", "year")
SORTS = ("relevance", "date")
MAX_PAGE_SIZE = 100
SNIPPET_WORDS = 30
RESYNC_BATCH = 200  # documents sent to the engine at once when a whole branch is re-synced


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    year_min: int | None = None
    year_max: int | None = None
    sort: str = "relevance"  # "relevance" | "date" (newest first); without words, always by date
    page: int = 1
    page_size: int = 20

    def __post_init__(self):
        # Clamp rather than refuse: parameters are validated (with 400s) where they are parsed.
        object.__setattr__(self, "page", max(1, int(self.page)))
        object.__setattr__(self, "page_size", min(MAX_PAGE_SIZE, max(1, int(self.page_size))))
        if self.sort not in SORTS:
            object.__setattr__(self, "sort", "relevance")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size

    def filters(self) -> dict[str, tuple]:
        """The selected values of each facet; the year facet's filter is the range (min, max)."""
        return {
            "resource_type": self.types,
            "theme": self.themes,
            "country": self.countries,
            "language": self.languages,
            "year": (self.year_min, self.year_max) if (self.year_min, self.year_max) != (None, None) else (),
        }


@dataclass(frozen=True)
class SearchHit:
    ref: str
    title: str
    url: str
    resource_type: str
    year: int | None
    language: str
    countries: tuple[str, ...]
    themes: tuple[str, ...]
    snippet: str  # HTML: escaped text, matched words in <mark>

    def as_dict(self) -> dict:
        return {
            "ref": self.ref,
            "title": self.title,
            "url": self.url,
            "resource_type": self.resource_type,
            "year": self.year,
            "language": self.language,
            "countries": list(self.countries),
            "themes": list(self.themes),
            "snippet": self.snippet,
        }


@dataclass(frozen=True)
class SearchResult:
    count: int
    results: list[SearchHit]
    # {facet: {value: count}}, values as strings (years too), most frequent first.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"count": self.count, "results": [h.as_dict() for h in self.results], "facets": self.facets}


@dataclass(frozen=True)
class Suggestion:
    title: str
    url: str


class SearchEngine(Protocol):
    def index(self, documents: list[SearchDocument]) -> None: ...
    def remove(self, refs: list[str]) -> None: ...
    def rebuild(self, documents, *, total: int | None = None, progress=None) -> int: ...
    def search(self, query: SearchQuery) -> SearchResult: ...
    def autocomplete(self, prefix: str, limit: int = 8) -> list[Suggestion]: ...


def get_engine() -> SearchEngine:
    """The engine the settings choose: Elasticsearch when `ELASTICSEARCH_URL` is set, else embedded."""
    if getattr(settings, "ELASTICSEARCH_URL", ""):
        from .search_elasticsearch import ElasticsearchEngine

        return ElasticsearchEngine.from_settings()
    from .search_embedded import EmbeddedEngine

    return EmbeddedEngine()


def library_page_models() -> list:
    """The library's page models the search indexes: those that can describe themselves as a
    `SearchDocument` (`to_search_document()`)."""
    from django.apps import apps
    from wagtail.models import Page

    return [
        model
        for model in apps.get_app_config("library").get_models()
        if issubclass(model, Page) and hasattr(model, "to_search_document")
    ]


def index_resource(page) -> None:
    """Index (or re-index) a published page that offers `to_search_document()`; a page visitors may
    not read (unpublished since, or under a view restriction on it or an ancestor) is taken out
    instead: the search, its suggestions and the country pages show what the index holds to anyone."""
    from wagtail.models import Page

    if not Page.objects.filter(pk=page.pk).live().public().exists():
        remove_resource(page)
        return
    document = page.to_search_document()
    if document.ref:  # the ref identifies the entry: a page without one cannot be kept in step
        get_engine().index([document])


def remove_resource(page) -> None:
    """Take a page out of the index (unpublished or deleted)."""
    # A deleted page's relations are gone: its `ref` alone, when it has one, says what to remove.
    ref = getattr(page, "ref", None) or page.to_search_document().ref
    if ref:
        get_engine().remove([ref])


def resync_tree(page) -> None:
    """Bring the index in step with every library page at or under `page` after a change that shows
    or hides a whole branch at once (a view restriction set or lifted, a move): the live pages that
    no view restriction protects are (re)indexed, the others taken out."""
    engine = get_engine()
    for model in library_page_models():
        pages = model.objects.descendant_of(page, inclusive=True)
        shown = pages.live().public()
        hidden = [ref for ref in pages.exclude(pk__in=shown.values("pk")).values_list("ref", flat=True)
                  if ref]
        if hidden:
            engine.remove(hidden)
        batch = []
        for item in shown.order_by("pk").iterator():
            document = item.to_search_document()
            if document.ref:
                batch.append(document)
            if len(batch) >= RESYNC_BATCH:
                engine.index(batch)
                batch = []
        if batch:
            engine.index(batch)


def indexable_pages() -> list:
    """Querysets of the pages the search indexes: the live library pages that no view restriction
    (login, password, groups; on the page or an ancestor) protects."""
    return [model.objects.live().public().order_by("pk") for model in library_page_models()]


def sorted_counts(counts: dict) -> dict[str, int]:
    """Facet counts as {str(value): n}, most frequent first, then by value."""
    return dict(sorted(((str(k), n) for k, n in counts.items() if n), key=lambda kv: (-kv[1], kv[0])))


def highlight(text: str, q: str, *, length: int = SNIPPET_WORDS) -> str:
    """An HTML snippet of `text` around the first word matching the query, matches in <mark>.

    Words match when their stems are equal (the embedded engine's rule); without a match, the start
    of the text. Everything else is escaped.
    """
    stems = set(query_stems(q))
    tokens = text.split()
    if not tokens:
        return ""

    def marked(token: str) -> bool:
        return bool(stems) and any(s in stems for s in token_stems(token))

    # Only the tokens up to the first match and those of the snippet are looked at (a match deep in
    # the extracted text of a file: folding and stemming every token of it took most of a search).
    first = next((i for i, t in enumerate(tokens) if marked(t)), 0)
    start = max(0, first - length // 3)
    end = min(len(tokens), start + length)
    parts = [f"<mark>{html.escape(t)}</mark>" if marked(t) else html.escape(t) for t in tokens[start:end]]
    return ("… " if start else "") + " ".join(parts) + (" …" if end < len(tokens) else "")


@functools.lru_cache(maxsize=65_536)
def token_stems(token: str) -> tuple[str, ...]:
    """The stems of the words of one whitespace-separated token of a text (kept: texts repeat their
    words, and snippets look at the same tokens again and again)."""
    return tuple(stem(w) for w in words(token))


def snippet(document_fields: tuple[str, ...], q: str) -> str:
    """The snippet of a result: the first of its fields (summary, body) where a query word matches."""
    stems = set(query_stems(q))
    for text in document_fields:
        if stems and any(s in stems for t in text[:200_000].split() for s in token_stems(t)):
            return highlight(text[:200_000], q)
    return highlight(next((t for t in document_fields if t), ""), "")


def fold_prefix(prefix: str) -> list[str]:
    """The folded words of an autocomplete prefix (the last one may be incomplete)."""
    return words(prefix[:200])[:10]


__all__ = [
    "FACETS",
    "SearchDocument",
    "SearchEngine",
    "SearchHit",
    "SearchQuery",
    "SearchResult",
    "Suggestion",
    "fold",
    "get_engine",
    "index_resource",
    "remove_resource",
    "resync_tree",
]
