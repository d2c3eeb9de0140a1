"""The library's search page: the engine's answer shaped for the template (facet options with their
labels in the active language, removable filters, links that keep the filters, notes on ignored
parameters). The query string is parsed by the API's `SearchFilter`, leniently
(`portal.api.query.lenient`): a page never fails on a bad parameter, it leaves the bad value out and
says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from portal.api.query import IgnoredParameter, lenient
from portal.reference.models import Country, Language, Theme

from .filters import MULTI_VALUED, SearchFilter
from .models import PROJECT_PROFILE_TYPE, ResourceType
from .search import SearchQuery, SearchResult, get_engine

# Query-string parameter → the engine's facet, in the order the page shows them.
FACET_PARAMETERS = {"type": "resource_type", "theme": "theme", "country": "country", "language": "language"}
FACET_TITLES = {
    "type": gettext_lazy("Type"),
    "theme": gettext_lazy("Theme"),
    "country": gettext_lazy("Country"),
    "language": gettext_lazy("Language"),
}
PARAMETER_NAMES = {
    "q": gettext_lazy("Search"),
    **FACET_TITLES,
    "year_min": gettext_lazy("From the year"),
    "year_max": gettext_lazy("Until the year"),
    "sort": gettext_lazy("Sort"),
    "page": gettext_lazy("Page"),
    "page_size": gettext_lazy("Results per page"),
}
LATEST_PROFILES = 10


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    parameter: str
    title: str
    options: list[Option]

    @property
    def selected_count(self) -> int:
        return sum(option.selected for option in self.options)


@dataclass(frozen=True)
class Chip:
    """An active filter and the link that removes it."""

    label: str
    remove_url: str


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    meta: list[str]  # type, year, language, countries: what the template joins with " · "
    snippet: str  # the engine's HTML: escaped text, matched words in <mark>
    # The site language of the hit's page when it is not the reader's (a page of the other language's
    # tree, without a translation): the link says so before it is followed.
    other_language: str = ""


@dataclass(frozen=True)
class Note:
    """A parameter left out: its name for the reader, what was given, why."""

    parameter: str
    name: str
    value: str
    message: str


@dataclass
class SearchPage:
    query: SearchQuery
    typed: dict[str, str]  # what the reader typed in the text boxes (q, year_min, year_max), even if bad
    count: int
    hits: list[Hit]
    facets: list[Facet]
    years: list[tuple[str, int, str]]  # (year, count, link to that year alone), oldest first
    chips: list[Chip]
    clear_url: str
    notes: list[Note]
    page: int
    last_page: int
    previous_url: str = ""
    next_url: str = ""
    browsing: bool = False  # no words and no filter: the latest resources and the project profiles
    profiles: list[Hit] = field(default_factory=list)
    without_filters: int | None = None  # with no result: how many the words alone would find
    without_filters_url: str = ""

    @property
    def has_filters(self) -> bool:
        return bool(self.chips)


def type_labels() -> dict[str, str]:
    return {**dict(ResourceType.choices), PROJECT_PROFILE_TYPE: _("Project profile")}


class _Labels:
    """Labels in the active language for the values of each facet (one query per table)."""

    def __init__(self, result: SearchResult, query: SearchQuery, profiles: list | None = None):
        hits = [*result.results, *(profiles or [])]
        codes = {*result.facets.get("country", {}), *query.countries, *(c for h in hits for c in h.countries)}
        slugs = {*result.facets.get("theme", {}), *query.themes}
        self.maps = {
            "type": type_labels(),
            "language": {str(code): str(label) for code, label in Language.choices},
            "country": {c.code: c.name for c in Country.objects.filter(code__in=codes)},
            "theme": {t.slug: t.name for t in Theme.objects.filter(slug__in=slugs)},
        }

    def __call__(self, parameter: str, value: str) -> str:
        return str(self.maps[parameter].get(value, value))


def _link(state: dict[str, list[str]], **changes) -> str:
    """`?…` for `state` with `changes` (a list of values, or None to drop the parameter)."""
    merged = {**state, **changes}
    pairs = [(name, value) for name, values in merged.items() if values for value in values]
    return "?" + urlencode(pairs) if pairs else "?"


def _state(query: SearchQuery, page_size_given: bool) -> dict[str, list[str]]:
    """The valid parameters of the query, as a query string would carry them (no page)."""
    state = {
        "q": [query.q] if query.q.strip() else [],
        "type": list(query.types),
        "theme": list(query.themes),
        "country": list(query.countries),
        "language": list(query.languages),
        "year_min": [str(query.year_min)] if query.year_min is not None else [],
        "year_max": [str(query.year_max)] if query.year_max is not None else [],
        "sort": [query.sort] if query.sort != "relevance" else [],
    }
    if page_size_given:
        state["page_size"] = [str(query.page_size)]
    return state


def _hit(hit, labels: _Labels) -> Hit:
    reader = (get_language() or settings.LANGUAGE_CODE)[:2]
    meta = [labels("type", hit.resource_type)]
    if hit.year is not None:
        meta.append(str(hit.year))
    if hit.language:
        meta.append(labels("language", hit.language))
    if hit.countries:
        meta.append(", ".join(labels("country", code) for code in hit.countries))
    page_language = hit.url.lstrip("/").split("/", 1)[0]
    other = page_language if page_language in dict(settings.LANGUAGES) and page_language != reader else ""
    return Hit(title=hit.title, url=hit.url, meta=meta, snippet=hit.snippet, other_language=other)


def _notes(ignored: list[IgnoredParameter]) -> list[Note]:
    return [Note(i.name, str(PARAMETER_NAMES.get(i.name, i.name)), i.value, i.message) for i in ignored]


def library_search(params) -> SearchPage:
    """The search page for the query string `params` (a QueryDict): never an error."""
    search, ignored = lenient(SearchFilter, params)
    form = search.form
    notes = _notes(ignored)
    query = search.search_query()
    engine = get_engine()
    result = engine.search(query)
    last_page = max(1, -(-result.count // query.page_size))
    if query.page > last_page:
        notes.append(Note("page", str(PARAMETER_NAMES["page"]), str(query.page),
                          _("This page does not exist: here is the last one.")))
        query = replace(query, page=last_page)
        result = engine.search(query)

    bad = {note.parameter for note in notes}
    typed = {name: params.get(name, "") for name in ("year_min", "year_max")}
    typed["q"] = form.cleaned_data["q"]
    state = _state(query, page_size_given="page_size" in form.data and "page_size" not in bad)
    browsing = not query.q.strip() and not any(query.filters().values())
    profiles = []
    if browsing:
        profiles = engine.search(SearchQuery(types=(PROJECT_PROFILE_TYPE,), sort="date",
                                             page_size=LATEST_PROFILES)).results
    labels = _Labels(result, query, profiles)

    facets = []
    for parameter, facet in FACET_PARAMETERS.items():
        counts = result.facets.get(facet, {})
        selected = list(getattr(query, {"type": "types", "theme": "themes", "country": "countries",
                                        "language": "languages"}[parameter]))
        values = [*counts, *(v for v in selected if v not in counts)]
        options = [Option(v, labels(parameter, v), counts.get(v, 0), v in selected) for v in values]
        facets.append(Facet(parameter, str(FACET_TITLES[parameter]), options))

    years = sorted(result.facets.get("year", {}).items())
    year_links = [(year, n, _link(state, year_min=[year], year_max=[year])) for year, n in years]

    chips = []
    for parameter in MULTI_VALUED:
        for value in state[parameter]:
            remaining = [v for v in state[parameter] if v != value]
            label = _("%(facet)s: %(value)s") % {"facet": FACET_TITLES[parameter],
                                                  "value": labels(parameter, value)}
            chips.append(Chip(label, _link(state, **{parameter: remaining})))
    if query.year_min is not None:
        chips.append(Chip(_("From %(year)s") % {"year": query.year_min}, _link(state, year_min=None)))
    if query.year_max is not None:
        chips.append(Chip(_("Until %(year)s") % {"year": query.year_max}, _link(state, year_max=None)))
    no_filters = dict.fromkeys((*MULTI_VALUED, "year_min", "year_max"))
    clear_url = _link(state, **no_filters)

    page = SearchPage(
        query=query, typed=typed, count=result.count, hits=[_hit(h, labels) for h in result.results],
        facets=facets, years=year_links, chips=chips, clear_url=clear_url, notes=notes,
        page=query.page, last_page=last_page, browsing=browsing,
        profiles=[_hit(h, labels) for h in profiles],
    )
    if query.page > 1:
        page.previous_url = _link(state, page=[str(query.page - 1)] if query.page > 2 else None)
    if query.page < last_page:
        page.next_url = _link(state, page=[str(query.page + 1)])
    if result.count == 0 and chips and query.q.strip():
        page.without_filters = engine.search(SearchQuery(q=query.q, page_size=1)).count
        page.without_filters_url = clear_url
    return page
