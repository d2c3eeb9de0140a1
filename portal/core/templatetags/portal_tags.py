from django import template
from django.conf import settings
from django.utils.translation import get_language
from wagtail.models import Locale, Page, Site

from portal.i18n import language_home, local_path_in

register = template.Library()


def _home(request):
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    return site.root_page.localized.specific


@register.simple_tag(takes_context=True)
def home_page(context):
    """The home page in the active language."""
    return _home(context.get("request"))


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Pages shown in the main menu (the home page's live children marked "show in menus"),
    each with `active` set when the current page is that page or below it."""
    home = _home(context.get("request"))
    if home is None:
        return []
    current = context.get("page")
    current_path = current.path if isinstance(current, Page) else ""
    fallback_language = Locale.get_default().language_code
    return [
        {"page": item, "active": current_path.startswith(item.path),
         # A French page in another language's menu is marked as such (lang and hreflang).
         "language": fallback_language if item.locale_id != home.locale_id else ""}
        for item in _menu_pages(home)
    ]


def _menu_pages(home):
    """The home page's menu pages; in a language whose tree lacks some of the French menu's pages (a
    Portuguese tree holding only the translated ones), French stays the fallback: the French menu's
    order, each page in the reader's language when it has a live translation there, else in French (the
    page then says so: templates/includes/translation_notice.html)."""
    own = list(home.get_children().live().public().in_menu())
    default = Locale.get_default()
    if home.locale_id == default.id:
        return own
    source = home.get_translation_or_none(default)
    if source is None:
        return own
    french = list(source.get_children().live().public().in_menu())
    by_key = {page.translation_key: page for page in own}
    if all(page.translation_key in by_key for page in french):
        return own
    merged = [by_key.pop(page.translation_key, page) for page in french]
    return merged + [page for page in own if page.translation_key in by_key]


@register.simple_tag(takes_context=True)
def localized_page(context, page):
    """A page chosen in the settings, in the reader's language when a translation is live."""
    if page is None:
        return None
    localized = page.localized
    return localized if localized.live else page


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language to the same content: the page's translation when it has one,
    the same view under the other language prefix otherwise, else that language's home page. Never a
    link off the site, whatever path the visitor asked for (portal.i18n.local_path_in)."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page):
            try:
                locale = Locale.objects.get(language_code=code)
            except Locale.DoesNotExist:
                locale = None
            translation = page.get_translation_or_none(locale) if locale else None
            if translation is not None and translation.live:
                url = translation.get_url(request)
                # The same page with the same filters, search words or page number (a list's query).
                query = request.META.get("QUERY_STRING", "") if request is not None else ""
                if url and query:
                    url = f"{url}?{query}"
            else:
                url = language_home(code)
        elif request is not None:
            url = local_path_in(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


@register.filter
def language_if_other(page) -> str:
    """The page's language when it is not the reader's (a French page kept in the Portuguese site's
    footer, French being the fallback): for its link's lang and hreflang; "" otherwise."""
    code = page.locale.language_code if isinstance(page, Page) and page.locale_id else ""
    return code if code and code != (get_language() or "")[:2] else ""


@register.filter(name="public_target")
def public_target_filter(page):
    """The page in the reader's language when anyone may read it, else None (portal.core.models)."""
    from portal.core.models import public_target

    return public_target(page)


@register.filter(is_safe=True)
def unbroken(value):
    """A short figure typed by an editor ("+ de 1 300") kept on one line: its spaces become
    non-breaking, as the thousands separator of the numbers the portal formats itself."""
    if value is None:
        return ""
    return str(value).replace(" ", "\u00a0")


@register.simple_tag(takes_context=True)
def untranslated_languages(context):
    """The site's other languages in which the current page has no live translation: a reader of one of
    them who followed a link here (a search result, a library hit) is now on the other language's
    site, and is told so in their own language (templates/includes/translation_notice.html)."""
    page = context.get("page")
    if not isinstance(page, Page) or not page.locale_id:
        return []
    own = page.locale.language_code
    translated = set(page.get_translations().live().values_list("locale__language_code", flat=True))
    return [code for code, _name in settings.LANGUAGES if code != own and code not in translated]


@register.filter(name="json_ld")
def json_ld_filter(data):
    """`{{ data|json_ld }}`: schema.org JSON-LD in a safe <script> element (portal/core/jsonld.py)."""
    from portal.core.jsonld import script

    return script(data)


# -- What search engines read in the head (templates/includes/head_meta.html) ------------------------

DESCRIPTION_LENGTH = 160


def _page_description(page) -> str:
    """A page's summary for `<meta name="description">`: its search description, else its intro or
    summary, else the start of its description or body text."""
    from django.utils.html import strip_tags
    from django.utils.text import Truncator

    for field in ("search_description", "intro", "summary", "description", "body"):
        value = getattr(page, field, "")
        if not value:
            continue
        if field == "body":  # a StreamField: the text of its rich-text paragraphs
            value = " ".join(child.value.source for child in value if hasattr(child.value, "source"))
        text = " ".join(strip_tags(str(value)).split())
        if text:
            return Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


def _page_alternates(page) -> dict[str, str]:
    from portal.site_url import page_public_url

    versions = {}
    for version in page.get_translations(inclusive=True).live().public().select_related("locale"):
        url = page_public_url(version)
        if url:
            versions[version.locale.language_code] = url
    return versions


def _view_alternates(request) -> dict[str, str]:
    from django.urls import translate_url

    from portal.site_url import public_url

    path = request.path
    versions = {}
    for code, _name in settings.LANGUAGES:
        translated = translate_url(path, code)
        if translated.startswith(language_home(code)):
            versions[code] = public_url(translated)
    return versions


def _with_page_number(url: str, request) -> str:
    """A list's page 2, 3…: its own canonical address (the `page` parameter kept, every other
    parameter, a filter or a sort, dropped)."""
    number = request.GET.get("page", "") if request is not None else ""
    return f"{url}?page={number}" if number.isdigit() and number not in ("0", "1") else url


@register.simple_tag(takes_context=True)
def head_meta(context):
    """The canonical address (on SITE_URL) and the `hreflang` alternates of the page's versions in each
    language (+ `x-default`: the French one), for the page in `context`:
    a Wagtail page (its live public translations) or a view (the same view in each language)."""
    from django.utils.encoding import escape_uri_path

    from portal.site_url import page_public_url, public_url

    request = context.get("request")
    page = context.get("page")
    if request is None:
        return {}
    # The path as a URL (`request.path` is decoded: /fr/agenda/thiès/ → /fr/agenda/thi%C3%A8s/).
    canonical = public_url(escape_uri_path(request.path))
    if isinstance(page, Page):
        # A routable page's sub-page (e.g. a citation export) has no translations to name.
        versions = _page_alternates(page) if page_public_url(page) == canonical else {}
    else:
        versions = _view_alternates(request)
    canonical = _with_page_number(canonical, request)
    alternates = [{"lang_code": code, "location": _with_page_number(url, request)}
                  for code, url in versions.items()]
    if len(alternates) < 2:
        alternates = []
    default = next((a["location"] for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), "")
    if default:
        alternates.append({"lang_code": "x-default", "location": default})
    return {"canonical": canonical, "alternates": alternates}


@register.simple_tag(takes_context=True)
def meta_description(context) -> str:
    """The page's description: the view's `meta_description`, else the Wagtail page's summary."""
    description = str(context.get("meta_description") or "")
    page = context.get("page")
    if not description and isinstance(page, Page):
        description = _page_description(page)
        if not description:  # nothing written: the page's title and what the site is
            from django.utils.translation import gettext

            site = gettext("the network supporting mutual health organizations in West and Central Africa: "
                           "inventory of mutuals, library, news and events.")
            description = f"{page.title} · Concertation, {site}"
    return description


@register.simple_tag(takes_context=True)
def page_json_ld(context):
    """The page's schema.org data: the view's `json_ld`, else the Wagtail page's `json_ld()`."""
    data = context.get("json_ld")
    if data:
        return data
    page = context.get("page")
    if isinstance(page, Page) and hasattr(page, "json_ld"):
        return page.json_ld()
    return None


@register.filter
def with_heading_levels(stream):
    """A page body's blocks, each with the level its own headings take: 2 until the body's first
    heading block (an h2), 3 after it, so that an organizations list never skips a level below the
    page's h1. `{% for block, level in page.body|with_heading_levels %}`."""
    level = 2
    pairs = []
    for block in stream or ():
        pairs.append((block, level))
        if block.block_type == "heading":
            level = 3
    return pairs
