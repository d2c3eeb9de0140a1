"""Server-rendered SVG charts and the map of Africa for the inventory's public pages.

Pure functions: figures in, an SVG string out (marked safe: every piece of text in it is escaped here).
No JavaScript, no external asset; each chart is an `<svg role="img">` with a `<title>` and a `<desc>`
that it is labelled by, scales to its container (`viewBox`, `width="100%"`) and keeps its text at about
12 px on a 360 px phone. Numbers follow the active language through `number_format` ("1 234,5" in
French, "1,234.5" in English). Colours: ColorBrewer's YlGnBu for the map's classes and the Okabe-Ito
palette for lines, both readable with the common colour-vision deficiencies; lines also differ by
their dashes. The pages put each chart's data in a table beside it: the charts are a reading aid,
never the only place a figure appears.
"""

import hashlib
import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portal.i18n import is_english

MAP_FILE = Path(__file__).resolve().parent / "maps" / "africa.json"

# ColorBrewer YlGnBu, light to dark, for 1 to 5 classes.
SEQUENTIAL = {
    1: ["#41b6c4"],
    2: ["#a1dab4", "#225ea8"],
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
}
OUTSIDE_FILL = "#eceff1"  # countries outside the inventory
LINE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"]  # Okabe-Ito
LINE_DASHES = ["", "10 5", "3 4", "14 4 3 4", "6 3"]
MAX_SERIES = len(LINE_COLOURS)
INK, MUTED, GRID = "#1d2327", "#4a5560", "#d5dde1"

Format = str | Callable[[float], str]


# --- Numbers -------------------------------------------------------------------------------------

def format_value(value: float | None, kind: Format = "number", decimals: int | None = None) -> str:
    """`value` for reading in the active language.

    `kind`: "integer" (rounded, grouped digits), "number" (one decimal unless whole), "percent" (a ratio,
    0.125 → "12,5 %"), or any callable taking the value. `decimals` forces the decimals shown (ticks).
    Missing values read "—".
    """
    if not _present(value):
        return "—"
    if callable(kind):
        return kind(value)
    if kind == "percent":
        places = 1 if decimals is None else decimals
        return _number(round(value * 100, places), places) + "\u00a0%"
    if kind == "integer":
        return _number(round(value), 0)
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    return _number(round(value, decimals), decimals)


def _present(value) -> bool:
    """False for a missing value: None, NaN (pandas' empty cell) or pandas' NA."""
    try:
        return value is not None and not math.isnan(value)
    except TypeError:
        return False


def _number(value: float, decimals: int) -> str:
    if decimals == 0:
        value = int(value)
    return number_format(value, decimal_pos=decimals or None, use_l10n=True, force_grouping=True)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 times a power of ten) covering [low, high]."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + (abs(low) or 1)
    raw = (high - low) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    start = math.floor(low / step + 1e-9) * step
    ticks = [round(start, 12)]
    while ticks[-1] < high - step * 1e-9 or len(ticks) < 2:
        ticks.append(round(start + step * len(ticks), 12))
    return ticks


def _tick_decimals(ticks: list[float], kind: Format) -> int | None:
    """Decimals that show every tick distinctly (0 for whole steps)."""
    if callable(kind) or len(ticks) < 2:
        return None
    step = abs(ticks[1] - ticks[0]) * (100 if kind == "percent" else 1)
    return next(d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6 * 10**d or d == 6)


# --- SVG helpers ------------------------------------------------------------------------------

def _uid(*parts) -> str:
    """A stable id prefix, different for different charts on one page."""
    return "c" + hashlib.sha1(repr(parts).encode()).hexdigest()[:8]


def _n(value: float) -> str:
    """A coordinate with at most one decimal."""
    return f"{round(value, 1):g}"


def _svg(uid: str, width: float, height: float, title: str, description: str, body: list[str],
         css_class: str, font_size: int) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(width)} {_n(height)}" width="100%" '
        f'class="chart {css_class}" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'font-size="{font_size}" font-family="system-ui, sans-serif" fill="{INK}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, **attrs) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{_n(x)}" y="{_n(y)}"{extra}>{escape(text)}</text>'


def _text_width(text: str, font_size: float) -> float:
    """A generous estimate of a label's width (no font metrics on the server)."""
    return len(text) * font_size * 0.6


def _wrap(text: str, font_size: float, available: float) -> list[str]:
    """`text` cut at spaces into lines that fit `available` units (a longer word keeps its line)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and _text_width(f"{lines[-1]} {word}", font_size) <= available:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _text_lines(x: float, y: float, lines: list[str], line_height: float, **attrs) -> str:
    """Several lines of text, the first baseline at `y`."""
    return "".join(_text(x, y + n * line_height, line, **attrs) for n, line in enumerate(lines))


# --- The map of Africa ------------------------------------------------------------------------

@cache
def africa() -> dict:
    """The map's geometry: {"viewBox", "names": {code: {"en", "fr"}}, "paths": {code: d}}."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@dataclass
class MapClass:
    """One class of the choropleth: its colour, the values' range and the countries in it."""

    colour: str
    low: float
    high: float
    codes: list[str] = field(default_factory=list)
    label: str = ""


def classify(values: Mapping[str, float | None], *, classes: int = 5,
             bins: Sequence[float] | None = None, value_format: Format = "number"
             ) -> tuple[list[MapClass], dict[str, int]]:
    """Shading classes for the countries' values, and each valued country's class index.

    Without `bins`: quantile classes — countries ranked by value and cut into at most `classes` groups
    of nearly equal size, equal values always in the same group; a class's legend gives the lowest and
    highest value in it. With `bins` (ascending thresholds): fixed classes "< b1", "b1 to < b2", …,
    "≥ bn". Empty classes are dropped and the palette spreads over the classes that remain. Missing
    values (None, NaN) are in no class.
    """
    present = {code: float(v) for code, v in values.items() if _present(v)}
    if not present:
        return [], {}
    ordered = sorted(present.values())
    index: dict[str, int] = {}
    for code, value in present.items():
        if bins is not None:
            index[code] = bisect_right(list(bins), value)
        else:
            # Rank = how many values are lower, so equal values share a class.
            index[code] = bisect_left(ordered, value) * min(classes, 5) // len(ordered)
    used = sorted(set(index.values()))
    palette = SEQUENTIAL[min(len(used), 5)] if len(used) <= 5 else None
    if palette is None:
        raise ValueError("At most five classes")
    result = []
    for position, raw in enumerate(used):
        codes = sorted(c for c, i in index.items() if i == raw)
        members = [present[c] for c in codes]
        item = MapClass(palette[position], min(members), max(members), codes)
        if bins is not None:
            lower = bins[raw - 1] if raw > 0 else None
            upper = bins[raw] if raw < len(bins) else None
            if lower is None:
                item.label = _("under %(value)s") % {"value": format_value(upper, value_format)}
            elif upper is None:
                item.label = _("%(value)s or more") % {"value": format_value(lower, value_format)}
            else:
                item.label = _("%(low)s to under %(high)s") % {
                    "low": format_value(lower, value_format), "high": format_value(upper, value_format)}
        elif item.low == item.high:
            item.label = format_value(item.low, value_format)
        else:
            item.label = f"{format_value(item.low, value_format)} – {format_value(item.high, value_format)}"
        result.append(item)
    index = {code: used.index(raw) for code, raw in index.items()}
    return result, index


def country_name(code: str, names: Mapping[str, str] | None = None) -> str:
    if names and code in names:
        return names[code]
    known = africa()["names"].get(code)
    if not known:
        return code
    return known["en"] if is_english() else known["fr"]


def choropleth(values: Mapping[str, float | None], *, title: str, legend_format: Format = "number",
               legend_title: str = "", description: str = "", classes: int = 5,
               bins: Sequence[float] | None = None, names: Mapping[str, str] | None = None,
               links: Mapping[str, str] | None = None) -> SafeString:
    """Africa shaded by one measure per country.

    `values`: {ISO alpha-2: value}; a country listed with None (or NaN) is "no data" (hatched); a
    country not listed is outside the inventory (pale grey, no hatching). Each country has a `<title>`
    with its name and value; `names` overrides the map's own French/English names; `links` makes a
    country a link (e.g. to its page). The legend (bottom left, in the Atlantic) gives the classes
    (see `classify`) and the two kinds of missing value when present.
    """
    geometry = africa()
    values = {code.upper(): v for code, v in values.items()}
    map_classes, index = classify(values, classes=classes, bins=bins, value_format=legend_format)
    uid = _uid("map", title, sorted(values.items(), key=lambda kv: kv[0]), legend_format, bins)
    hatch = f"{uid}-h"
    missing = sorted(c for c in values if c not in index)
    no_data_label, outside_label = _("No data"), _("Outside the inventory")

    body = [
        f'<defs><pattern id="{hatch}" width="12" height="12" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="12" height="12" fill="#fff"/>'
        f'<rect width="5" height="12" fill="#9aa5ab"/></pattern></defs>',
        '<g stroke="#fff" stroke-width="1.5" stroke-linejoin="round">',
    ]
    for code, d in geometry["paths"].items():
        name = country_name(code, names)
        if code in index:
            fill, reading = map_classes[index[code]].colour, format_value(values[code], legend_format)
        elif code in values:
            fill, reading = f"url(#{hatch})", no_data_label
        else:
            fill, reading = OUTSIDE_FILL, outside_label
        shape = f'<path d="{d}" fill="{fill}"><title>{escape(name)}: {escape(reading)}</title></path>'
        if links and code in links:
            shape = f'<a href="{escape(links[code])}">{shape}</a>'
        body.append(shape)
    body.append("</g>")

    # Legend below the map (text the size of the page's small print on a phone): the classes, then
    # the kinds of missing value; in two columns when the labels are short enough.
    rows = [(c.colour, c.label) for c in map_classes]
    if missing:
        rows.append((f"url(#{hatch})", no_data_label))
    if any(code not in values for code in geometry["paths"]):
        rows.append((OUTSIDE_FILL, outside_label))
    width, map_height = (float(v) for v in geometry["viewBox"].split()[2:])
    font, row = 40, 56
    columns = 2 if all(_text_width(label, font) + 80 < width / 2 for _fill, label in rows) else 1
    per_column = math.ceil(len(rows) / columns)
    top = map_height + 16
    legend = ['<g class="legend">']
    if legend_title:
        title_lines = _wrap(legend_title, font, width - 24)
        legend.append(_text_lines(12, top + 38, title_lines, row - 8, font_weight="bold"))
        top += row + (len(title_lines) - 1) * (row - 8)
    for n, (fill, label) in enumerate(rows):
        x, y = 12 + (n // per_column) * width / 2, top + (n % per_column) * row
        legend.append(f'<rect x="{_n(x)}" y="{_n(y + 6)}" width="52" height="40" fill="{fill}" '
                      f'stroke="{MUTED}" stroke-width="1"/>')
        legend.append(_text(x + 66, y + 40, label))
    legend.append("</g>")
    height = top + per_column * row + 8
    body += legend

    if not description:
        def listed(codes):
            return ", ".join(country_name(code, names) for code in codes)
        parts = [f"{c.label}: {listed(c.codes)}" for c in map_classes]
        if missing:
            parts.append(f"{no_data_label}: {listed(missing)}")
        description = _("Map of Africa shaded by country.") + " " + "; ".join(parts) + "."
    return _svg(uid, width, height, title, description, body, "chart-map", font)


# --- Trends over the years --------------------------------------------------------------------

def line_chart(series: Mapping[str, Sequence[tuple[int, float | None]]], *, title: str,
               y_format: Format = "number", description: str = "", width: int = 440,
               plot_height: int = 240, zero_based: bool = True) -> SafeString:
    """Trends over years: one line per series (at most five), each with its colour and dash.

    `series`: {name: [(year, value or None), …]}. A missing value, or a year absent between two
    present ones, breaks the line; every point has a marker with a `<title>` (series, year, value), so
    a lone year still shows. The y axis starts at zero unless a value is negative or `zero_based` is
    False, with round ticks; years are labelled at a round step.
    """
    if len(series) > MAX_SERIES:
        raise ValueError(f"At most {MAX_SERIES} series in a line chart")
    font = 17
    cleaned = {
        name: sorted((int(y), float(v) if _present(v) else None) for y, v in points)
        for name, points in series.items()
    }
    years = sorted({y for points in cleaned.values() for y, _v in points})
    present = [v for points in cleaned.values() for _y, v in points if v is not None]
    uid = _uid("line", title, sorted(cleaned.items()), y_format)

    body = []
    y = 23
    for n, name in enumerate(cleaned):
        dash = f' stroke-dasharray="{LINE_DASHES[n]}"' if LINE_DASHES[n] else ""
        body.append(f'<line x1="4" y1="{y}" x2="48" y2="{y}" stroke="{LINE_COLOURS[n]}" '
                    f'stroke-width="3"{dash}/>')
        lines = _wrap(name, font, width - 60)
        body.append(_text_lines(56, y + 6, lines, 21))
        y += 5 + 21 * len(lines)
    top = y + 1

    if not present:
        height = top + 60
        body.append(_text(width / 2, top + 30, _("No data"), text_anchor="middle", fill=MUTED))
        return _svg(uid, width, height, title, description or _("No data"), body, "chart-line", font)

    low, high = min(present), max(present)
    if zero_based:
        low, high = min(low, 0.0), max(high, 0.0)
    ticks = nice_ticks(low, high)
    decimals = _tick_decimals(ticks, y_format)
    labels = [format_value(t, y_format, decimals) for t in ticks]
    left = 8 + max(_text_width(label, font) for label in labels)
    right, bottom = 16, top + plot_height
    height = bottom + 34
    x0, x1 = left + 10, width - right - 10

    def x_of(year):
        if len(years) == 1:
            return (x0 + x1) / 2
        return x0 + (year - years[0]) * (x1 - x0) / (years[-1] - years[0])

    def y_of(value):
        return bottom - (value - ticks[0]) * plot_height / (ticks[-1] - ticks[0])

    for tick, label in zip(ticks, labels, strict=True):
        y = y_of(tick)
        body.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - right)}" y2="{_n(y)}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(_text(left - 6, y + 6, label, text_anchor="end", fill=MUTED))
    span = years[-1] - years[0]
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= 6)
    for year in years:
        if (year - years[0]) % step == 0 or (year == years[-1] and (year - years[0]) % step > step / 2):
            body.append(_text(x_of(year), bottom + 24, str(year), text_anchor="middle", fill=MUTED))

    for n, (name, points) in enumerate(cleaned.items()):
        colour = LINE_COLOURS[n]
        dash = f' stroke-dasharray="{LINE_DASHES[n]}"' if LINE_DASHES[n] else ""
        segments, current, previous_year = [], [], None
        for year, value in points:
            if value is None or (previous_year is not None and year != previous_year + 1):
                if len(current) > 1:
                    segments.append(current)
                current = []
            if value is not None:
                current.append((year, value))
            previous_year = year
        if len(current) > 1:
            segments.append(current)
        for segment in segments:
            d = "M" + " L".join(f"{_n(x_of(y))} {_n(y_of(v))}" for y, v in segment)
            body.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="3" '
                        f'stroke-linejoin="round"{dash}/>')
        for year, value in points:
            if value is None:
                continue
            reading = f"{name}, {year}: {format_value(value, y_format)}"
            body.append(f'<circle cx="{_n(x_of(year))}" cy="{_n(y_of(value))}" r="4" fill="{colour}">'
                        f"<title>{escape(reading)}</title></circle>")

    if not description:
        parts = []
        for name, points in cleaned.items():
            known = [(y, v) for y, v in points if v is not None]
            if known:
                parts.append(_("%(series)s from %(first)s in %(first_year)s to %(last)s in %(last_year)s") % {
                    "series": name, "first": format_value(known[0][1], y_format), "first_year": known[0][0],
                    "last": format_value(known[-1][1], y_format), "last_year": known[-1][0]})
            else:
                parts.append(_("%(series)s: no data") % {"series": name})
        description = "; ".join(parts) + "."
    return _svg(uid, width, height, title, description, body, "chart-line", font)


# --- Counts by category ------------------------------------------------------------------------

def bar_chart(data: Mapping[str, float | None] | Sequence[tuple[str, float | None]], *, title: str,
              x_format: Format = "integer", description: str = "", width: int = 440) -> SafeString:
    """Horizontal bars, one per category in the order given, each label above its bar (long labels fit
    a phone) and the value after it; a missing value reads "no data" instead of a bar."""
    items = list(data.items()) if isinstance(data, Mapping) else list(data)
    font, row = 17, 50  # a row: one line of label, then the bar
    uid = _uid("bar", title, items, x_format)
    known = [float(v) for _k, v in items if v is not None]
    high = max(known + [0.0])
    longest = max((_text_width(format_value(v, x_format), font) for _k, v in items), default=0)
    span = width - 8 - longest - 12
    body = []
    y = 6
    for label, value in items:
        lines = _wrap(label, font, width - 8)
        body.append(_text_lines(4, y + 16, lines, 21))
        y += 21 * (len(lines) - 1)
        if value is None:
            body.append(_text(4, y + 40, _("no data"), fill=MUTED, font_style="italic"))
        else:
            length = max(span * float(value) / high if high > 0 else 0, 0)
            body.append(f'<rect x="4" y="{y + 24}" width="{_n(length)}" height="18" '
                        f'fill="{LINE_COLOURS[0]}">'
                        f"<title>{escape(label)}: {escape(format_value(value, x_format))}</title></rect>")
            body.append(_text(4 + length + 6, y + 39, format_value(value, x_format)))
        y += row
    height = y + 4
    if not description:
        description = "; ".join(f"{label}: {format_value(v, x_format)}" for label, v in items) + "."
    return _svg(uid, width, max(height, 40), title, description, body, "chart-bar", font)


# --- An indicator across mutuals --------------------------------------------------------------

@dataclass
class Summary:
    """Five-number summary of the values present; quartiles interpolated linearly between ranks (the
    method of pandas' `quantile`, whose median is the midpoint of the two middle values, as the
    synthesis table's)."""

    n: int
    missing: int
    minimum: float | None = None
    q1: float | None = None
    median: float | None = None
    q3: float | None = None
    maximum: float | None = None


def _quantile(ordered: list[float], p: float) -> float:
    position = (len(ordered) - 1) * p
    below = math.floor(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def summarize(values: Sequence[float | None]) -> Summary:
    """n, missing count, minimum, quartiles, median and maximum of `values` (None and NaN skipped)."""
    present = sorted(float(v) for v in values if _present(v))
    summary = Summary(n=len(present), missing=len(values) - len(present))
    if present:
        summary.minimum, summary.maximum = present[0], present[-1]
        summary.q1, summary.median, summary.q3 = (_quantile(present, p) for p in (0.25, 0.5, 0.75))
    return summary


def distribution(values: Sequence[float | None] | Mapping[str, Sequence[float | None]], *, title: str,
                 value_format: Format = "number", description: str = "", width: int = 440) -> SafeString:
    """An indicator across mutuals as a box plot over a strip of the values themselves.

    `values`: one sequence (one row) or {label: sequence} (a row each, e.g. per year). Each row shows
    every value as a dot, the box from the first to the third quartile, the median as a thick line,
    whiskers to the minimum and maximum, and a line of text with n and the median; a row without any
    value says "no data". Missing values are left out and counted in the description.
    """
    rows = dict(values) if isinstance(values, Mapping) else {"": values}
    font = 17
    summaries = {label: summarize(list(v)) for label, v in rows.items()}
    uid = _uid("dist", title, {k: list(v) for k, v in rows.items()}, value_format)
    present = [float(v) for seq in rows.values() for v in seq if _present(v)]
    body = []
    labelled = any(rows)
    left, right = 12, width - 12
    if present:
        ticks = nice_ticks(min(present), max(present), 4)
    else:
        ticks = [0.0, 1.0]

    def x_of(value):
        return left + (value - ticks[0]) * (right - left) / (ticks[-1] - ticks[0])

    parts = []
    y = 4
    for label, seq in rows.items():
        s = summaries[label]
        if s.n == 0:
            line = _("no data")
        else:
            line = _("n = %(n)s · median %(median)s") % {
                "n": format_value(s.n, "integer"), "median": format_value(s.median, value_format)}
        heading = f"{label}: {line}" if label else line
        if labelled:  # the label on lines of its own: long indicator names fit a phone
            lines = _wrap(label, font, right - left)
            body.append(_text_lines(left, y + 18, lines, 21, font_weight="bold"))
            y += 21 * len(lines)
        body.append(_text(left, y + 18, line))
        if s.n == 0:
            parts.append(heading)
            y += 40
            continue
        parts.append(heading + " " + _("(from %(min)s to %(max)s, quartiles %(q1)s and %(q3)s)") % {
            "min": format_value(s.minimum, value_format), "max": format_value(s.maximum, value_format),
            "q1": format_value(s.q1, value_format), "q3": format_value(s.q3, value_format)})
        mid = y + 50
        body.append(f'<line x1="{_n(x_of(s.minimum))}" y1="{mid}" x2="{_n(x_of(s.maximum))}" y2="{mid}" '
                    f'stroke="{MUTED}" stroke-width="2"/>')
        for end in (s.minimum, s.maximum):
            body.append(f'<line x1="{_n(x_of(end))}" y1="{mid - 10}" x2="{_n(x_of(end))}" y2="{mid + 10}" '
                        f'stroke="{MUTED}" stroke-width="2"/>')
        body.append(f'<rect x="{_n(x_of(s.q1))}" y="{mid - 16}" width="{_n(x_of(s.q3) - x_of(s.q1))}" '
                    f'height="32" fill="#c6dbef" stroke="{LINE_COLOURS[0]}" stroke-width="1.5"/>')
        # The dots, spread over three lanes so equal values stay visible.
        clean = [float(v) for v in seq if _present(v)]
        body.append('<g fill="#08306b" fill-opacity=".55">')
        body += [f'<circle cx="{_n(x_of(v))}" cy="{mid - 8 + 8 * (i % 3)}" r="3"/>'
                 for i, v in enumerate(clean)]
        body.append("</g>")
        body.append(f'<line x1="{_n(x_of(s.median))}" y1="{mid - 18}" x2="{_n(x_of(s.median))}" '
                    f'y2="{mid + 18}" stroke="{INK}" stroke-width="4"/>')
        y += 86
    axis_y = y + 4
    decimals = _tick_decimals(ticks, value_format)
    body.append(f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" stroke="{MUTED}" '
                f'stroke-width="1"/>')
    for n, tick in enumerate(ticks):
        anchor = "start" if n == 0 else "end" if n == len(ticks) - 1 else "middle"
        body.append(f'<line x1="{_n(x_of(tick))}" y1="{axis_y}" x2="{_n(x_of(tick))}" y2="{axis_y + 6}" '
                    f'stroke="{MUTED}"/>')
        body.append(_text(x_of(tick), axis_y + 24, format_value(tick, value_format, decimals),
                          text_anchor=anchor, fill=MUTED))
    height = axis_y + 32
    if not description:
        missing = sum(s.missing for s in summaries.values())
        description = "; ".join(parts) + "."
        if missing:
            description += " " + _("%(count)s not computable, left out.") % {
                "count": format_value(missing, "integer")}
    return _svg(uid, width, height, title, description, body, "chart-distribution", font)
