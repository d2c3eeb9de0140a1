"""The inventory's actions in the portal's permission helper (`portal.accounts.permissions`).

Validating or sending back a return is the portal-wide `validate_return`, scoped by country.
"""

from portal.accounts.permissions import Action, register
from portal.accounts.roles import Role

from .contract.choices import RegistrationState


def _reports_for(user, *, mutual=None, **_):
    """A manager reports for the mutuals they manage; a supporting organization's staff for the
    mutuals it supports. Nobody reports for a mutual whose sign-up is not approved (yet)."""
    if mutual is None or mutual.registration_state != RegistrationState.APPROVED:
        return False
    return (
        mutual.managers.filter(pk=user.pk).exists()
        or mutual.supporting_organizations.filter(staff=user).exists()
    )


def _focal_point_of(user, *, mutual=None, **_):
    if mutual is None:
        return False
    return user.focal_point_countries.filter(code=mutual.country_id).exists()


def _approves_for(user, *, mutual=None, country=None, **_):
    """A focal point approves the sign-ups of mutuals of their countries."""
    code = mutual.country_id if mutual is not None else getattr(country, "code", country)
    if not code:
        return False
    return user.focal_point_countries.filter(code=str(code).upper()).exists()


REPORTERS = frozenset({Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION})
LOGGED_IN = frozenset(Role) - {Role.VISITOR}

for _action in [
    Action("edit_return", REPORTERS | {Role.SECRETARIAT}, scoped_roles=REPORTERS, scope_check=_reports_for),
    Action("submit_return", REPORTERS | {Role.SECRETARIAT}, scoped_roles=REPORTERS, scope_check=_reports_for),
    Action(
        "view_return_history", REPORTERS | {Role.FOCAL_POINT, Role.SECRETARIAT},
        scoped_roles=REPORTERS | {Role.FOCAL_POINT},
        scope_check=lambda user, **scope: _reports_for(user, **scope) or _focal_point_of(user, **scope),
    ),
    # A mutual's peer benchmark report (its validated years beside its peers'): whoever may read its
    # returns' history. The public profile shows the same figures for public mutuals.
    Action(
        "view_peer_benchmark", REPORTERS | {Role.FOCAL_POINT, Role.SECRETARIAT},
        scoped_roles=REPORTERS | {Role.FOCAL_POINT},
        scope_check=lambda user, **scope: _reports_for(user, **scope) or _focal_point_of(user, **scope),
    ),
    Action("restore_return_revision", frozenset({Role.SECRETARIAT})),
    # Validating figures one edited or submitted, with a reason the history keeps (services.py).
    Action("override_separation_of_duties", frozenset({Role.SECRETARIAT})),
    # Anyone with an account may ask for their mutual to be listed (pending until approved); a
    # supporting organization registers the mutuals it supports the same way.
    Action("register_mutual", LOGGED_IN),
    Action(
        "approve_mutual", frozenset({Role.FOCAL_POINT, Role.SECRETARIAT}),
        scoped_roles=frozenset({Role.FOCAL_POINT}), scope_check=_approves_for,
    ),
    # The web upload of an inventory file (the import command's code) is the secretariat's.
    Action("import_inventory", frozenset({Role.SECRETARIAT})),
    # Frozen dataset releases ("Inventaire 2025 v1.0") and the download counts and guestbook behind
    # the secretariat's reports; downloading is everyone's `download_public_data`.
    Action("publish_release", frozenset({Role.SECRETARIAT})),
    Action("view_download_statistics", frozenset({Role.SECRETARIAT})),
]:
    register(_action)
