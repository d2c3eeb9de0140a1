"""The audit log of administrative actions: who did what, to which object, when, from which address.

One table for everything: Wagtail's log entries (`wagtail.models.ModelLogEntry` and `PageLogEntry`).
Wagtail already records its own actions there (pages, snippets such as the exchange rates, users and
groups created, edited or deleted in its admin); the portal's own actions go into the same table with
`log()` below, under action names starting with ``portal.`` that each app declares with `register()`.

Guarantees:
- Every entry, Wagtail's and the portal's, carries its origin in ``data["origin"]``: the client's
  address for a web request (allauth's reading of it, so ``ALLAUTH_TRUSTED_PROXY_COUNT`` applies
  behind the reverse proxy), or ``"command line"`` with the operating-system account (and the
  command's name when run through manage.py) for anything done outside a request.
- ``data`` holds who, what and where only: names of roles, country codes, file names, counts,
  version numbers — never a password, a message's text, a comment or a subscriber's address.
- The request is known to signal handlers through `AuditMiddleware` (a context variable, so
  concurrent requests and threads never see each other's).

Who reads it: the secretariat and administrators, in the *Audit log* report (`AuditLogView`,
Reports › Audit log), which shows every entry with its address and filters by it. Wagtail's own
*Site history* report stays as Wagtail made it: each person sees the entries of the object types
they hold a model permission on, so a focal point (who holds none on users, groups or the
inventory's models) sees no account, role or inventory entry there. A separate report rather than
an extension of Site history because that report's rows depend on Wagtail's per-type permissions,
which would show the secretariat a user's role change but not a return's validation.
"""

import getpass
import sys
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db.models.signals import pre_save
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log as wagtail_log
from wagtail.log_actions import registry as log_registry

from portal.accounts.permissions import SECRETARIAT, Action
from portal.accounts.permissions import register as register_permission

from . import throttle

COMMAND_LINE = "command line"

register_permission(Action("view_audit_log", SECRETARIAT))

_request: ContextVar = ContextVar("portal_audit_request", default=None)
_quiet: ContextVar = ContextVar("portal_audit_quiet", default=False)


class AuditMiddleware:
    """Makes the current request known to `log()` and to the origin of Wagtail's own entries."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


# --- Where an action comes from ------------------------------------------------------------------

def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 — no login name in this environment
        return "unknown"


def _command() -> str | None:
    program = sys.argv[0] if sys.argv else ""
    if program.endswith(("manage.py", "django-admin")) and len(sys.argv) > 1:
        return sys.argv[1]
    return None


def origin() -> dict:
    """Where the current action comes from: {"address": …} in a request; {"address": "command
    line", "os_user": …, "command": …} outside one (commands, cron, the shell)."""
    request = _request.get()
    if request is not None:
        return {"address": throttle.client_address(request)}  # through the trusted proxies
    found = {"address": COMMAND_LINE, "os_user": _os_user()}
    if command := _command():
        found["command"] = command
    return found


def current_user():
    """The logged-in user of the current request, or None (a command, a visitor)."""
    user = getattr(_request.get(), "user", None)
    return user if user is not None and user.is_authenticated else None


# --- The portal's actions -----------------------------------------------------------------------

@dataclass(frozen=True)
class AuditAction:
    label: Promise  # what the action filter lists
    message: Promise  # one line in the report; may name keys of the entry's data, %(key)s


ACTIONS: dict[str, AuditAction] = {}


def register(action: str, label, message) -> None:
    """Declare one of the portal's actions (name starting with ``portal.``)."""
    if not action.startswith("portal."):
        raise ValueError(f"Portal audit actions start with 'portal.': {action}")
    ACTIONS[action] = AuditAction(label, message)


class _Formatter(LogFormatter):
    template = ""

    def format_message(self, log_entry):
        values = {k: ", ".join(map(str, v)) if isinstance(v, list) else v
                  for k, v in (log_entry.data or {}).items()}
        try:
            return str(self.template) % values
        except (KeyError, TypeError, ValueError):
            return str(self.label)


def _formatter_class(action: AuditAction) -> type:
    return type("PortalLogFormatter", (_Formatter,), {"label": action.label, "template": action.message})


def register_log_actions(actions) -> None:
    """Wagtail's `register_log_actions` hook (portal/core/wagtail_hooks.py) for every portal action."""
    for name, action in ACTIONS.items():
        actions.register_action(name)(_formatter_class(action))


def _ensure_registered(name: str) -> None:
    # An action declared after Wagtail read its hooks (in a module imported late) still logs.
    if log_registry.has_scanned_for_actions and name not in log_registry.formatters:
        log_registry.register_action(name)(_formatter_class(ACTIONS[name]))


def log(instance, action: str, *, user=None, title: str | None = None, data: dict | None = None,
        deleted: bool = False):
    """Record `action` on `instance` by `user` (default: the request's user); the origin is added
    when the entry is saved. `data` must hold no personal data beyond names of roles and codes.

    Nothing is recorded inside `quiet()` (an import logs itself once, not each row it writes)."""
    if action not in ACTIONS:
        raise KeyError(f"Unregistered audit action: {action}")
    if _quiet.get():
        return None
    _ensure_registered(action)
    return wagtail_log(instance=instance, action=action, user=user or current_user(), title=title,
                       data=data or {}, deleted=deleted)


@contextmanager
def quiet():
    """Per-object entries written by signal handlers are skipped within this block."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def _stamp_origin(sender, instance, raw=False, **kwargs):
    if raw or not instance._state.adding:
        return
    data = instance.data if isinstance(instance.data, dict) else {}
    if "origin" not in data:
        instance.data = {**data, "origin": origin()}


def connect() -> None:
    """Every new log entry, whoever writes it (Wagtail or the portal), gets its origin."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    for model in (ModelLogEntry, PageLogEntry):
        pre_save.connect(_stamp_origin, sender=model, dispatch_uid=f"audit-origin-{model.__name__}")
    _connect_contact_messages()


# --- The site's own actions ---------------------------------------------------------------------

register("portal.form_submission.deleted", _("Delete a form message"), _("Message deleted (form: %(form)s)"))


def _form_submission_deleted(sender, instance, **kwargs):
    # The label is the message's number: its sender and text are not copied into the log.
    from wagtail.models import Page

    form = Page.objects.filter(pk=instance.page_id).values_list("title", flat=True).first()
    log(instance, "portal.form_submission.deleted", title=f"#{instance.pk}", deleted=True,
        data={"form": form or ""})


def _connect_contact_messages() -> None:
    from django.db.models.signals import post_delete
    from wagtail.contrib.forms.models import FormSubmission

    post_delete.connect(_form_submission_deleted, sender=FormSubmission, dispatch_uid="audit-form-deleted")
