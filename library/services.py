"""Writes on the library's pages: its index page in each language tree."""

from django.db import transaction
from wagtail.models import Locale, Page, Site

from .models import LibraryIndexPage

INDEX_TITLES = {
    "fr": (
        "Bibliothèque", "bibliotheque", "Études, guides, textes juridiques et actes des forums du réseau."
    ),
    "en": ("Library", "library", "Studies, guides, legal texts and forum proceedings of the network."),
}


def _default_parent() -> Page:
    """The default site's home page (on a freshly migrated database, Wagtail's welcome page)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    root = Page.get_first_root_node()
    return root.get_children().first() or root


@transaction.atomic
def library_index_get_or_create(*, language: str) -> LibraryIndexPage:
    """The library's index page in `language`'s tree, created (and published) when missing: the French
    one under the default site's home page, the others as its translations."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    existing = LibraryIndexPage.objects.filter(locale=locale).first()
    if existing is not None:
        return existing
    title, slug, intro = INDEX_TITLES.get(language, INDEX_TITLES["en"])
    source_language = Locale.get_default().language_code
    if language == source_language:
        parent = _default_parent()
        page = LibraryIndexPage(title=title, slug=slug, intro=intro, locale=parent.locale, show_in_menus=True)
        parent.add_child(instance=page)
    else:
        source = library_index_get_or_create(language=source_language)
        page = source.copy_for_translation(locale, copy_parents=True).specific
        page.title, page.slug, page.intro = title, slug, intro
        page.save()
    page.save_revision().publish()
    return page
