"""Sections other apps add to an organization's page in the directory (`directory:organization`).

The same interface as `country_sections` (read its docstring), with an `inventory.SupportingOrganization`
instead of a country: `context(organization, request)` returns a dict for the template or None / {}
to hide the section. E.g. the Forum registers the editions where the organization's people spoke,
the calendar the events it organizes:

    from portal.core import organization_sections
    organization_sections.register("forum", order=20, title=_("At the Forum"),
                                   template="events/_organization_forum.html", context=forum_editions)
"""

from .sections import SectionRegistry

registry = SectionRegistry("organization")
register = registry.register
unregister = registry.unregister
sections = registry.sections
