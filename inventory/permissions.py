"""The inventory's actions in the portal's permission helper (`portal.accounts.permissions`).

Validating or sending back a return is the portal-wide `validate_return`, scoped by country.
"""

from portal.accounts.permissions import Action, register
from portal.accounts.roles import Role


def _reports_for(user, *, mutual=None, **_):
    """A manager reports for the mutuals they manage; a supporting organization's staff for the
    mutuals it supports."""
    if mutual is None:
        return False
    return (
        mutual.managers.filter(pk=user.pk).exists()
        or mutual.supporting_organizations.filter(staff=user).exists()
    )


def _focal_point_of(user, *, mutual=None, **_):
    if mutual is None:
        return False
    return user.focal_point_countries.filter(code=mutual.country_id).exists()


REPORTERS = frozenset({Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION})

for _action in [
    Action("edit_return", REPORTERS | {Role.SECRETARIAT}, scoped_roles=REPORTERS, scope_check=_reports_for),
    Action("submit_return", REPORTERS | {Role.SECRETARIAT}, scoped_roles=REPORTERS, scope_check=_reports_for),
    Action(
        "view_return_history", REPORTERS | {Role.FOCAL_POINT, Role.SECRETARIAT},
        scoped_roles=REPORTERS | {Role.FOCAL_POINT},
        scope_check=lambda user, **scope: _reports_for(user, **scope) or _focal_point_of(user, **scope),
    ),
    Action("restore_return_revision", frozenset({Role.SECRETARIAT})),
]:
    register(_action)
