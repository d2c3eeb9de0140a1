"""Server-rendered SVG charts for the inventory's public pages (the map of Africa: `africa_map.py`).

Pure functions: figures in, an SVG string out (marked safe: every piece of text in it is escaped here).
No JavaScript, no external asset; each chart is an `<svg role="img">` with a `<title>` and a `<desc>`
that it is labelled by, scales to its container (`viewBox`, `width="100%"`) and keeps its text at about
12 px on a 360 px phone. Numbers follow the active language through `number_format` ("1 234,5" in
French, "1,234.5" in English). Colours: the Okabe-Ito palette for lines, readable with the common
colour-vision deficiencies; lines also differ by their dashes. The pages put each chart's data in a
table beside it: the charts are a reading aid, never the only place a figure appears.
"""

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .drawing import (
    GRID,
    INK,
    MUTED,
    Format,
    chart_id,
    coord,
    format_value,
    is_present,
    nice_ticks,
    svg_element,
    text_element,
    text_lines,
    text_width,
    tick_decimals,
    wrap_text,
)

LINE_COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"]  # Okabe-Ito
LINE_DASHES = ["", "10 5", "3 4", "14 4 3 4", "6 3"]
MAX_SERIES = len(LINE_COLOURS)
# A chart drawn for a wide screen (a page shows it above 48em, the default one below): the text keeps
# about the same size on the screen as the default drawing's on a phone.
WIDE = {"width": 1000, "plot_height": 300}


# --- Trends over the years --------------------------------------------------------------------

def line_chart(series: Mapping[str, Sequence[tuple[int, float | None]]], *, title: str,
               y_format: Format = "number", description: str = "", width: int = 440,
               plot_height: int = 240, zero_based: bool = True,
               provisional: Collection[int] = ()) -> SafeString:
    """Trends over years: one line per series (at most five), each with its colour and dash.

    Years in `provisional` (`campaign.provisional`) are drawn apart: a hollow marker reached by a
    dotted segment, and a legend entry "provisional" — a collection still under way must not read as
    a fall.

    `series`: {name: [(year, value or None), …]}. A missing value, or a year absent between two
    present ones, breaks the line; every point has a marker with a `<title>` (series, year, value), so
    a lone year still shows. The y axis starts at zero unless a value is negative or `zero_based` is
    False, with round ticks; years are labelled at a round step.
    """
    if len(series) > MAX_SERIES:
        raise ValueError(f"At most {MAX_SERIES} series in a line chart")
    font = 17
    cleaned = {
        name: sorted((int(y), float(v) if is_present(v) else None) for y, v in points)
        for name, points in series.items()
    }
    years = sorted({y for points in cleaned.values() for y, _v in points})
    present = [v for points in cleaned.values() for _y, v in points if v is not None]
    provisional = {int(y) for y in provisional} & set(years)
    uid = chart_id("line", title, sorted(cleaned.items()), y_format, width, sorted(provisional))

    body = []
    y = 23
    for n, name in enumerate(cleaned):
        dash = f' stroke-dasharray="{LINE_DASHES[n]}"' if LINE_DASHES[n] else ""
        body.append(f'<line x1="4" y1="{y}" x2="48" y2="{y}" stroke="{LINE_COLOURS[n]}" '
                    f'stroke-width="3"{dash}/>')
        lines = wrap_text(name, font, width - 60)
        body.append(text_lines(56, y + 6, lines, 21))
        y += 5 + 21 * len(lines)
    if provisional:  # --- provisional: the legend's entry for the hollow, dotted points
        body.append(f'<line x1="4" y1="{y}" x2="48" y2="{y}" stroke="{MUTED}" stroke-width="3" '
                    f'stroke-dasharray="{PROVISIONAL_DASH}" stroke-linecap="round"/>')
        body.append(f'<circle cx="44" cy="{y}" r="5" fill="#fff" stroke="{MUTED}" stroke-width="2"/>')
        lines = wrap_text(_("Provisional (campaign under way)"), font, width - 60)
        body.append(text_lines(56, y + 6, lines, 21))
        y += 5 + 21 * len(lines)
    top = y + 1

    if not present:
        height = top + 60
        body.append(text_element(width / 2, top + 30, _("No data"), text_anchor="middle", fill=MUTED))
        return svg_element(uid, width, height, title, description or _("No data"), body, "chart-line", font)

    low, high = min(present), max(present)
    if zero_based:
        low, high = min(low, 0.0), max(high, 0.0)
    ticks = nice_ticks(low, high)
    decimals = tick_decimals(ticks, y_format)
    labels = [format_value(t, y_format, decimals) for t in ticks]
    left = 8 + max(text_width(label, font) for label in labels)
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
        body.append(f'<line x1="{coord(left)}" y1="{coord(y)}" x2="{coord(width - right)}" y2="{coord(y)}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(text_element(left - 6, y + 6, label, text_anchor="end", fill=MUTED))
    span = years[-1] - years[0]
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= 6)
    for year in years:
        if (year - years[0]) % step == 0 or (year == years[-1] and (year - years[0]) % step > step / 2):
            body.append(text_element(x_of(year), bottom + 24, str(year), text_anchor="middle", fill=MUTED))

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
        segments, dotted = _split_provisional(segments, provisional)
        for segment in segments:
            d = "M" + " L".join(f"{coord(x_of(y))} {coord(y_of(v))}" for y, v in segment)
            body.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="3" '
                        f'stroke-linejoin="round"{dash}/>')
        for (ya, va), (yb, vb) in dotted:
            d = f"M{coord(x_of(ya))} {coord(y_of(va))} L{coord(x_of(yb))} {coord(y_of(vb))}"
            body.append(f'<path d="{d}" '
                        f'fill="none" stroke="{colour}" stroke-width="3" stroke-linecap="round" '
                        f'stroke-dasharray="{PROVISIONAL_DASH}" class="provisional"/>')
        for year, value in points:
            if value is None:
                continue
            reading = f"{name}, {year}: {format_value(value, y_format)}"
            if year in provisional:
                reading = f"{reading} ({_('provisional')})"
                body.append(f'<circle cx="{coord(x_of(year))}" cy="{coord(y_of(value))}" r="5" fill="#fff" '
                            f'stroke="{colour}" stroke-width="2.5" class="provisional">'
                            f"<title>{escape(reading)}</title></circle>")
                continue
            body.append(f'<circle cx="{coord(x_of(year))}" cy="{coord(y_of(value))}" r="4" fill="{colour}">'
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
    return svg_element(uid, width, height, title, description, body, "chart-line", font)


PROVISIONAL_DASH = "1 7"


def _split_provisional(segments, provisional):
    """`segments` (runs of consecutive (year, value)) cut where a provisional year begins or ends a
    step: (the runs of final years, the steps (two points) touching a provisional year)."""
    solid, dotted = [], []
    for segment in segments:
        run = [segment[0]]
        for before, point in zip(segment, segment[1:], strict=False):
            if before[0] in provisional or point[0] in provisional:
                dotted.append((before, point))
                if len(run) > 1:
                    solid.append(run)
                run = [point]
            else:
                run.append(point)
        if len(run) > 1:
            solid.append(run)
    return solid, dotted


# --- Counts by category ------------------------------------------------------------------------

def bar_chart(data: Mapping[str, float | None] | Sequence[tuple[str, float | None]], *, title: str,
              x_format: Format = "integer", description: str = "", width: int = 440) -> SafeString:
    """Horizontal bars, one per category in the order given, each label above its bar (long labels fit
    a phone) and the value after it; a missing value reads "no data" instead of a bar."""
    items = list(data.items()) if isinstance(data, Mapping) else list(data)
    font, row = 17, 50  # a row: one line of label, then the bar
    uid = chart_id("bar", title, items, x_format, width)
    known = [float(v) for _k, v in items if v is not None]
    high = max(known + [0.0])
    longest = max((text_width(format_value(v, x_format), font) for _k, v in items), default=0)
    span = width - 8 - longest - 12
    body = []
    y = 6
    for label, value in items:
        lines = wrap_text(label, font, width - 8)
        body.append(text_lines(4, y + 16, lines, 21))
        y += 21 * (len(lines) - 1)
        if value is None:
            body.append(text_element(4, y + 40, _("no data"), fill=MUTED, font_style="italic"))
        else:
            length = max(span * float(value) / high if high > 0 else 0, 0)
            body.append(f'<rect x="4" y="{y + 24}" width="{coord(length)}" height="18" '
                        f'fill="{LINE_COLOURS[0]}">'
                        f"<title>{escape(label)}: {escape(format_value(value, x_format))}</title></rect>")
            body.append(text_element(4 + length + 6, y + 39, format_value(value, x_format)))
        y += row
    height = y + 4
    if not description:
        description = "; ".join(f"{label}: {format_value(v, x_format)}" for label, v in items) + "."
    return svg_element(uid, width, max(height, 40), title, description, body, "chart-bar", font)


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
    present = sorted(float(v) for v in values if is_present(v))
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
    uid = chart_id("dist", title, {k: list(v) for k, v in rows.items()}, value_format)
    present = [float(v) for seq in rows.values() for v in seq if is_present(v)]
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
            lines = wrap_text(label, font, right - left)
            body.append(text_lines(left, y + 18, lines, 21, font_weight="bold"))
            y += 21 * len(lines)
        body.append(text_element(left, y + 18, line))
        if s.n == 0:
            parts.append(heading)
            y += 40
            continue
        parts.append(heading + " " + _("(from %(min)s to %(max)s, quartiles %(q1)s and %(q3)s)") % {
            "min": format_value(s.minimum, value_format), "max": format_value(s.maximum, value_format),
            "q1": format_value(s.q1, value_format), "q3": format_value(s.q3, value_format)})
        mid = y + 50
        body.append(f'<line x1="{coord(x_of(s.minimum))}" y1="{mid}" x2="{coord(x_of(s.maximum))}" '
                    f'y2="{mid}" stroke="{MUTED}" stroke-width="2"/>')
        for end in (s.minimum, s.maximum):
            body.append(f'<line x1="{coord(x_of(end))}" y1="{mid - 10}" x2="{coord(x_of(end))}" '
                        f'y2="{mid + 10}" stroke="{MUTED}" stroke-width="2"/>')
        body.append(f'<rect x="{coord(x_of(s.q1))}" y="{mid - 16}" width="{coord(x_of(s.q3) - x_of(s.q1))}" '
                    f'height="32" fill="#c6dbef" stroke="{LINE_COLOURS[0]}" stroke-width="1.5"/>')
        # The dots, spread over three lanes so equal values stay visible.
        clean = [float(v) for v in seq if is_present(v)]
        body.append('<g fill="#08306b" fill-opacity=".55">')
        body += [f'<circle cx="{coord(x_of(v))}" cy="{mid - 8 + 8 * (i % 3)}" r="3"/>'
                 for i, v in enumerate(clean)]
        body.append("</g>")
        body.append(f'<line x1="{coord(x_of(s.median))}" y1="{mid - 18}" x2="{coord(x_of(s.median))}" '
                    f'y2="{mid + 18}" stroke="{INK}" stroke-width="4"/>')
        y += 86
    axis_y = y + 4
    decimals = tick_decimals(ticks, value_format)
    body.append(f'<line x1="{left}" y1="{axis_y}" x2="{right}" y2="{axis_y}" stroke="{MUTED}" '
                f'stroke-width="1"/>')
    for n, tick in enumerate(ticks):
        anchor = "start" if n == 0 else "end" if n == len(ticks) - 1 else "middle"
        body.append(f'<line x1="{coord(x_of(tick))}" y1="{axis_y}" x2="{coord(x_of(tick))}" '
                    f'y2="{axis_y + 6}" stroke="{MUTED}"/>')
        body.append(text_element(x_of(tick), axis_y + 24, format_value(tick, value_format, decimals),
                          text_anchor=anchor, fill=MUTED))
    height = axis_y + 32
    if not description:
        missing = sum(s.missing for s in summaries.values())
        description = "; ".join(parts) + "."
        if missing:
            description += " " + _("%(count)s not computable, left out.") % {
                "count": format_value(missing, "integer")}
    return svg_element(uid, width, height, title, description, body, "chart-distribution", font)
