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
    return [
        {"page": item, "active": current_path.startswith(item.path)}
        for item in home.get_children().live().public().in_menu()
    ]


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
            else:
                url = language_home(code)
        elif request is not None:
            url = local_path_in(request.get_full_path(), code)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return links


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
