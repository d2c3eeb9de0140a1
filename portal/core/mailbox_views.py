"""The development mailbox's pages (/dev/mail/, portal/core/mailbox.py): DEBUG only, from this machine.

No login: the mailbox is where a developer reads the e-mail that confirms their first account (or
resets a forgotten password) on a fresh database, before anyone can log in. What protects it instead:
the URLs exist only when DEBUG is on (portal/urls.py), every view answers 404 unless DEBUG is on and
the request comes from the loopback interface (a `runserver 0.0.0.0` on a shared network does not
expose other people's password-reset links).

A message's HTML part is the portal's own, but is treated as untrusted: it is served at its own URL
with `Content-Security-Policy: sandbox` (no script, no form, no same-origin access; images from the
site only) and shown in an `<iframe sandbox>`; its links open in the whole tab on a click.
"""

import functools
import ipaddress
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import mailbox

LISTED = 200
# The sandbox of a message's HTML part, the same in the iframe's attribute and in the CSP header.
SANDBOX = "allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"


def _from_this_machine(request) -> bool:
    try:
        return ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False


def dev_only(view):
    """404 unless DEBUG is on and the request comes from this machine (see the module)."""

    @functools.wraps(view)
    def guarded(request, *args, **kwargs):
        if not settings.DEBUG or not _from_this_machine(request):
            raise Http404
        return view(request, *args, **kwargs)

    # The e-mails hold sign-in links: no cache keeps them, the page cache included (it would serve
    # them to another machine).
    return never_cache(guarded)


def _message_or_404(message_id):
    message = mailbox.message(message_id)
    if message is None:
        raise Http404
    return message


@require_safe
@dev_only
def message_list(request):
    return render(request, "dev/mailbox.html", {
        "messages_found": mailbox.messages(limit=LISTED), "directory": mailbox.mailbox_dir(),
        "keep": mailbox.mailbox_keep(), "backend": settings.EMAIL_BACKEND,
        "is_mailbox": settings.EMAIL_BACKEND == f"{mailbox.__name__}.MailboxBackend",
    })


@require_safe
@dev_only
def message_detail(request, message_id):
    message = _message_or_404(message_id)
    return render(request, "dev/mailbox_message.html", {
        "message": message, "sandbox": SANDBOX, "title": message.subject or _("(no subject)")})


def _site_origin() -> str:
    parts = urlsplit(getattr(settings, "SITE_URL", "") or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


@require_safe
@dev_only
def message_html(request, message_id):
    """The HTML part alone, sandboxed (see the module): what the iframe of the message page shows."""
    message = _message_or_404(message_id)
    if message.html is None:
        raise Http404
    # Links open in the whole tab (the sandbox lets a click do that), not inside the small frame.
    html, count = re.subn(r"(<head\b[^>]*>)", r'\1<base target="_top">', message.html, count=1, flags=re.I)
    if not count:
        html = '<base target="_top">' + html
    images = " ".join(filter(None, ["'self'", "data:", _site_origin()]))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        f"sandbox {SANDBOX}; default-src 'none'; img-src {images}; style-src 'unsafe-inline'; "
        "form-action 'none'; frame-ancestors 'self'")
    response["Referrer-Policy"] = "no-referrer"
    return response


@require_safe
@dev_only
def message_raw(request, message_id):
    """The message as received (.eml), for a mail program."""
    _message_or_404(message_id)
    data = (mailbox.mailbox_dir() / f"{message_id}.eml").read_bytes()
    response = HttpResponse(data, content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="{message_id}.eml"'
    return response
