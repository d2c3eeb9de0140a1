"""Sections other apps add to a project profile's page (`library.ProjectProfilePage`).

The same interface as `country_sections` (read its docstring), with the project profile page instead
of a country: `context(page, request)` returns a dict for the template or None / {} to hide the
section; the template receives `project` (the page: a preview's revision, its links in memory) and
`section`. Taken: 10 the supported mutuals' figures from the inventory (`portal/directory/projects.py`:
the directory joins the library and the inventory, which do not import each other).
"""

from .sections import SectionRegistry

registry = SectionRegistry("project")
register = registry.register
unregister = registry.unregister
sections = registry.sections
