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

    # The published page's managers (a draft naming someone grants nothing until it is published).
    through = EventPage.organizer_users.through
    return through.objects.filter(eventpage_id=event.source_event().pk, user_id=user.pk).exists()


register(Action(
    "export_event_participants", LOGGED_IN,
    scoped_roles=LOGGED_IN - {Role.SECRETARIAT}, scope_check=_manages_event,
))
