"""The "to do" home: what each person has to do on the portal, the page they land on after logging in.

Each app adds the sections of its own work in its AppConfig.ready() (the returns to fill in, the
returns and sign-ups to review, the campaign's progress, the proposals to moderate, the member's own
proposals), through a registry like the country page's (`portal/core/sections.py`):

    from portal.core import todo

    def my_proposals(person, request):
        if not todo.may_act(request, "propose_resource"):
            return None                      # not this person's work: no section at all
        pages = ...                          # a fixed number of queries whatever the data's size
        return todo.section_context(
            items=[todo.Item(label=..., url=..., state=..., detail=...) for page in pages],
            empty=_("You have proposed nothing yet."),
            more_url=reverse("library:propose"), more_label=_("Propose a resource"),
        )

    todo.register("library_mine", order=60, title=_("My library proposals"), context=my_proposals)

- A section is shown only to the people who may act on what it lists (ask `portal.accounts.permissions`
  or the app's own rules, on the server); None hides it.
- A section with no item is still shown, with its `empty` text: say what to do next.
- Orders taken: 10 returns to fill in, 20 returns to review, 30 sign-ups to approve, 40 campaign
  progress, 50 contributions to moderate (library 50, the library's declared studies 52, news 55),
  60 the member's proposals (library 60, news 65), 70 the member's sign-ups.
- Keep each section to a fixed number of queries (a test counts them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from portal.accounts.permissions import can
from portal.accounts.roles import roles_of
from portal.accounts.second_factor import dormant_roles

from .sections import SectionRegistry

TEMPLATE = "core/_todo_section.html"
# At most this many items per section; the rest are behind the section's "more" link.
MAX_ITEMS = 20

registry = SectionRegistry("person")


def register(key: str, *, order: int, title, context, template: str = TEMPLATE) -> None:
    registry.register(key, order=order, title=title, template=template, context=context)


unregister = registry.unregister


@dataclass(frozen=True)
class Item:
    """One thing to do (or to follow): a link to the page where it is done. Say the action in the
    label ("Fill in the 2025 return of …"): it is the link's text."""

    label: str
    url: str
    state: str = ""  # where it stands: "Draft", "Awaiting review"…
    detail: str = ""  # a second line: the mutual's identifier, the country…
    due: datetime.date | None = None  # the deadline, when there is one
    urgent: bool = False  # past its deadline, or sent back: shown first and marked


def section_context(*, items, empty, total: int | None = None, more_url: str = "", more_label="",
                    summary: str = "", links=()) -> dict:
    """The generic section template's context. `items` beyond MAX_ITEMS are cut (say how many there
    are in `total`, the count of everything, when the list was cut by the query: a count only when
    the list is full keeps the number of queries bounded)."""
    items = list(items)
    total = len(items) if total is None else total
    return {
        "items": items[:MAX_ITEMS], "total": total, "hidden": max(total - min(len(items), MAX_ITEMS), 0),
        "empty": empty, "more_url": more_url, "more_label": more_label, "summary": summary,
        "links": list(links), "shown": True,
    }


def active_roles(user) -> frozenset:
    """The roles `user` may use now: those waiting for a second factor are left out."""
    return frozenset(roles_of(user)) - dormant_roles(user)


def may_act(request, action: str, **scope) -> bool:
    return can(request.user, action, **scope)


def sections(request):
    """The person's sections, rendered, in order."""
    return registry.sections(request.user, request)


# -- Members' contributions (portal/core/contributions.py): one helper for every contributed model ---

def register_contributions(model, *, key: str, order_moderate: int, order_mine: int, titles: dict,
                           texts: dict, propose_action: str, list_url_name: str,
                           edit_url_name: str, propose_url_name: str) -> None:
    """Two sections for a contributed page model: its contributions awaiting review (for whoever
    moderates contributions: the secretariat) and the person's own, with where each stands.

    `titles` and `texts` hold lazy translations: titles "moderate" and "mine"; texts "review" (a
    label with %(title)s), "moderate_empty", "mine_empty" and "propose" (the link to propose one).
    `propose_action` is the permission to propose one (e.g. "propose_resource")."""
    from django.urls import reverse
    from django.utils import formats, timezone

    from .contributions import ContributionState, contribution_statuses

    def to_moderate(person, request):
        if not may_act(request, "moderate_contributions"):
            return None
        pages = list(model.objects.filter(contributor__isnull=False, live=False)
                     .select_related("contributor").order_by("pk"))
        statuses = contribution_statuses(pages)
        waiting = [p for p in pages if statuses[p.pk].state == ContributionState.AWAITING_REVIEW]
        items = [
            Item(
                label=str(texts["review"]) % {"title": page.draft_title or page.title},
                url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
                detail=str(page.contributor) if page.contributor else "",
                state=formats.date_format(timezone.localtime(statuses[page.pk].since), "DATE_FORMAT")
                if statuses[page.pk].since else "",
            )
            for page in waiting
        ]
        return section_context(items=items, empty=str(texts["moderate_empty"]))

    def mine(person, request):
        allowed = may_act(request, propose_action)
        theirs = model.objects.filter(contributor=person)
        pages = list(theirs.order_by("-pk")[:MAX_ITEMS])
        total = len(pages) if len(pages) < MAX_ITEMS else theirs.count()
        if not pages and not allowed:
            return None
        statuses = contribution_statuses(pages)
        items = []
        for page in pages:
            status = statuses[page.pk]
            url = reverse(edit_url_name, args=[page.pk]) if status.editable else reverse(list_url_name)
            items.append(Item(
                label=page.draft_title or page.title, url=url, state=str(status.label),
                urgent=status.state == ContributionState.CHANGES_REQUESTED,
            ))
        items.sort(key=lambda item: not item.urgent)
        return section_context(
            items=items, total=total, empty=str(texts["mine_empty"]),
            more_url=reverse(list_url_name) if pages else "",
            more_label=str(titles["mine"]),
            links=[{"url": reverse(propose_url_name), "label": str(texts["propose"])}] if allowed else [],
        )

    register(f"{key}_moderate", order=order_moderate, title=titles["moderate"], context=to_moderate)
    register(f"{key}_mine", order=order_mine, title=titles["mine"], context=mine)
