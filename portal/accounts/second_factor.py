"""The second factor the secretariat and focal points need before they act as such.

The guarantee: a user holding the secretariat or focal-point role (a superuser counts as secretariat)
who has no activated authenticator (an authenticator app or a security key; recovery codes alone do
not count) can neither reach Wagtail's admin nor perform any action of `permissions.ACTIONS` through
those roles. It is enforced in two places, one per way in:

- `permissions.can`, which every view, service and template asks: for such a user, the privileged
  roles are *dormant* — the user keeps what their other roles grant (their profile, their articles),
  nothing the privileged roles alone would grant. A denial for that reason is marked on the user
  object (`DENIED_FLAG`);
- `SecondFactorMiddleware`, for Wagtail's admin under /admin/, whose own permission checks are
  Django permissions that do not go through `can`: the middleware stops such a user (or anyone else
  holding `wagtailadmin.access_admin`) before any admin view runs.

The same middleware turns a 403 marked by `can` into the explanation: an HTML request is sent to the
two-factor set-up page with a message saying why, another request (JSON, XMLHttpRequest) gets 403.
So views need nothing of their own: `require`, `permission_required` and hand-written
`if not can(...): raise PermissionDenied` all lead there.

Logging in with a second factor is allauth's: once an authenticator is active, its login form asks
for the code after the password (`allauth.mfa.stages.AuthenticateStage`).
"""

from django.contrib import messages
from django.http import HttpResponseForbidden
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .roles import Role, roles_of

PRIVILEGED_ROLES = frozenset({Role.FOCAL_POINT, Role.SECRETARIAT})
# Authenticators that are a second factor on their own (recovery codes only back them up).
SECOND_FACTOR_TYPES = ("totp", "webauthn")
# Set on a user object by `permissions.can` when it refused an action only for want of a second factor.
DENIED_FLAG = "_portal_denied_for_second_factor"
_CACHE = "_portal_has_second_factor"


def has_second_factor(user) -> bool:
    """Whether `user` has an activated authenticator app or security key (read once per user object)."""
    if not user or not user.is_authenticated:
        return False
    if not hasattr(user, _CACHE):
        from allauth.mfa.utils import is_mfa_enabled

        setattr(user, _CACHE, is_mfa_enabled(user, types=SECOND_FACTOR_TYPES))
    return getattr(user, _CACHE)


def forget_second_factor(user) -> None:
    """Drop the cached answer of `has_second_factor` (after adding or removing an authenticator)."""
    if hasattr(user, _CACHE):
        delattr(user, _CACHE)


def dormant_roles(user) -> frozenset:
    """The privileged roles `user` holds but may not use yet, for want of a second factor."""
    held = frozenset(roles_of(user)) & PRIVILEGED_ROLES
    if held and not has_second_factor(user):
        return held
    return frozenset()


def _stopped_at_admin(user) -> bool:
    if not user.is_authenticated or has_second_factor(user):
        return False
    return bool(dormant_roles(user)) or user.has_perm("wagtailadmin.access_admin")


def second_factor_required(request):
    """The answer to a privileged request without a second factor: the set-up page (HTML), else 403."""
    message = _(
        "Your role (secretariat or focal point) gives access to the administration and to "
        "validation: protect your account with two-factor authentication first. Activate an "
        "authenticator app (or add a security key) below, then come back."
    )
    wants_html = (
        request.headers.get("x-requested-with") != "XMLHttpRequest" and request.accepts("text/html")
    )
    if not wants_html:
        return HttpResponseForbidden(message, content_type="text/plain; charset=utf-8")
    messages.warning(request, message)
    return redirect("mfa_index")


class SecondFactorMiddleware:
    """Keeps privileged users without a second factor out of the admin, and explains `can`'s refusals.

    Placed after the authentication and message middlewares. The admin's login and logout URLs stay
    open (the first only sends to allauth's login)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._is_guarded_admin_path(request.path_info) and _stopped_at_admin(request.user):
            return second_factor_required(request)
        response = self.get_response(request)
        if response.status_code == 403 and getattr(request.user, DENIED_FLAG, False):
            return second_factor_required(request)
        return response

    @staticmethod
    def _is_guarded_admin_path(path: str) -> bool:
        if not path.startswith(reverse("wagtailadmin_home")):
            return False
        return path not in (reverse("wagtailadmin_login"), reverse("wagtailadmin_logout"))
