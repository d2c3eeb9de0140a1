"""The knowledge map: a page per theme gathering what every part of the portal holds on it, and the
overview of how much the network holds per theme and country (issue 18).

The themes are the kernel's one taxonomy (`portal.reference.models.Theme`): the library's resources
and project profiles, the articles, the events and Forum editions and the directory's organizations
name theirs. This module belongs to the site: it reads each domain's public content (live pages
without a view restriction, in the reader's language tree; organizations shown in the directory),
and the inventory's synthesis for the indicators that speak to a theme (`INDICATORS`: their labels,
glossary entries and values come from `inventory.opendata`, never redefined here). No domain reads it.

Each section costs a fixed number of queries whatever the number of items; the overview's matrix
is one grouped query per kind of content.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from inventory.models import SupportingOrganization
from library.models import PROJECT_PROFILE_TYPE, LibraryIndexPage, ProjectProfilePage, ResourcePage
from portal.events.models import EventIndexPage, EventKind, EventPage, ForumPage, ForumProceeding
from portal.news.models import ArticlePage
from portal.news.selectors import news_index, published_articles
from portal.reference.models import Country, Theme

LATEST = 5  # items per section of a theme page

# Theme slug -> the synthesis columns (the inventory's indicators) that speak to it. A theme missing
# here (one the secretariat added) shows no indicator.
INDICATORS = {
    "financing": ["collection_rate_median", "own_resources_coverage_median", "subsidy_dependence_median",
                  "reserve_cover_months_median"],
    "governance": ["response_rate", "renewal_rate_median", "mutuals_functional"],
    "technical-management": ["expense_ratio_median", "claims_ratio_median", "reserve_cover_months_median"],
    "contracting": ["claims_ratio_median", "utilisation_rate_median"],
    "legal-framework": ["mutuals_known", "mutuals_functional"],
    "microfinance": ["collection_rate_median", "members"],
    "uhc": ["penetration_rate", "beneficiaries", "growth_rate_median"],
    "feasibility": ["target_population", "penetration_rate_median"],
    "monitoring-evaluation": ["mutuals_reporting", "response_rate"],
}


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    detail: str = ""
    language: str = ""  # the item's language when it is not the reader's


@dataclass
class Section:
    slug: str  # the heading's id
    title: str
    items: list[Item]
    more_url: str = ""
    more_label: str = ""


@dataclass
class Indicator:
    column: str
    label: str
    value: str
    definition: str
    anchor: str | None


@dataclass
class Indicators:
    year: int | None = None
    provisional: bool = False
    scope: str = ""  # the country's name, or "" for the whole network
    items: list[Indicator] = field(default_factory=list)


def _query(**params) -> str:
    params = {name: value for name, value in params.items() if value}
    return f"?{urlencode(params)}" if params else ""


def _index_url(model) -> str:
    index = model.objects.live().filter(locale=Locale.get_active()).first()
    return index.url if index else ""


def _pages(model, theme, country):
    pages = model.objects.live().public().filter(locale=Locale.get_active(), themes=theme)
    if country is not None:
        by_country = {"country": country} if issubclass(model, EventPage) else {"countries": country}
        pages = pages.filter(**by_country)
    return pages.distinct()


def _date(page) -> str:
    when = getattr(page, "date", None) or page.first_published_at
    return when.strftime("%Y-%m-%d") if when else ""


def library_section(theme, country, *, profiles: bool) -> Section:
    model = ProjectProfilePage if profiles else ResourcePage
    pages = list(_pages(model, theme, country).order_by("-first_published_at", "-pk")[:LATEST])
    index = _index_url(LibraryIndexPage)
    code = country.code if country else ""
    if profiles:
        items = [Item(p.title, p.url, p.project_name if p.project_name != p.title else "") for p in pages]
        more = _query(theme=theme.slug, country=code, type=PROJECT_PROFILE_TYPE)
        return Section("profiles", _("Project profiles"), items, index and index + more,
                       _("All the project profiles on this theme"))
    items = [Item(p.title, p.url, " · ".join(str(x) for x in (p.get_resource_type_display(), p.year) if x),
                  p.language) for p in pages]
    return Section("resources", _("Library resources"), items,
                   index and index + _query(theme=theme.slug, country=code),
                   _("All the resources on this theme in the library"))


def articles_section(theme, country) -> Section:
    articles = published_articles().filter(themes=theme)
    if country is not None:
        articles = articles.filter(countries=country)
    items = [Item(a.title, a.url, _date(a), a.language) for a in articles.distinct()[:LATEST]]
    index = news_index()
    more = _query(theme=theme.slug, country=country.code if country else "")
    return Section("articles", _("Articles and news"), items, index.url + more if index else "",
                   _("All the news on this theme"))


def events_section(theme, country) -> Section:
    events = _pages(EventPage, theme, country).exclude(kind=EventKind.FORUM).order_by("-start", "-pk")
    items = [Item(e.title, e.url, " · ".join(x for x in (e.local_start().strftime("%Y-%m-%d"), e.city) if x))
             for e in events[:LATEST]]
    index = _index_url(EventIndexPage)
    return Section("events", _("Events"), items,
                   index and index + _query(theme=theme.slug, country=country.code if country else ""),
                   _("The coming events on this theme in the calendar"))


def forum_section(theme, country) -> Section:
    """The Forum editions on the theme, then the proceedings (library documents) on it of any
    public edition."""
    forums = list(_pages(ForumPage, theme, country).order_by("-start", "-pk")[:LATEST])
    items = [Item(f.title, f.url, str(f.year)) for f in forums]
    public_resources = ResourcePage.objects.live().public().filter(locale=Locale.get_active(), themes=theme)
    public_forums = ForumPage.objects.live().public().filter(locale=Locale.get_active())
    if country is not None:  # the proceedings of the Forum editions held in the country
        public_forums = public_forums.filter(country=country)
    proceedings = (
        ForumProceeding.objects.filter(resource__in=public_resources.values("pk"),
                                       page__in=public_forums.values("pk"))
        .select_related("resource", "page").order_by("-page__start", "sort_order")[:LATEST]
    )
    for proceeding in proceedings:
        items.append(Item(proceeding.resource.title, proceeding.resource.url,
                          str(_("Proceedings: %(forum)s") % {"forum": proceeding.page.title})))
    return Section("forum", _("The Forum"), items)


def organizations(theme, country) -> list:
    found = SupportingOrganization.objects.in_directory().filter(themes=theme)
    if country is not None:
        found = found.filter(countries=country)
    return list(found.distinct().only("pk", "name", "acronym"))


def indicators(theme, country) -> Indicators:
    """The inventory's indicators that speak to `theme`: the latest final year's values of the whole
    network (of `country` when given), their labels and definitions from the inventory's glossary."""
    from inventory.opendata import figures
    from inventory.opendata.glossary import BY_ANCHOR, anchor, column_kind, column_label
    from inventory.opendata.synthesis import current_synthesis, synthesis_rows

    columns = INDICATORS.get(theme.slug, [])
    if not columns:
        return Indicators()
    rows = list(synthesis_rows(current_synthesis()))
    scope = country.code if country is not None else "ALL"
    year = figures.default_year(rows, scope)
    row = figures.row_for(rows, scope, year) if year is not None else None
    items = []
    for column in columns:
        entry = anchor(column)
        value = figures.Cell(row.get(column) if row else None, column_kind(column)).text
        items.append(Indicator(column, column_label(column), value,
                               str(BY_ANCHOR[entry].definition) if entry in BY_ANCHOR else "", entry))
    return Indicators(year, figures.is_provisional(row), country.name if country is not None else "", items)


def theme_page(theme, country=None) -> dict:
    """Everything the theme's page shows (`country`: only what is about that country)."""
    return {
        "sections": [
            library_section(theme, country, profiles=False),
            library_section(theme, country, profiles=True),
            articles_section(theme, country),
            events_section(theme, country),
            forum_section(theme, country),
        ],
        "organizations": organizations(theme, country),
        "indicators": indicators(theme, country),
    }


# --- The overview's matrix ------------------------------------------------------------------------

def _counts(queryset, country_field: str) -> tuple[Counter, Counter]:
    """(by (theme id, country id), by theme id): how many distinct items of `queryset` name each."""
    cells = Counter()
    for row in queryset.values("themes", country_field).annotate(n=Count("pk", distinct=True)):
        if row["themes"] and row[country_field]:
            cells[(row["themes"], row[country_field])] += row["n"]
    totals = Counter()
    for row in queryset.values("themes").annotate(n=Count("pk", distinct=True)):
        if row["themes"]:
            totals[row["themes"]] += row["n"]
    return cells, totals


@dataclass
class Row:
    theme: Theme
    total: int
    cells: list[tuple[Country, int]]


def overview_matrix() -> tuple[list[Country], list[Row]]:
    """(the network's countries, a row per theme): how many public things in the reader's language —
    resources, project profiles, articles, events and organizations — name each theme and country."""
    locale = Locale.get_active()
    cells, totals = Counter(), Counter()
    sources = [
        (ResourcePage.objects.live().public().filter(locale=locale), "countries"),
        (ProjectProfilePage.objects.live().public().filter(locale=locale), "countries"),
        (ArticlePage.objects.live().public().filter(locale=locale), "countries"),
        (EventPage.objects.live().public().filter(locale=locale), "country"),
        (SupportingOrganization.objects.in_directory().order_by(), "countries"),
    ]
    for queryset, country_field in sources:
        kind_cells, kind_totals = _counts(queryset, country_field)
        cells.update(kind_cells)
        totals.update(kind_totals)
    countries = list(Country.objects.filter(in_network=True))
    countries.sort(key=lambda c: c.name)
    themes = sorted(Theme.objects.all(), key=lambda t: t.name)
    rows = [Row(theme, totals[theme.pk], [(c, cells[(theme.pk, c.pk)]) for c in countries])
            for theme in themes]
    return countries, rows


def theme_url(theme, country=None) -> str:
    url = reverse("themes:detail", args=[theme.slug])
    return url + _query(country=country.code) if country is not None else url
