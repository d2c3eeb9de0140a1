"""The map of Africa for the inventory's public pages: a server-rendered SVG choropleth, each country
shaded by one measure, with its legend and a description that lists every class.

Pure functions: figures in, an SVG string out (marked safe: every piece of text is escaped). The
outlines are `maps/africa.json` (built by `maps/build_africa.py`, never at runtime). Colours:
ColorBrewer's YlGnBu for the classes, readable with the common colour-vision deficiencies; "no data"
is hatched, a country outside the inventory pale grey.
"""

import json
import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from portal.i18n import is_english

from .drawing import (
    MUTED,
    Format,
    chart_id,
    coord,
    format_value,
    is_present,
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
    present = {code: float(v) for code, v in values.items() if is_present(v)}
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
    uid = chart_id("map", title, sorted(values.items(), key=lambda kv: kv[0]), legend_format, bins)
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
    columns = 2 if all(text_width(label, font) + 80 < width / 2 for _fill, label in rows) else 1
    per_column = math.ceil(len(rows) / columns)
    top = map_height + 16
    legend = ['<g class="legend">']
    if legend_title:
        title_lines = wrap_text(legend_title, font, width - 24)
        legend.append(text_lines(12, top + 38, title_lines, row - 8, font_weight="bold"))
        top += row + (len(title_lines) - 1) * (row - 8)
    for n, (fill, label) in enumerate(rows):
        x, y = 12 + (n // per_column) * width / 2, top + (n % per_column) * row
        legend.append(f'<rect x="{coord(x)}" y="{coord(y + 6)}" width="52" height="40" fill="{fill}" '
                      f'stroke="{MUTED}" stroke-width="1"/>')
        legend.append(text_element(x + 66, y + 40, label))
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
    return svg_element(uid, width, height, title, description, body, "chart-map", font)

