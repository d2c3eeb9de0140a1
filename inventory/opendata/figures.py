"""The figures of the public inventory pages: each chart with the table of what it draws and the CSV
of that same table, so a reader can check, copy or reuse every figure.

Pure functions: synthesis rows (dicts from `synthesis.synthesis_rows`, None for empty cells) and
returns frames in, `Figure`s out; no ORM, no request. The views pass the country names and links,
and stream `Figure.csv_lines()` for the download. The CSV writes each cell with the contract's
`format_cell` (plain decimal numbers, empty for missing, UTF-8) under machine-readable column names,
through the portal's CSV writer (a text starting like a spreadsheet formula gets a `'` in front);
the table shows the same values in the reader's format.
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.i18n import by_name

from ..campaign.provisional import PROVISIONAL
from ..contract import schema
from ..contract.choices import MutualStatus, MutualType
from . import africa_map, charts, drawing
from .glossary import STATUS_COLUMNS, anchor, column_kind, column_label

# Measures the map can shade by (synthesis columns). Not the average episode cost: currencies differ.
MAP_MEASURES = [
    "mutuals_known", "mutuals_reporting", "response_rate", "mutuals_functional", "members",
    "beneficiaries", "penetration_rate", "penetration_rate_median", "growth_rate_median",
    "renewal_rate_median", "collection_rate_median", "utilisation_rate_median", "claims_ratio_median",
    "expense_ratio_median", "own_resources_coverage_median", "subsidy_dependence_median",
    "reserve_cover_months_median",
]
DEFAULT_MEASURE = "mutuals_reporting"
# Fixed class breaks for the map, per measure, where a threshold means something to a reader (the
# same every year, so a colour keeps its meaning): half the mutuals reporting; growth or decline;
# benefits or costs above contributions (100 %); own resources covering the charges (100 %); reserves
# of one, three, six months, a year. A measure not listed (the counts, the utilisation rate) is cut
# into equal intervals of a round width.
MAP_BREAKS = {
    "response_rate": [0.5, 0.75, 0.9],
    "penetration_rate": [0.05, 0.1, 0.2, 0.3],
    "penetration_rate_median": [0.05, 0.1, 0.2, 0.3],
    "growth_rate_median": [-0.05, 0.0, 0.05, 0.1],
    "renewal_rate_median": [0.5, 0.6, 0.7, 0.8],
    "collection_rate_median": [0.5, 0.7, 0.8, 0.9],
    "claims_ratio_median": [0.5, 0.7, 0.85, 1.0],
    "expense_ratio_median": [0.1, 0.15, 0.2, 0.3],
    "own_resources_coverage_median": [0.75, 1.0, 1.25],
    "subsidy_dependence_median": [0.1, 0.25, 0.5],
    "reserve_cover_months_median": [1, 3, 6, 12],
}
# A country's card on the map: these figures of its synthesis row, with the measure shown.
CARD_FIGURES = ["mutuals_known", "mutuals_reporting", "response_rate", "beneficiaries"]
KEY_FIGURES = ["mutuals_known", "mutuals_reporting", "mutuals_functional", "members", "beneficiaries",
               "penetration_rate"]
# The overview's trends (country ALL): slug -> columns drawn, one line each.
TRENDS = {
    "mutuals": ["mutuals_known", "mutuals_reporting", "mutuals_functional"],
    "people": ["members", "beneficiaries"],
    "rates": ["response_rate", "penetration_rate"],
}
STATUS_LABELS = {"provisional": gettext_lazy("provisional"), "final": gettext_lazy("final")}
DISTRIBUTED = ["penetration_rate", "growth_rate", "renewal_rate", "collection_rate", "utilisation_rate",
               "average_episode_cost", "claims_ratio", "expense_ratio", "own_resources_coverage",
               "subsidy_dependence", "reserve_cover_months"]


@dataclass
class Cell:
    """A value and how it reads: kind "text", "year", or a `drawing.format_value` kind."""

    value: object
    kind: str = "text"
    link: str | None = None

    @property
    def text(self) -> str:
        if self.value is None:
            return "—"
        if self.kind == "status":  # year_status: the CSV keeps the code, the page reads it
            return str(STATUS_LABELS.get(self.value, self.value))
        if self.kind == "text":
            return str(self.value)
        if self.kind == "year":
            return str(int(self.value))
        return drawing.format_value(self.value, self.kind)

    @property
    def numeric(self) -> bool:
        return self.kind not in ("text", "year", "status")


@dataclass
class Column:
    name: str  # the CSV header
    label: str  # the table header
    glossary: str | None = None  # anchor of the glossary entry the header links to


@dataclass
class Figure:
    """One chart (or a small set of charts) with its table; `slug` names its CSV."""

    slug: str
    title: str
    columns: list[Column]
    rows: list[list[Cell]]
    charts: list[SafeString] = field(default_factory=list)
    note: str = ""
    csv_url: str = ""  # set by the view
    cards: list = field(default_factory=list)  # the map's `MapCard`s
    wide_charts: list[SafeString] = field(default_factory=list)  # the same charts drawn for a wide screen
    # Per chart (same order as `charts`), set by the view: its anchor on the page, the page's address
    # showing it with its parameters, and the chart alone as an SVG file.
    chart_links: list[dict] = field(default_factory=list)

    @property
    def boxes(self) -> list[dict]:
        """Each chart with its wide version and its links, for the template; a chart with an SVG file
        (`download`) also as an image of that file (`image`, `wide_image`: the page's drawings, each
        loaded only on the screens that show it, out of the page's first round trip)."""
        wide = self.wide_charts or [None] * len(self.charts)
        links = self.chart_links or [{}] * len(self.charts)
        boxes = []
        for svg, w, link in zip(self.charts, wide, links, strict=True):
            box = {"svg": svg, "wide": w, **link}
            if link.get("download"):
                box["image"] = _image(svg, link["download"], "narrow")
                box["wide_image"] = _image(w, link["download"], "wide") if w else None
            boxes.append(box)
        return boxes

    def csv_lines(self) -> Iterator[list]:
        """The table as CSV records: the column names, then each row's values, for a writer that
        formats them as the contract does (`exports.format_cell`)."""
        yield [c.name for c in self.columns]
        for row in self.rows:
            yield [cell.value for cell in row]


DRAWINGS = ("narrow", "wide")  # the `drawing` of a chart's file as the page shows it


def drawing_url(download: str, size: str) -> str:
    """The address of a chart as a page shows it (`size`: one of `DRAWINGS`): its SVG file's
    (`download`) with `drawing`."""
    return download + ("&" if "?" in download else "?") + urlencode({"drawing": size})


def _image(svg: str, download: str, size: str) -> dict:
    width, height = drawing.svg_size(svg)
    return {"src": drawing_url(download, size), "width": str(round(width)), "height": str(round(height)),
            "alt": drawing.svg_title(svg)}


def _column(name: str) -> Column:
    return Column(name, column_label(name), anchor(name))


def _value(row: Mapping | None, name: str):
    return None if row is None else row.get(name)


def years(rows: Sequence[Mapping]) -> list[int]:
    """The years with at least one validated return (those of the ALL rows), oldest first."""
    return sorted({r["year"] for r in rows if r["country"] == "ALL"})


def row_for(rows: Sequence[Mapping], country: str, year: int) -> Mapping | None:
    return next((r for r in rows if r["country"] == country and r["year"] == year), None)


def key_figures(row: Mapping | None) -> list[dict]:
    """The headline figures of one synthesis row: label, value for reading, glossary anchor."""
    result = []
    for name in KEY_FIGURES:
        result.append({"name": name, "label": column_label(name), "anchor": anchor(name),
                       "value": Cell(_value(row, name), column_kind(name)).text})
    return result


def is_provisional(row: Mapping | None) -> bool:
    """Whether a synthesis row's year is provisional (its `year_status`, `campaign.provisional`)."""
    return row is not None and row.get("year_status") == PROVISIONAL


def provisional_years(rows: Sequence[Mapping]) -> set[int]:
    return {r["year"] for r in rows if is_provisional(r)}


def default_year(rows: Sequence[Mapping], country: str = "ALL") -> int | None:
    """The year the pages show first for `country`: its latest final year with validated returns;
    its latest year when every one is provisional; None when it has none."""
    own = [r for r in rows if r["country"] == country]
    final = [r["year"] for r in own if not is_provisional(r)]
    if final:
        return max(final)
    return max((r["year"] for r in own), default=None)


def _year_facts(row: Mapping) -> dict:
    return {"year": row["year"], "provisional": is_provisional(row),
            "response_rate": Cell(row.get("response_rate"), "percent").text}


def headline(rows: Sequence[Mapping], country: str = "ALL", year: int | None = None) -> dict | None:
    """A country's (or, with ALL, every country's) key figures for `year` — by default the latest
    final year — with what says whether to trust them: `{"year", "provisional", "response_rate",
    "items", "other"}`. `other` is the one click away: the latest year when it is provisional and
    not the one shown, or the latest final year when the one shown is provisional (else None).
    None when the country has no validated return."""
    own = {r["year"]: r for r in rows if r["country"] == country}
    if not own:
        return None
    shown = year if year in own else default_year(rows, country)
    row = own[shown]
    latest = max(own)
    other = None
    if shown != latest and is_provisional(own[latest]):
        other = own[latest]
    elif is_provisional(row):
        finals = [y for y, r in own.items() if not is_provisional(r)]
        other = own[max(finals)] if finals else None
    return {**_year_facts(row), "items": key_figures(row),
            "other": _year_facts(other) if other is not None else None}


def latest_key_figures(rows: Sequence[Mapping]) -> dict | None:
    """The key figures of all countries together for the latest final year (`headline`), with the
    provisional year one click away; None when no return is validated yet."""
    return headline(rows, "ALL")


# --- Overview --------------------------------------------------------------------------------------

@dataclass
class MapCard:
    """What a tap on a country of the map opens: its figures for the year and a link to its page."""

    code: str
    name: str
    link: str
    items: list[tuple[str, str, str | None]]  # (label, value for reading, glossary anchor)

    @property
    def anchor(self) -> str:
        return f"map-card-{self.code}"


def map_figure(rows: Sequence[Mapping], *, year: int, measure: str, countries: Mapping[str, str],
               link: Callable[[str], str], focus: Sequence[str] | None = None,
               link_cards: bool = True, card_page: str = "") -> Figure:
    """Africa shaded by `measure` in `year`: each inventory country (`countries`: code -> name) with
    its synthesis row's value, "no data" when it has no row that year or the value is empty.

    With `focus` (the network's countries) the map is zoomed on them, each named or keyed, and each
    country links to its card (`Figure.cards`, shown by the page under the map), which links to its
    page (`link_cards` False: straight to its page, for the map as a file). With `card_page` (the
    address of the page showing the cards), each country opens its card on that page from a frame
    (the map drawn apart from the page, `target="_parent"`). The classes are the
    measure's fixed breaks (`MAP_BREAKS`) or equal intervals."""
    kind = column_kind(measure)
    by_code = {r["country"]: r for r in rows if r["year"] == year and r["country"] != "ALL"}
    codes = by_name(set(countries) | set(by_code), name=lambda c: countries.get(c, c))
    values = {code: _value(by_code.get(code), measure) for code in codes}
    label = column_label(measure)
    title = _("%(measure)s by country, %(year)s") % {"measure": label, "year": year}
    links = {code: link(code) for code in codes}
    bins = MAP_BREAKS.get(measure)
    shown = [measure] + [n for n in CARD_FIGURES if n != measure]
    cards = [MapCard(code, countries.get(code, code), links[code],
                     [(column_label(n), Cell(_value(by_code.get(code), n), column_kind(n)).text, anchor(n))
                      for n in shown])
             for code in codes]
    svg = africa_map.choropleth(values, title=title, legend_format=kind, legend_title=label,
                                names=countries, bins=bins, focus=focus,
                                links={c.code: f"{card_page}#{c.anchor}" for c in cards}
                                if focus and link_cards else links,
                                link_target="_parent" if card_page else "")
    columns = [Column("country", _("Code")), Column("country_name", _("Country")), Column("year", _("Year")),
               _column(measure)]
    with_n = measure.endswith("_median")
    if with_n:
        columns.append(_column(measure.removesuffix("_median") + "_n"))
    table = []
    for code in codes:
        row = by_code.get(code)
        cells = [Cell(code), Cell(countries.get(code, code), link=links[code]), Cell(year, "year"),
                 Cell(_value(row, measure), kind)]
        if with_n:
            cells.append(Cell(_value(row, measure.removesuffix("_median") + "_n"), "integer"))
        table.append(cells)
    note = _("Countries of the inventory without a validated return that year, or whose figure cannot be "
             "computed, are hatched; the other countries are not covered by the inventory.")
    note += " " + africa_map.classes_method(bins, kind, list(values.values()))
    return Figure("map", title, columns, table, [svg], note, cards=cards)


def trend_figures(rows: Sequence[Mapping]) -> list[Figure]:
    """The overview's trends over the years, for all countries together (the ALL rows)."""
    everywhere = sorted((r for r in rows if r["country"] == "ALL"), key=lambda r: r["year"])
    provisional = provisional_years(everywhere)
    titles = {
        "mutuals": _("Mutuals known, reporting and functional"),
        "people": _("Members and beneficiaries of the functional mutuals"),
        "rates": _("Response rate and penetration rate"),
    }
    result = []
    for slug, names in TRENDS.items():
        kind = column_kind(names[0])
        series = {column_label(n): [(r["year"], r[n]) for r in everywhere] for n in names}
        svg = charts.line_chart(series, title=titles[slug], y_format=kind, provisional=provisional)
        wide = charts.line_chart(series, title=titles[slug], y_format=kind, provisional=provisional,
                                 **charts.WIDE)
        table = [[Cell(r["year"], "year"), *(Cell(r[n], column_kind(n)) for n in names),
                  Cell(r.get("year_status"), "status")] for r in everywhere]
        result.append(Figure(slug, titles[slug], [Column("year", _("Year")), *map(_column, names),
                                                  Column("year_status", _("Status"), "provisional")],
                             table, [svg], wide_charts=[wide]))
    return result


# --- A country ------------------------------------------------------------------------------------

@dataclass
class TableRow:
    column: str
    label: str
    anchor: str | None
    cells: list[Cell]
    counts: list[Cell] | None = None  # the `_n` behind a median, year by year

    @property
    def pairs(self) -> list[tuple[Cell, Cell | None]]:
        """Each year's cell with the count behind it (None for a column that is not a median)."""
        return list(zip(self.cells, self.counts or [None] * len(self.cells), strict=True))


def synthesis_table(rows: Sequence[Mapping]) -> tuple[list[int], list[tuple[str, list[TableRow]]]]:
    """A country's synthesis rows turned sideways for reading: years across (latest first), the
    columns down in three groups; every median carries the number of returns behind it."""
    ordered = sorted(rows, key=lambda r: r["year"], reverse=True)
    year_list = [r["year"] for r in ordered]

    def line(name):
        counts = None
        if name.endswith("_median"):
            n_name = name.removesuffix("_median") + "_n"
            counts = [Cell(r[n_name], "integer") for r in ordered]
        return TableRow(name, column_label(name), anchor(name),
                        [Cell(r[name], column_kind(name)) for r in ordered], counts)

    groups = [
        (_("Mutuals"), ["mutuals_known", "mutuals_reporting", "response_rate", *STATUS_COLUMNS]),
        (_("People (functional mutuals)"), ["target_population", "members", "beneficiaries",
                                            "penetration_rate"]),
        (_("Indicators: medians over the functional mutuals"), [f"{n}_median" for n in DISTRIBUTED]),
    ]
    return year_list, [(title, [line(n) for n in names]) for title, names in groups]


def synthesis_figure(rows: Sequence[Mapping], columns: Sequence[str]) -> Figure:
    """A country's synthesis rows as the contract's CSV (the download beside the sideways table)."""
    ordered = sorted(rows, key=lambda r: r["year"])
    kinds = {name: ("text" if name == "country" else "year" if name == "year"
                    else "status" if name == "year_status" else column_kind(name))
             for name in columns}
    table = [[Cell(r[name], kinds[name]) for name in columns] for r in ordered]
    return Figure("synthesis", _("Synthesis by year"), [Column(n, n) for n in columns], table)


def functional_returns(frame: pd.DataFrame, year: int) -> pd.DataFrame:
    """The validated returns of `year` with status functional (those the medians run over)."""
    return frame.loc[(frame["year"] == year) & (frame["status"] == "functional")]


def distributions_figure(frame: pd.DataFrame, *, year: int, currency: str = "") -> Figure:
    """Each indicator across the functional mutuals of `frame` for `year` (a returns frame with the
    contract's columns): one box plot per indicator and one table of their summaries."""
    functional = functional_returns(frame, year)
    svgs, table = [], []
    for name in DISTRIBUTED:
        kind = column_kind(name)
        values = [None if pd.isna(v) else float(v) for v in functional[name]]
        label = schema.title(name, "returns")  # the mutual's own indicator, not the pooled figure
        if name == "average_episode_cost" and currency:
            label = f"{label} ({currency})"
        svgs.append(charts.distribution({label: values}, title=label, value_format=kind))
        s = charts.summarize(values)
        table.append([Cell(name), Cell(label), Cell(s.n, "integer"),
                      *(Cell(v, kind) for v in (s.minimum, s.q1, s.median, s.q3, s.maximum)),
                      Cell(s.missing, "integer")])
    columns = [Column("indicator", _("Code")), Column("indicator_label", _("Indicator")),
               Column("n", _("n"), "median"),
               Column("minimum", _("Minimum")), Column("q1", _("First quartile"), "median"),
               Column("median", _("Median"), "median"), Column("q3", _("Third quartile"), "median"),
               Column("maximum", _("Maximum")),
               Column("not_computable", _("Not computable"), "not_computable")]
    title = _("Indicators across the functional mutuals, %(year)s") % {"year": year}
    return Figure("distributions", title, columns, table, svgs)


def status_figure(row: Mapping | None, *, year: int) -> Figure:
    """The mutuals that reported for `year` by their status (validated returns)."""
    items = [(str(MutualStatus(status).label), _value(row, column))
             for column, status in STATUS_COLUMNS.items()]
    title = _("Mutuals reporting in %(year)s, by status") % {"year": year}
    svg = charts.bar_chart(items, title=title)
    wide = charts.bar_chart(items, title=title, width=charts.WIDE["width"])
    table = [[Cell(status), Cell(label), Cell(count, "integer")]
             for (label, count), status in zip(items, STATUS_COLUMNS.values(), strict=True)]
    columns = [Column("status", _("Code")), Column("status_label", _("Status"), "status"),
               Column("mutuals", _("Mutuals"))]
    return Figure("status", title, columns, table, [svg], wide_charts=[wide])


def type_figure(frame: pd.DataFrame, *, year: int) -> Figure:
    """The mutuals that reported for `year` (validated returns, every status) by their type."""
    counts = frame.loc[frame["year"] == year, "mutual_type"].value_counts()
    items = [(str(label), int(counts.get(code, 0))) for code, label in MutualType.choices]
    title = _("Mutuals reporting in %(year)s, by type") % {"year": year}
    svg = charts.bar_chart(items, title=title)
    wide = charts.bar_chart(items, title=title, width=charts.WIDE["width"])
    table = [[Cell(code), Cell(label), Cell(count, "integer")]
             for (label, count), code in zip(items, MutualType.values, strict=True)]
    return Figure("type", title, [Column("mutual_type", _("Code")), Column("type_label", _("Type")),
                                  Column("mutuals", _("Mutuals"))], table, [svg], wide_charts=[wide])


# --- A group of mutuals (a project's) ----------------------------------------------------------------

GROUP_CHARTS = {
    "people": ["members", "beneficiaries"],
    "rates": ["penetration_rate", "collection_rate_median", "claims_ratio_median"],
}


def group_figure(rows: Sequence[Mapping], *, title: str) -> Figure:
    """A group's rows (`groups.group_rows`, oldest first) drawn as the overview draws its trends:
    members and beneficiaries, then the rates, each line drawn apart in the provisional years; the table and
    its CSV hold every column of `groups.GROUP_COLUMNS` (the medians with their `_n`) and the
    year's status, under the synthesis table's names."""
    from .groups import GROUP_COLUMNS

    ordered = sorted(rows, key=lambda r: r["year"])
    provisional = provisional_years(ordered)
    titles = {"people": _("Members and beneficiaries of the functional mutuals"),
              "rates": _("Penetration, collection and claims")}
    # Two charts side by side on a wide screen, each at its drawn size (as the distributions): no
    # wide drawing, whose text would be too small at half the page's width.
    svgs = []
    for slug, names in GROUP_CHARTS.items():
        series = {column_label(n): [(r["year"], r[n]) for r in ordered] for n in names}
        svgs.append(charts.line_chart(series, title=f"{title}: {titles[slug]}",
                                      y_format=column_kind(names[0]), provisional=provisional))
    columns = [Column("year", _("Year")), *map(_column, GROUP_COLUMNS),
               Column("year_status", _("Status"), "provisional")]
    table = [[Cell(r["year"], "year"), *(Cell(r[n], column_kind(n)) for n in GROUP_COLUMNS),
              Cell(r.get("year_status"), "status")] for r in ordered]
    note = _("Sums, the pooled penetration rate and the medians count the functional mutuals, as the "
             "inventory's synthesis does; n is the number of returns behind each median.")
    return Figure("group", title, columns, table, svgs, note)
