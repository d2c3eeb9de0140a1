"""The development mailbox: the portal's e-mails kept as files that a developer reads in the browser.

`make run` (portal/settings/dev.py, `EMAIL_URL=mailbox://`, the default there) delivers every message
the portal sends, from the web server or the worker, to `MAILBOX_DIR` (var/mailbox/): one `.eml` file
per message (the bytes an SMTP server would have received, readable by any mail program), the newest
`MAILBOX_KEEP` kept. The DEBUG-only pages at /dev/mail/ (portal/core/mailbox_views.py) list them and
show each one: headers and subject decoded (RFC 2047), the text part, the HTML part.

A file's name is its id: the time it was written (nanoseconds, 20 digits, so names sort by age) and a
random suffix, so that the web server and the worker never write the same file.
"""

import email
import email.policy
import os
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

DEFAULT_KEEP = 200
MESSAGE_ID = re.compile(r"\d{20}-[0-9a-f]{8}")
SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Date", "Subject", "Content-Language", "List-Unsubscribe")


def mailbox_dir() -> Path:
    return Path(getattr(settings, "MAILBOX_DIR", None) or Path(settings.BASE_DIR) / "var" / "mailbox")


def mailbox_keep() -> int:
    return int(getattr(settings, "MAILBOX_KEEP", DEFAULT_KEEP))


class MailboxBackend(BaseEmailBackend):
    """Django e-mail backend writing each message to the development mailbox (see the module)."""

    def send_messages(self, email_messages) -> int:
        directory = mailbox_dir()
        directory.mkdir(parents=True, exist_ok=True)
        written = 0
        for message in email_messages:
            if not message.recipients():
                continue
            name = f"{time.time_ns():020d}-{secrets.token_hex(4)}"
            temporary = directory / f".{name}.tmp"
            temporary.write_bytes(message.message().as_bytes(linesep="\r\n"))
            os.replace(temporary, directory / f"{name}.eml")  # a reader never sees half a message
            written += 1
        prune(directory, mailbox_keep())
        return written


def _files(directory: Path) -> list[Path]:
    """The mailbox's messages, newest first."""
    if not directory.is_dir():
        return []
    return sorted((p for p in directory.glob("*.eml") if MESSAGE_ID.fullmatch(p.stem)), reverse=True)


def prune(directory: Path, keep: int) -> int:
    """Delete all but the newest `keep` messages; how many were deleted."""
    removed = 0
    for path in _files(directory)[keep:]:
        try:
            path.unlink()
            removed += 1
        except FileNotFoundError:  # pruned by the other process meanwhile
            pass
    return removed


@dataclass
class StoredMessage:
    id: str
    date: datetime | None
    sender: str
    to: str
    subject: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    text: str | None = None
    html: str | None = None


def _decoded(message, name: str) -> str:
    """A header as a person reads it: `email.policy.default` decodes RFC 2047 encoded words."""
    value = message.get(name)
    return " ".join(str(value).split()) if value is not None else ""


def _date(message, message_id: str) -> datetime | None:
    try:
        return parsedate_to_datetime(message["Date"]) if message["Date"] else None
    except (TypeError, ValueError):
        return datetime.fromtimestamp(int(message_id[:20]) / 1e9, tz=UTC)


def _part(message, subtype: str) -> str | None:
    part = message.get_body(preferencelist=(subtype,))
    if part is None or part.get_content_subtype() != subtype:
        return None
    try:
        return part.get_content()
    except (LookupError, ValueError):  # an unknown charset
        return part.get_payload(decode=True).decode("utf-8", "replace")


def _parse(path: Path, *, full: bool) -> StoredMessage:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    stored = StoredMessage(
        id=path.stem, date=_date(message, path.stem), sender=_decoded(message, "From"),
        to=", ".join(filter(None, (_decoded(message, "To"), _decoded(message, "Cc")))),
        subject=_decoded(message, "Subject"),
    )
    if full:
        stored.headers = [(name, _decoded(message, name)) for name in SHOWN_HEADERS if message.get(name)]
        stored.text = _part(message, "plain")
        stored.html = _part(message, "html")
    return stored


def messages(limit: int | None = None) -> list[StoredMessage]:
    """The mailbox's messages, newest first: date, sender, recipients, decoded subject."""
    found = []
    for path in _files(mailbox_dir())[:limit]:
        try:
            found.append(_parse(path, full=False))
        except FileNotFoundError:  # pruned meanwhile
            continue
    return found


def message(message_id: str) -> StoredMessage | None:
    """One message with its headers and parts; None for an unknown (or malformed) id."""
    if not MESSAGE_ID.fullmatch(message_id):
        return None
    path = mailbox_dir() / f"{message_id}.eml"
    try:
        return _parse(path, full=True)
    except FileNotFoundError:
        return None

