"""An issue as an e-mail: subject, HTML and plain-text parts in one language, absolute links, the
inventory's key figures, and the per-subscriber unsubscribe link and headers (RFC 2369 and 8058).

The content of an issue is rendered once per language when the secretariat sends it (stored in the
delivery's payload, with the figures of that moment), so every subscriber gets the same issue however
long the sending takes and whatever is edited meanwhile; only the unsubscribe link differs.
"""

import html
import re

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from portal.core.models import public_target
from portal.mail import absolute_url

from .blocks import DEFAULT_HEADINGS

UNSUBSCRIBE_PLACEHOLDER = "__NEWSLETTER_UNSUBSCRIBE_URL__"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


# --- Links --------------------------------------------------------------------------------------

def _base() -> str:
    return settings.SITE_URL.rstrip("/")  # the public address (portal.site_url)


def absolutize(markup: str) -> str:
    """Root-relative links and images of `markup` made absolute (e-mails have no base address)."""
    return re.sub(r'(href|src)="/(?!/)', lambda m: f'{m.group(1)}="{_base()}/', markup)


def page_url(page) -> str:
    url = page.get_url() or ""
    return _base() + url if url.startswith("/") else url


def unsubscribe_token(subscriber) -> str:
    """Never expires: an issue read months later must still unsubscribe in one click."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))


def subscriber_pk_from_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def unsubscribe_url(subscriber, language: str) -> str:
    return absolute_url("newsletter:unsubscribe", unsubscribe_token(subscriber), language=language)


# --- Inventory figures --------------------------------------------------------------------------

def live_figures(language: str) -> dict | None:
    """The overview's key figures as the overview shows them first — the latest final year, the
    provisional one a link away (`figures.headline`) — labels in `language`; None when nothing is
    validated yet. Plain data: it is stored with a sent issue."""
    from inventory.opendata import figures
    from inventory.opendata.synthesis import current_synthesis, synthesis_rows

    with translation.override(language):
        latest = figures.latest_key_figures(list(synthesis_rows(current_synthesis())))
        if latest is None:
            return None
        overview_url = absolute_url("inventory:overview", language=language)
        other = latest["other"]
        if other is not None:
            other = {**other, "url": f"{overview_url}?year={other['year']}#key-figures"}
        return {
            "year": latest["year"],
            "provisional": latest["provisional"],
            "response_rate": latest["response_rate"],
            "other": other,
            "items": [{"label": str(item["label"]), "value": item["value"], "anchor": item["anchor"]}
                      for item in latest["items"]],
            "overview_url": overview_url,
        }


def figures_for(issue) -> dict | None:
    """The figures an issue shows: those that went out with it once sent, else today's."""
    language = issue.locale.language_code
    delivery = issue.delivery() if issue.pk else None
    if delivery is not None and language in delivery.payload.get("figures", {}):
        return delivery.payload["figures"][language]
    return live_figures(language)


# --- Rendering ----------------------------------------------------------------------------------

def rich_text_html(value) -> str:
    source = getattr(value, "source", value) or ""
    return absolutize(expand_db_html(source))


def html_to_text(markup: str) -> str:
    """Plain text of simple rich text: paragraphs and list items on their lines, links as
    “text (address)”."""
    text = re.sub(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', r"\2 (\1)", markup, flags=re.S)
    text = re.sub(r"<li[^>]*>", "- ", text)
    text = re.sub(r"</(p|h[1-6]|ul|ol)>", "\n\n", text)
    text = re.sub(r"<br\s*/?>|</(li|div)>", "\n", text)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _page_summary(page) -> str:
    specific = page.specific
    for name in ("intro", "summary", "search_description"):
        value = getattr(specific, name, "")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _pages(items) -> list[dict]:
    result = []
    for item in items:
        page = public_target(item["page"])
        if page is None:
            continue
        result.append({"title": page.title, "url": page_url(page),
                       "summary": item["summary"] or _page_summary(page)})
    return result


def issue_sections(issue, figures) -> list[dict]:
    """The issue's sections as plain data for the e-mail templates, in the active language."""
    sections = []
    for block in issue.sections:
        value, kind = block.value, block.block_type
        if kind in ("articles", "events", "resources"):
            items = _pages(value["items"])
            if items:
                sections.append({"kind": "pages", "heading": value["heading"] or str(DEFAULT_HEADINGS[kind]),
                                 "intro_html": rich_text_html(value["intro"]), "items": items})
        elif kind == "interview":
            link = public_target(value["page"])
            sections.append({"kind": "interview", "heading": value["heading"], "person": value["person"],
                             "text_html": rich_text_html(value["text"]),
                             "url": page_url(link) if link else ""})
        elif kind == "text":
            sections.append({"kind": "text", "heading": value["heading"],
                             "text_html": rich_text_html(value["text"])})
        elif kind == "inventory_figures":
            sections.append({"kind": "figures",
                             "heading": value["heading"] or str(DEFAULT_HEADINGS[kind]),
                             "comment": value["comment"], "figures": figures})
    for section in sections:
        for name in ("intro_html", "text_html"):
            if name in section:
                section[name.replace("_html", "_text")] = html_to_text(section[name])
    return sections


def render_issue(issue, figures=None) -> dict:
    """{"subject", "html", "text"} of `issue` in its own language, the unsubscribe link left as
    UNSUBSCRIBE_PLACEHOLDER; `figures` defaults to today's."""
    language = issue.locale.language_code
    with translation.override(language):
        if figures is None:
            figures = live_figures(language)
        editorial_html = rich_text_html(issue.editorial)
        context = {
            "issue": issue, "language": language, "issue_url": page_url(issue),
            "archive_url": page_url(issue.get_parent()),
            "editorial_html": editorial_html, "editorial_text": html_to_text(editorial_html),
            "sections": issue_sections(issue, figures), "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
            "site_url": _base(),
        }
        return {
            "subject": " ".join(issue.title.split()),
            "html": render_to_string("newsletter/email/issue.html", context),
            "text": render_to_string("newsletter/email/issue.txt", context),
        }


def issue_message(content: dict, *, to: str, language: str,
                  unsubscribe: str | None) -> EmailMultiAlternatives:
    """One subscriber's message from rendered `content`; `unsubscribe` None for a test send to a
    person who is not subscribed (no List-Unsubscribe headers then)."""
    link = unsubscribe or absolute_url("newsletter:subscribe", language=language)
    headers = {"Content-Language": language}
    if unsubscribe:
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    text = content["text"].replace(UNSUBSCRIBE_PLACEHOLDER, link)
    message = EmailMultiAlternatives(content["subject"], text, to=[to], headers=headers)
    markup = content["html"].replace(UNSUBSCRIBE_PLACEHOLDER, html.escape(link))
    message.attach_alternative(markup, "text/html")
    return message


def test_subject(subject: str, language: str) -> str:
    with translation.override(language):
        return _("[Test] %(subject)s") % {"subject": subject}


def subscribe_path(language: str) -> str:
    with translation.override(language):
        return reverse("newsletter:subscribe")
