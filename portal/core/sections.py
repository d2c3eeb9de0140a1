"""Sections that other apps add to a page they do not own (a country's page, an organization's page).

A registry holds, by key, a title, a template, an order and a `context(obj, request)` function. The
page asks `registry.sections(obj, request)` and gets each shown section rendered (its template with
the returned dict, plus the object under the registry's name and `section`); a section whose function
returns None or an empty dict is not shown at all (no empty heading). A section that raises is left
out and logged, so one app's bug never takes another app's page down.
See `portal/core/country_sections.py` for the country page's registry and how to use it.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    title: str  # a lazy translation: evaluated when the page renders, in the reader's language
    template: str
    context: Callable


@dataclass(frozen=True)
class RenderedSection:
    key: str
    title: str
    html: str  # a SafeString from the template engine


class SectionRegistry:
    def __init__(self, name: str):
        self.name = name  # also the template variable holding the page's object ("country")
        self._sections: dict[str, Section] = {}

    def register(self, key: str, *, order: int, title, template: str, context: Callable) -> None:
        """Add (or replace, under the same key: `ready()` may run twice in tests) a section."""
        self._sections[key] = Section(key=key, order=order, title=title, template=template, context=context)

    def unregister(self, key: str) -> None:
        self._sections.pop(key, None)

    def keys(self) -> list[str]:
        return [s.key for s in sorted(self._sections.values(), key=lambda s: (s.order, s.key))]

    def sections(self, obj, request) -> list[RenderedSection]:
        """The sections to show for `obj`, in order, each with its context (the empty ones left out)."""
        shown = []
        for section in sorted(self._sections.values(), key=lambda s: (s.order, s.key)):
            try:
                context = section.context(obj, request)
            except Exception:
                logger.exception("%s section %r failed for %r", self.name, section.key, obj)
                continue
            if not context:
                continue
            title = str(section.title)
            try:
                html = render_to_string(
                    section.template,
                    {**context, self.name: obj, "section": {"key": section.key, "title": title}},
                    request=request,
                )
            except Exception:
                logger.exception("%s section %r failed to render for %r", self.name, section.key, obj)
                continue
            shown.append(RenderedSection(key=section.key, title=title, html=html))
        return shown
