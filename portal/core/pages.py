"""The index page of a section (the library, the news, the calendar…) in each language tree, created
once: `index_page_get_or_create` returns the existing page of that type in the language's locale, or
creates and publishes it, the default language's one under the default site's home page and the others
as its translations (so that Wagtail's locale switcher links them); `child_slug` gives a new page a
slug free among its siblings."""

from collections.abc import Collection, Mapping
from typing import Any

from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import Locale, Page, Site


def default_parent() -> Page:
    """The default site's home page (on a freshly migrated database, Wagtail's welcome page)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    root = Page.get_first_root_node()
    return root.get_children().first() or root


@transaction.atomic
def index_page_get_or_create(model: type[Page], *, language: str,
                             fields: Mapping[str, Mapping[str, Any]]) -> Page:
    """The `model` page of `language`'s tree, created and published when missing. `fields` gives the
    page's fields (title, slug, intro…) per language code; a language it lacks takes the English ones."""
    locale, _ = Locale.objects.get_or_create(language_code=language)
    existing = model.objects.filter(locale=locale).first()
    if existing is not None:
        return existing
    values = fields.get(language, fields["en"])
    source_language = Locale.get_default().language_code
    if language == source_language:
        parent = default_parent()
        page = model(locale=parent.locale, show_in_menus=True, **values)
        parent.add_child(instance=page)
    else:
        source = index_page_get_or_create(model, language=source_language, fields=fields)
        page = source.copy_for_translation(locale, copy_parents=True).specific
        for name, value in values.items():
            setattr(page, name, value)
        page.save()
    page.save_revision().publish()
    return page


def child_slug(parent: Page, title: str, *, default: str, reserved: Collection[str] = ()) -> str:
    """A slug for a new page under `parent`, from `title` (or `default` when the title gives none), that
    no sibling holds nor names one of the section's own paths (`reserved`): Wagtail's
    `find_available_slug` appends -1, -2… as needed."""
    slug = slugify(title)[:60].strip("-") or default
    if slug in reserved:
        slug += "-1"
    return find_available_slug(parent, slug)
