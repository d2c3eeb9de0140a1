"""What a project profile shows of the mutuals it supports (`models.ProjectSupportedMutual`): the list
of them, and their figures year by year from the inventory's validated returns (`inventory.opendata.
groups`: the synthesis's own computation and provisional rule), with a chart, its table and a CSV.

Registered here, in the site layer: the library's page asks the kernel's `project_sections` for it
and the project profile's editor gets the panel, so neither the library nor the inventory imports the
other. Private mutuals are never named and count in no figure (as in the inventory's synthesis); no
contact person is read.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.panels import InlinePanel

from inventory.campaign.provisional import PROVISIONAL
from inventory.models import Mutual, Union
from inventory.opendata.figures import Figure, group_figure
from inventory.opendata.groups import group_rows
from library.models import ProjectProfilePage
from portal.core import project_sections

PANEL_NAME = "supported_mutuals"


@dataclass
class Supported:
    """One line of the list: a public mutual, or a union with how many public mutuals it has."""

    mutual: Mutual | None
    union: Union | None
    since: int | None
    until: int | None
    count: int = 0


@dataclass
class Group:
    links: list[Supported]
    public: list[int]  # primary keys of the public mutuals, figures counted
    hidden: int  # the supported mutuals not public: neither named nor counted


def supported_group(page) -> Group:
    """The page's links resolved (the page's own links: in memory for a preview), in three queries:
    every mutual linked or in a linked union, the public ones among them, the unions."""
    links = list(page.supported_mutuals.all())
    mutual_ids = {link.mutual_id for link in links if link.mutual_id}
    union_ids = {link.union_id for link in links if link.union_id}
    wanted = Q(pk__in=mutual_ids) | Q(union_id__in=union_ids)
    everyone = dict(Mutual.objects.filter(wanted).values_list("pk", "union_id"))
    public = Mutual.objects.public().filter(wanted).only("pk", "mutual_id", "name", "acronym", "union_id")
    public = {mutual.pk: mutual for mutual in public}
    unions = Union.objects.in_bulk(union_ids) if union_ids else {}
    result = []
    for link in links:
        if link.mutual_id in public:
            result.append(Supported(public[link.mutual_id], None, link.since, link.until))
        elif link.union_id in unions:
            count = sum(1 for mutual in public.values() if mutual.union_id == link.union_id)
            result.append(Supported(None, unions[link.union_id], link.since, link.until, count))
    hidden = len(everyone.keys() - public.keys())
    return Group(result, sorted(public), hidden)


def figure(page, group: Group) -> Figure | None:
    """The group's figures (None without a validated public return), its CSV address on the page's."""
    rows = group_rows(group.public)
    if not rows:
        return None
    result = group_figure(rows, title=_("The supported mutuals in the inventory"))
    if page.pk:
        result.csv_url = reverse("directory:project_csv", args=[page.pk])
    return result


def section(page, request):
    """The section's context, or None for a project that names no mutual."""
    if not page.supported_mutuals.all():
        return None
    group = supported_group(page)
    found = figure(page, group)
    provisional = [str(row[0].value) for row in found.rows if row[-1].value == PROVISIONAL] if found else []
    return {"group": group, "figure": found, "provisional_years": provisional}


def register():
    project_sections.register(
        "inventory", order=10, title=gettext_lazy("The supported mutuals in the inventory"),
        template="directory/_project_mutuals.html", context=section,
    )
    # The editor's panel, before the KPIs typed by hand (added once: `ready()` may run twice in tests).
    panels = ProjectProfilePage.content_panels
    if not any(getattr(panel, "relation_name", None) == PANEL_NAME for panel in panels):
        position = next((i for i, panel in enumerate(panels)
                         if getattr(panel, "relation_name", None) == "indicators"), len(panels))
        panels.insert(position, InlinePanel(
            PANEL_NAME, label=gettext_lazy("Supported mutual or union"),
            heading=gettext_lazy("Mutuals supported (their figures come from the inventory)"),
        ))
