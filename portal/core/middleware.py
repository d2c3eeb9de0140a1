"""Security headers on every response: the Content-Security-Policy (one for the public site, a looser
one for Wagtail's admin) and the Permissions-Policy.

The public site runs no inline script or style: its policy allows only the site's own files
(`settings.CONTENT_SECURITY_POLICY`). Wagtail's admin writes inline styles and scripts of its own that
the portal does not control, so the paths under `/admin/` get `settings.CONTENT_SECURITY_POLICY_ADMIN`,
measured in a browser (tests/browser/test_content_security_policy.py). Both forbid plugins, other
origins' frames around the site, a foreign `<base>` and forms posting elsewhere.
"""

import base64
import hashlib
import logging
import re

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

logger = logging.getLogger(__name__)


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, choosing the admin's policy for Wagtail's admin paths.

    A view's own `@csp…` decorators still apply on top of the chosen policy."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and parts.config is None and is_admin_path(request.path_info):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        return parts


def is_admin_path(path: str) -> bool:
    return path.startswith(reverse("wagtailadmin_home"))


def allow_style_elements_of(response, html: str):
    """Let the `<style>` elements of `html`, a standalone document the portal wrote itself (e.g. a
    dataset's codebook), apply on `response`: their hashes join style-src, nothing else does."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in re.findall(r"<style>(.*?)</style>", html, re.S)
    ]
    if hashes:
        response._csp_update = {"style-src": [SELF, *hashes]}
    return response


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` on every response: the portal uses no camera, microphone, location,
    payment or USB device, so no page (nor anything injected into one) may ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class ControlCharactersInPathMiddleware:
    """A path holding a NUL or another control character names nothing on this site: 404 at once.
    (PostgreSQL refuses a NUL in any text it is asked to compare, so `/fr/inventaire/mutuelles/%00/`
    reached the database as a server error; the query strings' values are the views' and forms' to
    validate, which refuse a NUL as invalid input.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(ord(character) < 32 or ord(character) == 127 for character in request.path):
            from django.http import Http404

            raise Http404  # answered by the site's 404 page, like any unknown address
        return self.get_response(request)


class WriteTransactionMiddleware:
    """Each request that may write (POST, PUT, PATCH, DELETE) runs in one transaction, rolled back if
    the view raises or answers a server error, as Django's ATOMIC_REQUESTS would; a GET or HEAD runs
    in autocommit.

    ATOMIC_REQUESTS wrapped every view, reads included, and SQLite transactions take the write lock
    when they begin: one slow page held every other request waiting, then failing with "database is
    locked". Reads now take no lock at all (SQLite runs in WAL mode, readers never wait for a writer),
    and the few writes a GET makes (a download counter, a session) are short statements of their own.
    A view marked `@transaction.non_atomic_requests` manages its transactions itself.

    Last in MIDDLEWARE, it wraps Django's own call of the view, so the other middlewares'
    `process_exception` still answer a view's exception (allauth's re-authentication, say); this one's
    runs first and marks the request's writes for rollback. A write that cannot get SQLite's write lock
    within the busy timeout (an import holds it) gets `busy()`, a 503 saying nothing was saved.
    """

    UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.db import transaction

        if request.method not in self.UNSAFE or self._manages_its_transactions(request):
            return self.get_response(request)
        began = False
        try:
            with transaction.atomic():
                began = True
                response = self.get_response(request)
                if getattr(request, "_writes_failed", False) or response.status_code >= 500:
                    transaction.set_rollback(True)
        except OperationalError as error:
            if began or "database is locked" not in str(error):
                raise  # not the transaction's start waiting for another writer
            return busy(request)
        return response

    def process_exception(self, request, exception):
        request._writes_failed = True
        if isinstance(exception, OperationalError) and "database is locked" in str(exception):
            return busy(request)
        return None

    @staticmethod
    def _manages_its_transactions(request) -> bool:
        from django.db import DEFAULT_DB_ALIAS
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
        except Resolver404:
            return False
        return DEFAULT_DB_ALIAS in getattr(match.func, "_non_atomic_requests", set())


BUSY_RETRY_SECONDS = 60


def busy(request):
    """503 for a write that could not get SQLite's write lock within the busy timeout (another process
    held it longer: an import's all-or-nothing transaction). Nothing of the request was saved (its
    transaction was rolled back); the page says so and to send again, instead of a server error."""
    from django.http import HttpResponse
    from django.template.loader import get_template
    from django.utils.translation import get_language

    logger.warning("A write waited longer than the busy timeout for the database: %s %s",
                   request.method, request.path)
    response = HttpResponse(get_template("503_busy.html").render({"lang": get_language() or "fr"}),
                            status=503)
    response["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response
