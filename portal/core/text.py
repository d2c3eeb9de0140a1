"""Text helpers: `fold` (case and accents away, for searching) and `plain_text`.

Plain text out of whatever a field holds: for places where markup must not travel (feeds, calendars).

RSS readers render an item's description as HTML, so a summary holding `<b>` or `&lt;script&gt;` would
be markup in the reader's application. `plain_text` gives words only: tags dropped (with the content of
`script` and `style`), entities turned into their characters, repeated until nothing that looks like a
tag is left (text entity-encoded twice is decoded twice), whitespace collapsed.
"""

import unicodedata
from html.parser import HTMLParser

_SPECIAL = str.maketrans({"œ": "oe", "æ": "ae", "ø": "o", "đ": "d", "ł": "l", "ı": "i"})
_INVISIBLE = {"script", "style", "template", "noscript"}
_PASSES = 4  # more layers of encoding than this is not a summary anyone wrote


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _INVISIBLE:
            self.hidden += 1
        self.parts.append(" ")  # <p>a</p><p>b</p> reads "a b", not "ab"

    def handle_endtag(self, tag):
        if tag in _INVISIBLE and self.hidden:
            self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def _one_pass(text: str) -> str:
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    return " ".join("".join(collector.parts).split())


def plain_text(value: str | None) -> str:
    """`value` without markup: its words, with entities as characters, on one line."""
    text = " ".join(str(value or "").split())
    for _pass in range(_PASSES):
        cleaner = _one_pass(text)
        if cleaner == text:
            break
        text = cleaner
    return text


def fold(text: str) -> str:
    """Lowercase `text` and strip its accents ("Sénégal" → "senegal", "Œuvre" → "oeuvre"): the one
    normalisation of the searches (the library's engines, the site search, the pages' folded index)."""
    text = unicodedata.normalize("NFKD", text.casefold().translate(_SPECIAL))
    return "".join(ch for ch in text if not unicodedata.combining(ch))
