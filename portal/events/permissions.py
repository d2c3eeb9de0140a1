"""The calendar's actions in the portal's permission helper (`portal.accounts.permissions`).

Registering is the portal-wide `register_to_event` (members). The participants list holds personal
data: only the secretariat and the people named on the event to manage its registrations get it.
"""

from portal.accounts.permissions import Action, register
from portal.accounts.roles import Role

LOGGED_IN = frozenset(Role) - {Role.VISITOR}


def _manages_event(user, *, event=None, **_):
    if event is None:
        return False
    from .models import EventPage

    # The published page's managers only. On a live page Wagtail keeps a draft's changes in the draft
    # revision, so the table holds the published names; on a page that is not live (never published,
    # or unpublished once registrations came in) "Save draft" writes straight to the table, so an
    # editor could name themselves there: nobody but the secretariat gets the list of such an event.
    source = event.source_event()
    if not source.live:
        return False
    through = EventPage.organizer_users.through
    return through.objects.filter(eventpage_id=source.pk, user_id=user.pk).exists()


register(Action(
    "export_event_participants", LOGGED_IN,
    scoped_roles=LOGGED_IN - {Role.SECRETARIAT}, scope_check=_manages_event,
))
