"""Wagtail's admin behind the portal's `access_admin`, for every URL under /admin/.

Wagtail lets in whoever holds its `wagtailadmin.access_admin` Django permission, which a permission
granted to a user directly or to a group other than the role groups would also give. Wrapping every
admin view (`guard_admin_urls`, used by `portal/urls.py`) makes the portal's own rule the first check:
a logged-in user who may not `access_admin` (no focal-point or secretariat role, an inactive account)
is turned away as Wagtail turns them away (to the login page, or 403 for a script), whatever Django
permissions they hold. Anonymous visitors are left to Wagtail, which sends them to the login page
except on its public pages (the sprite, the JavaScript catalogue, the password reset). What each
screen then allows is the role groups' Wagtail permissions (`roles.py`) and the portal's guards
(`viewsets.py`, the contributions' and private files' rules); `tests/core/test_admin_urls.py` holds
the whole table of who gets what on every admin URL.
"""

from functools import wraps

from wagtail.admin.auth import reject_request
from wagtail.utils.urlpatterns import decorate_urlpatterns

from .permissions import can


def require_portal_admin_access(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not can(user, "access_admin"):
            return reject_request(request)
        return view(request, *args, **kwargs)

    wrapped.portal_admin_access = True
    return wrapped


def guard_admin_urls(urlpatterns):
    """`urlpatterns` (Wagtail's admin URLs), each view wrapped in the portal's admin access check."""
    return decorate_urlpatterns(urlpatterns, require_portal_admin_access)
