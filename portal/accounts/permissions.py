"""Who may do what: the one place every view and service asks.

    from portal.accounts.permissions import can, require
    if can(request.user, "validate_return", country="SN"): ...

An action is granted to a set of roles. A *scoped* action also needs the object it applies to:
for ``country`` scope, a focal point may act only on the countries they are focal point for, while
the secretariat acts everywhere. Later apps add their actions to ``ACTIONS`` with ``register``.

The secretariat and focal-point roles count only once their holder has a second factor
(``second_factor.py``): until then ``can`` answers as if the user did not hold them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from .roles import Role, roles_of
from .second_factor import DENIED_FLAG, dormant_roles

EVERYONE = frozenset(Role)
# Members of the network: whoever holds one of the role groups (signing up joins *Member*).
MEMBERS = frozenset(Role) - {Role.VISITOR, Role.AUTHENTICATED}
SECRETARIAT = frozenset({Role.SECRETARIAT})


@dataclass(frozen=True)
class Action:
    name: str
    roles: frozenset
    # Roles listed here hold the action only within their scope (checked by `scope_check`).
    scoped_roles: frozenset = field(default_factory=frozenset)
    scope_check: Callable | None = None


def _focal_point_country(user, *, country=None, **_):
    if country is None:
        return False
    code = getattr(country, "code", country)
    return user.focal_point_countries.filter(code=str(code).upper()).exists()


ACTIONS: dict[str, Action] = {}


def register(action: Action) -> Action:
    ACTIONS[action.name] = action
    return action


for _action in [
    Action("view_public_pages", EVERYONE),
    Action("download_public_data", EVERYONE),
    Action("register", frozenset({Role.VISITOR})),
    Action("edit_own_profile", EVERYONE - {Role.VISITOR}),
    Action("submit_article", MEMBERS),
    Action("propose_resource", MEMBERS),
    Action("register_to_event", MEMBERS),
    Action("access_admin", frozenset({Role.FOCAL_POINT, Role.SECRETARIAT})),
    Action("edit_pages", frozenset({Role.FOCAL_POINT, Role.SECRETARIAT})),
    Action("publish_pages", SECRETARIAT),
    Action("moderate_contributions", SECRETARIAT),
    Action(
        "validate_return", frozenset({Role.FOCAL_POINT, Role.SECRETARIAT}),
        scoped_roles=frozenset({Role.FOCAL_POINT}), scope_check=_focal_point_country,
    ),
    Action(
        "view_country_dashboard", frozenset({Role.FOCAL_POINT, Role.SECRETARIAT}),
        scoped_roles=frozenset({Role.FOCAL_POINT}), scope_check=_focal_point_country,
    ),
    Action("manage_campaign", SECRETARIAT),
    Action("manage_users", SECRETARIAT),
    Action("read_contact_messages", SECRETARIAT),
    Action("send_newsletter", SECRETARIAT),
]:
    register(_action)


def can(user, action_name: str, **scope) -> bool:
    """Whether `user` may perform `action_name` (on the object named in `scope`, if scoped).

    Unknown action names raise KeyError: a typo must not silently deny or grant. The secretariat and
    focal-point roles of a user without a second factor are left out; when only they would have
    granted the action, the user object is marked (`second_factor.DENIED_FLAG`) so that the 403 that
    follows becomes a redirect to the two-factor set-up.
    """
    action = ACTIONS[action_name]
    if user is not None and user.is_authenticated and not user.is_active:
        return False
    roles = roles_of(user)
    dormant = dormant_roles(user) if roles & action.roles else frozenset()
    if _grants(action, user, roles - dormant, scope):
        return True
    if dormant and _grants(action, user, roles, scope):
        setattr(user, DENIED_FLAG, True)
    return False


def _grants(action: Action, user, roles, scope) -> bool:
    held = roles & action.roles
    if not held:
        return False
    if held - action.scoped_roles:
        return True  # some role holds the action everywhere
    return bool(action.scope_check and action.scope_check(user, **scope))


def require(request, action_name: str, **scope) -> None:
    """Raise PermissionDenied (403) unless the request's user may act; views call this first."""
    if not can(request.user, action_name, **scope):
        raise PermissionDenied


def permission_required(action_name: str):
    """View decorator: anonymous visitors go to the login page, others without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if can(request.user, action_name):
                return view(request, *args, **kwargs)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise PermissionDenied

        return wrapped

    return decorator
