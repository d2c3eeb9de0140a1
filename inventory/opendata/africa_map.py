"""The map of Africa for the inventory's public pages: a server-rendered SVG choropleth, each country
shaded by one measure, with its legend and a description that lists every class. The overview frames
it on the network's countries (`focus`): the larger ones named on the map, the small ones keyed in a
box beside them, every one a link (to its card on the page, to its page in a file).

Classes are fixed breaks chosen per measure or equal intervals of a round width (`classify`), never
quantiles: a one-point gap between two countries never spans the palette, and the legend says how
the classes are made (`classes_method`).

Pure functions: figures in, an SVG string out (marked safe: every piece of text is escaped). The
outlines are `maps/africa.json` (built by `maps/build_africa.py`, never at runtime); the zoom is a
view box over them, computed here. Colours: ColorBrewer's YlGnBu for the classes, readable with the
common colour-vision deficiencies; "no data" is hatched, a country outside the inventory pale grey.
"""

import json
import math
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.i18n import is_english, is_portuguese, portuguese_country_name

from .drawing import (
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
    wrap_text,
)

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

# The small countries of the network, too small to name or to tap on a phone: a box with their code
# beside them (its centre, in view box units: in the Atlantic, the Gulf of Guinea, or east of the Great
# Lakes), joined to them by a line, the codes keyed under the legend.
CALLOUTS = {"SN": (46, 226), "GM": (46, 292), "GW": (46, 358), "TG": (288, 468), "BJ": (356, 468),
            "RW": (746, 458), "BI": (746, 524)}
CALLOUT_SIZE = (64, 60)  # 24 CSS px or more each way on a 360 px phone: a finger's target
# Names shortened on the map itself (the full name is in the country's title, the card and the table).
SHORT_NAMES = {"CD": {"en": "DR Congo", "fr": "RD Congo", "pt": "RD Congo"},
               "CF": {"en": "Central African Rep.", "fr": "Centrafrique", "pt": "Rep. Centro-Africana"}}
LABEL_AT: dict[str, tuple[float, float]] = {}  # where a centroid would put a name badly

@cache
def africa() -> dict:
    """The map's geometry: {"viewBox", "names": {code: {"en", "fr"}}, "paths": {code: d}}."""
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


@dataclass
class MapClass:
    """One class of the choropleth: its colour, its bounds (None: open-ended), the countries in it."""

    colour: str
    low: float | None
    high: float | None
    codes: list[str] = field(default_factory=list)
    label: str = ""


def equal_interval_breaks(values: Sequence[float | None], classes: int = 5, *, whole: bool = False
                          ) -> list[float]:
    """Thresholds cutting the range of `values` (from zero, or from the lowest value when negative) into
    at most `classes` intervals of equal, round width (steps of 1, 2, 2.5 or 5 times a power of ten):
    a difference of one point never spans the whole palette. `whole`: counts, cut at whole numbers
    only. Empty when there is one value or none."""
    present = [float(v) for v in values if is_present(v)]
    if not present:
        return []
    low, high = min(min(present), 0.0), max(max(present), 0.0)
    if high == low:
        return []
    def fits(ticks):
        step = ticks[1] - ticks[0]
        return len(ticks) - 1 <= classes and (not whole or (step >= 1 and float(step).is_integer()))

    count = classes
    ticks = nice_ticks(low, high, count)
    while not fits(ticks) and count > 1:
        count -= 1
        ticks = nice_ticks(low, high, count)
    return ticks[1:-1]


def classify(values: Mapping[str, float | None], *, classes: int = 5,
             bins: Sequence[float] | None = None, value_format: Format = "number"
             ) -> tuple[list[MapClass], dict[str, int]]:
    """Shading classes for the countries' values, and each valued country's class index.

    `bins` (ascending thresholds) make the classes "under b1", "b1 to under b2", …, "bn or more": fixed
    breaks chosen for a measure, the same every year. Without them, equal intervals of a round width
    (`equal_interval_breaks`). Every class is kept, empty or not, with its colour: a colour means the
    same range whatever the countries' values. Missing values (None, NaN) are in no class.
    """
    present = {code: float(v) for code, v in values.items() if is_present(v)}
    if not present:
        return [], {}
    if bins is None:
        bins = equal_interval_breaks(list(present.values()), classes, whole=value_format == "integer")
    bins = list(bins)
    if len(bins) + 1 > 5:
        raise ValueError("At most five classes")
    palette = SEQUENTIAL[len(bins) + 1]
    index = {code: bisect_right(bins, value) for code, value in present.items()}
    decimals = _decimals(bins, value_format)

    def bound(value):
        return format_value(value, value_format, decimals)

    result = []
    for position, colour in enumerate(palette):
        lower = bins[position - 1] if position > 0 else None
        upper = bins[position] if position < len(bins) else None
        item = MapClass(colour, lower, upper, sorted(c for c, i in index.items() if i == position))
        if lower is None and upper is None:  # one class: every value alike
            low, high = min(present.values()), max(present.values())
            item.label = (format_value(low, value_format) if low == high else
                          f"{format_value(low, value_format)} – {format_value(high, value_format)}")
        elif lower is None:
            item.label = _("under %(value)s") % {"value": bound(upper)}
        elif upper is None:
            item.label = _("%(value)s or more") % {"value": bound(lower)}
        else:
            item.label = _("%(low)s to under %(high)s") % {"low": bound(lower), "high": bound(upper)}
        result.append(item)
    return result, index


def _decimals(bins: Sequence[float], value_format: Format) -> int | None:
    """The fewest decimals that write every break exactly ("5 %", "2.5 %"), None for a callable."""
    if callable(value_format):
        return None
    factor = 100 if value_format == "percent" else 1

    def needed(value):
        return next(d for d in range(4) if abs(value * 10**d - round(value * 10**d)) < 1e-6 or d == 3)

    return max((needed(b * factor) for b in bins), default=0)


def classes_method(bins: Sequence[float] | None, value_format: Format = "number",
                   values: Sequence[float | None] = ()) -> str:
    """How the classes are made, for the legend: fixed breaks, or equal intervals of a width."""
    if bins is not None:
        return _("Fixed classes chosen for this measure, the same every year.")
    breaks = equal_interval_breaks(values, whole=value_format == "integer")
    if not breaks:
        return _("Equal intervals.")
    low = min([float(v) for v in values if is_present(v)] + [0.0])
    step = breaks[1] - breaks[0] if len(breaks) > 1 else breaks[0] - low
    width = format_value(step, value_format, _decimals([step], value_format))
    return _("Equal intervals of %(width)s.") % {"width": width}


# --- Geometry of the outlines ----------------------------------------------------------------------

def rings(d: str) -> list[list[tuple[float, float]]]:
    """The rings of a path of `africa.json` (an absolute move, relative lines, closed) as points."""
    result = []
    for move in re.finditer(r"M(-?[\d.]+) (-?[\d.]+)l([^zM]*)z", d):
        x, y = float(move.group(1)), float(move.group(2))
        points = [(x, y)]
        steps = [float(n) for n in re.findall(r"-?[\d.]+", move.group(3))]
        for dx, dy in zip(steps[::2], steps[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
        result.append(points)
    return result


def bounds(d: str) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a path of `africa.json`."""
    points = [p for ring in rings(d) for p in ring]
    xs, ys = [x for x, _y in points], [y for _x, y in points]
    return min(xs), min(ys), max(xs), max(ys)


def label_point(d: str) -> tuple[float, float]:
    """Where a country's name goes: the centroid of its largest ring (its mainland)."""
    def signed_area(ring):
        pairs = zip(ring, ring[1:] + ring[:1], strict=True)
        return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs) / 2
    ring = max(rings(d), key=lambda r: abs(signed_area(r)))
    a = signed_area(ring)
    if a == 0:
        return ring[0]
    pairs = list(zip(ring, ring[1:] + ring[:1], strict=True))
    cx = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairs) / (6 * a)
    cy = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairs) / (6 * a)
    return cx, cy


def country_name(code: str, names: Mapping[str, str] | None = None) -> str:
    if names and code in names:
        return names[code]
    known = africa()["names"].get(code)
    if not known:
        return code
    if is_portuguese():
        return portuguese_country_name(code) or known["fr"]
    return known["en"] if is_english() else known["fr"]


def short_name(code: str, names: Mapping[str, str] | None = None) -> str:
    """A country's name on the map itself (shorter where the full name would cover its neighbours)."""
    short = SHORT_NAMES.get(code)
    if short:
        return short["pt"] if is_portuguese() else short["en"] if is_english() else short["fr"]
    return country_name(code, names)


def focus_box(codes: Sequence[str], extra: Sequence[tuple[float, float, float, float]] = (),
              margin: float = 12) -> tuple[float, float, float, float]:
    """(x, y, width, height) of the view box framing the countries `codes` and the boxes `extra`
    (left, top, right, bottom), with `margin` units around."""
    paths = africa()["paths"]
    boxes = [bounds(paths[c]) for c in codes if c in paths] + list(extra)
    if not boxes:
        x, y, width, height = (float(v) for v in africa()["viewBox"].split())
        return x, y, width, height
    left, top = min(b[0] for b in boxes) - margin, min(b[1] for b in boxes) - margin
    right, bottom = max(b[2] for b in boxes) + margin, max(b[3] for b in boxes) + margin
    return left, top, right - left, bottom - top


def _callout_box(code: str) -> tuple[float, float, float, float]:
    (cx, cy), (w, h) = CALLOUTS[code], CALLOUT_SIZE
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def choropleth(values: Mapping[str, float | None], *, title: str, legend_format: Format = "number",
               legend_title: str = "", description: str = "", classes: int = 5,
               bins: Sequence[float] | None = None, names: Mapping[str, str] | None = None,
               links: Mapping[str, str] | None = None, focus: Sequence[str] | None = None,
               link_target: str = "") -> SafeString:
    """Africa, or the part of it around the countries `focus`, shaded by one measure per country.

    `values`: {ISO alpha-2: value}; a country listed with None (or NaN) is "no data" (hatched); a
    country not listed is outside the inventory (pale grey, no hatching). Each country has a `<title>`
    with its name and value; `names` overrides the map's own French/English names; `links` makes a
    country a link (e.g. to its card or its page), opened in the browsing context `link_target` when
    given ("_parent": the map drawn in a frame of the page whose cards it opens). The classes are
    `bins` or equal intervals (see `classify`); the legend, below the map, gives them, how they are
    made, and the two kinds of missing value when present.

    With `focus`, the view box frames those countries (the others that fall outside it are left out),
    and each inventory country in view is named: on itself when it is large enough, otherwise in a box
    with its code beside it (`CALLOUTS`), joined to it by a line, the box a tap target as large as a
    finger and the codes keyed under the legend.
    """
    geometry = africa()
    values = {code.upper(): v for code, v in values.items()}
    map_classes, index = classify(values, classes=classes, bins=bins, value_format=legend_format)
    method = classes_method(bins, legend_format, list(values.values())) if map_classes else ""
    uid = chart_id("map", title, sorted(values.items(), key=lambda kv: kv[0]), legend_format, bins, focus)
    hatch = f"{uid}-h"
    missing = sorted(c for c in values if c not in index)
    no_data_label, outside_label = _("No data"), _("Outside the inventory")

    if focus:
        area = focus_box([c.upper() for c in focus], margin=0)
        area_box = (area[0], area[1], area[0] + area[2], area[1] + area[3])
        called = [c for c in CALLOUTS if c in values and c in geometry["paths"]
                  and _overlaps(bounds(geometry["paths"][c]), area_box)]
        vx, vy, width, map_height = focus_box([c.upper() for c in focus], [_callout_box(c) for c in called])
        view = (vx, vy, vx + width, vy + map_height)
        shown = {code: d for code, d in geometry["paths"].items() if _overlaps(bounds(d), view)}
    else:
        vx, vy, width, map_height = (float(v) for v in geometry["viewBox"].split())
        called, shown = [], geometry["paths"]
    scale = width / 1000  # the legend keeps the same size on the screen whatever the view box
    font, row = round(40 * scale), round(56 * scale)

    def fill_of(code):
        if code in index:
            return map_classes[index[code]].colour, format_value(values[code], legend_format)
        if code in values:
            return f"url(#{hatch})", no_data_label
        return OUTSIDE_FILL, outside_label

    def linked(code, inner, extra=""):
        if links and code in links:
            target = f' target="{escape(link_target)}"' if link_target else ""
            return f'<a href="{escape(links[code])}"{target} class="map-country"{extra}>{inner}</a>'
        return inner

    body = [
        f'<defs><pattern id="{hatch}" width="12" height="12" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="12" height="12" fill="#fff"/>'
        f'<rect width="5" height="12" fill="#9aa5ab"/></pattern>'
        f'<clipPath id="{uid}-v"><rect x="{coord(vx)}" y="{coord(vy)}" width="{coord(width)}" '
        f'height="{coord(map_height)}"/></clipPath></defs>',
        f'<g clip-path="url(#{uid}-v)">',  # a zoomed map: the outlines stop above the legend
        '<g stroke="#fff" stroke-width="1.5" stroke-linejoin="round">',
    ]
    for code, d in shown.items():
        if code in called:
            continue  # drawn on top, with its callout, as one target
        fill, reading = fill_of(code)
        name = country_name(code, names)
        tooltip = f"<title>{escape(name)}: {escape(reading)}</title>"
        body.append(linked(code, f'<path d="{d}" fill="{fill}">{tooltip}</path>'))
    body.append("</g>")

    if focus:
        # The names of the larger countries, over the shapes; a tap on a name reaches the shape below.
        label_font = round(26 * scale / 0.77)
        body.append(f'<g class="map-labels" font-size="{label_font}" text-anchor="middle" '
                    f'pointer-events="none" stroke="#fff" stroke-width="{round(label_font / 5)}" '
                    f'stroke-linejoin="round" paint-order="stroke">')
        for code, d in shown.items():
            if code not in values or code in called:
                continue
            x, y = LABEL_AT.get(code) or label_point(d)
            left, _top, right, _bottom = bounds(d)
            lines = wrap_text(short_name(code, names), label_font * 0.85, right - left)
            y -= (len(lines) - 1) * label_font / 2
            body.append(text_lines(x, y + label_font * 0.35, lines, label_font))
        body.append("</g>")
        # The small countries: shape, line and box with the code, one link each.
        (box_w, box_h), code_font = CALLOUT_SIZE, round(label_font * 1.1)
        for code in called:
            d = geometry["paths"][code]
            fill, reading = fill_of(code)
            name = country_name(code, names)
            px, py = LABEL_AT.get(code) or label_point(d)
            cx, cy = CALLOUTS[code]
            # The line leaves the box on the side facing the country.
            if abs(px - cx) * box_h > abs(py - cy) * box_w:
                sx, sy = cx + math.copysign(box_w / 2, px - cx), cy
            else:
                sx, sy = cx, cy + math.copysign(box_h / 2, py - cy)
            inner = (
                f'<title>{escape(name)}: {escape(reading)}</title>'
                f'<path d="{d}" fill="{fill}" stroke="#fff" stroke-width="1.5" stroke-linejoin="round"/>'
                f'<line x1="{coord(sx)}" y1="{coord(sy)}" x2="{coord(px)}" y2="{coord(py)}" stroke="{INK}" '
                f'stroke-width="1.5"/><circle cx="{coord(px)}" cy="{coord(py)}" r="3" fill="{INK}"/>'
                f'<rect class="map-callout" x="{coord(cx - box_w / 2)}" y="{coord(cy - box_h / 2)}" '
                f'width="{box_w}" height="{box_h}" rx="6" fill="#fff" stroke="{INK}" stroke-width="1.5"/>'
                + text_element(cx, cy + code_font * 0.35, code, text_anchor="middle",
                               font_size=str(code_font), font_weight="bold")
            )
            body.append(linked(code, inner, f' data-code="{code}"') if links and code in links
                        else f"<g>{inner}</g>")

    body.append("</g>")

    # Legend below the map (text the size of the page's small print on a phone): the classes, how
    # they are made, then the kinds of missing value and the key to the codes; in two columns when
    # the labels are short enough.
    rows = [(c.colour, c.label) for c in map_classes]
    if missing:
        rows.append((f"url(#{hatch})", no_data_label))
    if any(code not in values for code in shown):
        rows.append((OUTSIDE_FILL, outside_label))
    columns = 2 if all(text_width(label, font) + 80 * scale < width / 2 for _fill, label in rows) else 1
    per_column = math.ceil(len(rows) / columns)
    top = vy + map_height + 16 * scale
    left = vx + 12 * scale
    legend = ['<g class="legend">']
    if legend_title:
        title_lines = wrap_text(legend_title, font, width - 24 * scale)
        legend.append(text_lines(left, top + 38 * scale, title_lines, row - 8 * scale, font_weight="bold"))
        top += row + (len(title_lines) - 1) * (row - 8 * scale)
    if method:
        method_lines = wrap_text(method, font * 0.85, width - 24 * scale)
        legend.append(text_lines(left, top + 30 * scale, method_lines, row * 0.8, fill=MUTED,
                                 font_size=str(round(font * 0.85)), class_="legend-method"))
        top += row * 0.8 * len(method_lines) + 8 * scale
    for n, (fill, label) in enumerate(rows):
        x, y = left + (n // per_column) * width / 2, top + (n % per_column) * row
        legend.append(f'<rect x="{coord(x)}" y="{coord(y + 6 * scale)}" width="{coord(52 * scale)}" '
                      f'height="{coord(40 * scale)}" fill="{fill}" stroke="{MUTED}" stroke-width="1"/>')
        legend.append(text_element(x + 66 * scale, y + 40 * scale, label))
    top += per_column * row
    if called:
        key_lines = [""]  # "SN Senegal · TG Togo …", a code never apart from its name
        for code in called:
            item = f"{code}\u00a0{country_name(code, names)}"
            joined = f"{key_lines[-1]} · {item}" if key_lines[-1] else item
            if key_lines[-1] and text_width(joined, font * 0.85) > width - 24 * scale:
                key_lines.append(item)
            else:
                key_lines[-1] = joined
        legend.append(text_lines(left, top + 30 * scale, key_lines, row * 0.8,
                                 font_size=str(round(font * 0.85)), class_="legend-key"))
        top += row * 0.8 * len(key_lines) + 8 * scale
    legend.append("</g>")
    height = top - vy + 8 * scale
    body += legend

    if not description:
        def listed(codes):
            return ", ".join(country_name(code, names) for code in codes)
        parts = [f"{c.label}: {listed(c.codes)}" for c in map_classes if c.codes]
        if missing:
            parts.append(f"{no_data_label}: {listed(missing)}")
        lead = _("Map of West and Central Africa shaded by country.") if focus else _(
            "Map of Africa shaded by country.")
        description = lead + " " + "; ".join(parts) + "."
    return svg_element(uid, width, height, title, description, body, "chart-map", font, origin=(vx, vy),
                       role="group" if links else "img")
