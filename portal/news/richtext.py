"""Rich text of articles: a short list of safe features, and the server-side cleaning every body goes
through (a body written by code or posted by a crafted request gets the same treatment as the editor's)."""

import re

from django.utils.html import escape

# Headings, emphasis, lists and links: no images or embeds inside the text (the article has its own
# image and attachments), no raw HTML.
BODY_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "document-link"]


def sanitize_html(html: str) -> str:
    """`html` reduced to Wagtail's database format for BODY_FEATURES: unknown elements (script, style,
    iframe, img…) and attributes (on…, style) are dropped, links keep only safe schemes."""
    from wagtail.admin.rich_text.converters.editor_html import EditorHTMLConverter  # needs the models loaded

    if not html:
        return ""
    return EditorHTMLConverter(BODY_FEATURES).to_database_format(html)


def plain_text_to_html(text: str) -> str:
    """A member's plain text as rich text: a blank line starts a paragraph, a line break stays one.
    Everything typed is escaped, so nothing in it is ever markup."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + "<br/>".join(escape(line) for line in p.split("\n")) + "</p>" for p in paragraphs)
