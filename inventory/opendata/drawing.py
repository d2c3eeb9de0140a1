"""What the inventory's server-rendered charts and map share: numbers as a reader reads them in the
active language (`number_format`: "1 234,5" in French, "1,234.5" in English; "—" for a missing value),
round tick values, and the SVG they are written in.

Pure functions. Every piece of text goes into the SVG escaped here (`text_element`, `svg_element`); a
chart is an `<svg role="img">` labelled by its `<title>` and `<desc>`, that scales to its container
(`viewBox`, `width="100%"`).
"""

import hashlib
import html
import math
import re
from collections.abc import Callable

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

INK, MUTED, GRID = "#1d2327", "#4a5560", "#d5dde1"

Format = str | Callable[[float], str]


# --- Numbers -------------------------------------------------------------------------------------

def format_value(value: float | None, kind: Format = "number", decimals: int | None = None) -> str:
    """`value` for reading in the active language.

    `kind`: "integer" (rounded, grouped digits), "number" (one decimal unless whole), "percent" (a ratio,
    0.125 → "12,5 %"), or any callable taking the value. `decimals` forces the decimals shown (ticks).
    Missing values read "—".
    """
    if not is_present(value):
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


def is_present(value) -> bool:
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


def tick_decimals(ticks: list[float], kind: Format) -> int | None:
    """Decimals that show every tick distinctly (0 for whole steps)."""
    if callable(kind) or len(ticks) < 2:
        return None
    step = abs(ticks[1] - ticks[0]) * (100 if kind == "percent" else 1)
    return next(d for d in range(7) if abs(step * 10**d - round(step * 10**d)) < 1e-6 * 10**d or d == 6)


# --- SVG helpers ------------------------------------------------------------------------------

def chart_id(*parts) -> str:
    """A stable id prefix, different for different charts on one page."""
    return "c" + hashlib.sha1(repr(parts).encode()).hexdigest()[:8]


def coord(value: float) -> str:
    """A coordinate with at most one decimal."""
    return f"{round(value, 1):g}"


def svg_element(uid: str, width: float, height: float, title: str, description: str, body: list[str],
         css_class: str, font_size: int, origin: tuple[float, float] = (0, 0),
         role: str | None = None) -> SafeString:
    """The `<svg>` around `body`; its view box starts at `origin` (a map zoomed on part of its outlines).
    `role` "group" for a drawing with links inside (an image's content is not reachable, and a link
    inside an image is axe's nested-interactive); by default, "group" exactly when `body` holds a link."""
    if role is None:
        role = "group" if any("<a " in part for part in body) else "img"
    x, y = origin
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="{coord(x)} {coord(y)} {coord(width)} {coord(height)}" '
        f'width="100%" '
        f'class="chart {css_class}" role="{role}" aria-labelledby="{uid}-t {uid}-d" '
        f'font-size="{font_size}" font-family="system-ui, sans-serif" fill="{INK}">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(description)}</desc>'
    )
    return mark_safe(head + "".join(body) + "</svg>")


def text_element(x: float, y: float, text: str, **attrs) -> str:
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{coord(x)}" y="{coord(y)}"{extra}>{escape(text)}</text>'


def text_width(text: str, font_size: float) -> float:
    """A generous estimate of a label's width (no font metrics on the server)."""
    return len(text) * font_size * 0.6


def wrap_text(text: str, font_size: float, available: float) -> list[str]:
    """`text` cut at spaces into lines that fit `available` units (a longer word keeps its line); a
    non-breaking space ("10 %", "SN Senegal") holds its two sides together."""
    lines: list[str] = []
    for word in re.split(r"[^\S\u00a0\u202f]+", str(text).strip()):
        if lines and text_width(f"{lines[-1]} {word}", font_size) <= available:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def text_lines(x: float, y: float, lines: list[str], line_height: float, **attrs) -> str:
    """Several lines of text, the first baseline at `y`."""
    return "".join(text_element(x, y + n * line_height, line, **attrs) for n, line in enumerate(lines))



def standalone_svg(svg: str, *, title: str = "", source: str = "") -> str:
    """A chart of a page as a file of its own, to share: its `title` above it and its `source` below
    (both optional, wrapped to its width), sized in pixels by its view box (a page's chart takes its
    container's width), on a white ground (a rectangle: no style attribute for a policy to block),
    with the XML declaration. The chart itself is nested unchanged."""
    match = re.search(r'viewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)" width="100%"', svg)
    if not match:
        raise ValueError("Not a chart of the portal")
    width, height = float(match.group(3)), float(match.group(4))
    font = max(16.0, round(width * 0.028))
    small = round(font * 0.75)
    pad = font * 0.6
    title_lines = wrap_text(title, font, width - 2 * pad) if title else []
    source_lines = wrap_text(source, small, width - 2 * pad) if source else []
    top = pad + len(title_lines) * font * 1.25 if title_lines else 0
    total = top + height + (pad + len(source_lines) * small * 1.3 if source_lines else 0)
    view_box = " ".join(match.groups())
    inner = svg.replace(match.group(0), f'viewBox="{view_box}" x="0" y="{coord(top)}" '
                        f'width="{coord(width)}" height="{coord(height)}"', 1)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {coord(width)} {coord(total)}" '
        f'width="{coord(width)}" height="{coord(total)}" font-family="system-ui, sans-serif" fill="{INK}">',
        f"<title>{escape(title)}</title>" if title else "",
        f'<rect width="{coord(width)}" height="{coord(total)}" fill="#fff"/>',
        text_lines(pad, pad + font * 0.9, title_lines, font * 1.25, font_size=str(font), font_weight="bold")
        if title_lines else "",
        inner,
        text_lines(pad, top + height + pad + small * 0.9, source_lines, small * 1.3, font_size=str(small),
                   fill=MUTED) if source_lines else "",
        "</svg>\n",
    ]
    return "".join(parts)


# --- A page's chart drawn apart (issue 16: the page's first round trip holds none) ---------------

_VIEW_BOX = re.compile(r'viewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)" width="100%"')


def svg_size(svg: str) -> tuple[float, float]:
    """(width, height) of a chart's view box: the proportions a page reserves for it before it loads."""
    match = _VIEW_BOX.search(svg)
    if not match:
        raise ValueError("Not a chart of the portal")
    return float(match.group(3)), float(match.group(4))


def svg_title(svg: str) -> str:
    """A chart's title as plain text: what an image of it says to a reader who does not see it (its
    `alt`; what the chart's description says, its figures, is in the table that goes with it)."""
    match = re.search(r"<title[^>]*>(.*?)</title>", svg, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def page_drawing(svg: str, *, stylesheet: str = "") -> str:
    """A chart as the page shows it, served apart from the page (an image, or a frame for the map
    with its links): the chart unchanged after the XML declaration, with the `stylesheet` that styles
    its links on hover and focus (a frame's document does not inherit the page's)."""
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    if stylesheet:
        head += f'<?xml-stylesheet href="{escape(stylesheet)}" type="text/css"?>\n'
    return head + svg + "\n"
