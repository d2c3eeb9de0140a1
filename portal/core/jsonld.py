"""schema.org JSON-LD in a page's head, for search engines (Google Dataset Search, events, the
library's resources). Each domain builds its own dictionaries; this writes them safely.

Safe: the JSON is escaped as Django's `json_script` escapes it (`<`, `>` and `&` as \\u003C…), so a
title holding `</script>` cannot end the element; the script is data (`application/ld+json`), never
run, so the Content-Security-Policy has nothing to allow.
"""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

CONTEXT = "https://schema.org"
# json_script's escapes (django.utils.html): no `<`, `>` or `&` reaches the HTML.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def dumps(data) -> str:
    """`data` as JSON safe inside a <script> element (json_script's escapes)."""
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)


def script(data) -> SafeString:
    """`<script type="application/ld+json">…</script>`, or "" for no data."""
    if not data:
        return mark_safe("")
    if isinstance(data, dict) and "@context" not in data:
        data = {"@context": CONTEXT, **data}
    return mark_safe(f'<script type="application/ld+json">{dumps(data)}</script>')


def compact(data: dict) -> dict:
    """`data` without its empty values (None, "", [], {}): schema.org readers prefer a missing
    property to an empty one."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def organization(name: str, url: str = "") -> dict:
    return compact({"@type": "Organization", "name": name, "url": url})
