"""Batched, resumable e-mail deliveries that never send the same thing twice to an address.

Used by the newsletter (kind ``"newsletter"``) and meant for any mass mailing (flash news, digests).
A *delivery* is one mailing: one row per recipient address, unique per (delivery, address), created
at once; the sending command then works through the pending rows in batches, one SMTP connection
per batch, and may be killed, restarted or run twice at the same time.

Interface
---------
1. Register a kind once (e.g. in the app's ``ready()`` or at module import)::

       class FlashKind:
           def compose(self, delivery, recipient) -> EmailMessage | None: ...
           # optional:
           def on_sent(self, delivery, recipient) -> None: ...
           def on_failure(self, delivery, recipient, error: str, permanent: bool) -> None: ...

       delivery.register_kind("flash", FlashKind())

   ``compose`` builds the message for one recipient (``recipient.address``, ``recipient.language``,
   ``recipient.data`` — the JSON given at creation — and ``delivery.payload``); returning None skips
   the recipient (e.g. they unsubscribed since). ``on_failure(permanent=True)`` is called when the
   server refused the address (SMTPRecipientsRefused or a 5xx reply), or when temporary refusals
   (4xx) reached ``MAX_ATTEMPTS``: that is where a kind counts bounces.

2. Create the delivery (idempotent on ``reference``: a second call returns the existing delivery
   and adds nobody)::

       delivery, created = delivery_create(
           kind="flash", reference="flash-2026-11-23-12", payload={...}, created_by=user,
           recipients=[Recipient(address, language, data), ...])

3. Send: queue ``portal.newsletter.tasks.send_delivery`` with the delivery's id, in the transaction
   that created it (``portal.core.tasks.enqueue``): the worker sends it in slices of a few batches.
   The worker's schedule also runs ``send_due_deliveries`` every minute (the safety net: retries,
   released claims, deliveries created without a task). Both call ``send_pending(...)``, which sends
   what is due and returns a ``SendStats`` (the management commands call it too, so cron stays
   possible); ``Delivery.report()`` gives the counts of each state.

States of a recipient row, and why a message is never sent twice
----------------------------------------------------------------
``pending`` → ``claimed`` (reserved by one worker in a short transaction: ``SELECT … FOR UPDATE SKIP
LOCKED`` on PostgreSQL, serialised writes on SQLite, and the UPDATE only takes rows still pending)
→ ``sending`` (a compare-and-set on the worker's own claim, committed just before the message is
handed to the SMTP server) → ``sent`` (committed right after the server accepted it). Also
``failed`` (refused for good), ``skipped`` (the kind's compose returned None) and ``uncertain``.

We chose *at most once*: a worker killed between handing a message to the server and recording it
leaves its row ``sending``; such a row is never retried automatically but becomes ``uncertain``
(shown in the report; ``requeue_uncertain`` sends those again, when someone decided that a possible
duplicate is better than a possible gap). A kill therefore costs at most one uncertain row per
worker, and never a second copy. Rows merely ``claimed`` by a dead worker were never handed to the
server and go back to ``pending``: a claim is stale when its worker's process is gone (same host)
or after ``CLAIM_TIMEOUT``. A worker that lost its claim (stale, re-claimed by another) notices at
the compare-and-set and skips the row, so even a wrong timeout cannot cause a duplicate.

Temporary refusals (4xx) go back to ``pending`` with ``retry_at`` (``RETRY_DELAY``) until
``MAX_ATTEMPTS``; a lost connection in the middle of a message makes that row ``uncertain`` and
releases the rest of the batch. Test hook: the environment variable
``PORTAL_TEST_HOOK_EXIT_AFTER_SENDS=K`` makes the worker ``os._exit`` right after the server accepted
its K-th message, before recording it — the worst moment for a crash; the crash test uses it.
"""

import datetime
import logging
import os
import secrets
import smtplib
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import connection as db_connection
from django.db import models, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
CLAIM_TIMEOUT = datetime.timedelta(minutes=10)
RETRY_DELAY = datetime.timedelta(minutes=15)
MAX_ATTEMPTS = 3
TEST_HOOK_EXIT_AFTER_SENDS = "PORTAL_TEST_HOOK_EXIT_AFTER_SENDS"


class Delivery(models.Model):
    """One mailing: what `kind` composes each message, and its recipients (`DeliveryRecipient`)."""

    kind = models.CharField(_("kind"), max_length=40)
    reference = models.CharField(_("reference"), max_length=120, unique=True)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-created_at"]

    def __str__(self):
        return self.reference

    def report(self) -> dict[str, int]:
        """How many recipients are in each state, every state present (0 when none), plus `total`
        and `waiting` (pending, claimed or being sent)."""
        counts = dict.fromkeys(RecipientState.values, 0)
        for row in self.recipients.values("state").annotate(n=Count("pk")):
            counts[row["state"]] = row["n"]
        counts["total"] = sum(counts[s] for s in RecipientState.values)
        counts["waiting"] = counts["pending"] + counts["claimed"] + counts["sending"]
        return counts


class RecipientState(models.TextChoices):
    PENDING = "pending", _("pending")
    CLAIMED = "claimed", _("claimed")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")
    UNCERTAIN = "uncertain", _("uncertain (sending interrupted)")


class DeliveryRecipient(models.Model):
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="recipients")
    address = models.EmailField(_("address"), max_length=254)
    language = models.CharField(_("language"), max_length=8, default="fr")
    data = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=RecipientState.choices,
                             default=RecipientState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.CharField(max_length=120, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("delivery recipient")
        constraints = [
            models.UniqueConstraint(fields=["delivery", "address"], name="delivery_address_unique"),
        ]
        indexes = [models.Index(fields=["state", "delivery"])]

    def __str__(self):
        return f"{self.delivery} → {self.address}"


# --- Kinds ---------------------------------------------------------------------------------------

class DeliveryKind(Protocol):
    def compose(self, delivery: Delivery, recipient: DeliveryRecipient) -> EmailMessage | None: ...


KINDS: dict[str, DeliveryKind] = {}


def register_kind(name: str, kind: DeliveryKind) -> None:
    KINDS[name] = kind


class Recipient(NamedTuple):
    address: str
    language: str = "fr"
    data: dict | None = None


def delivery_create(*, kind: str, reference: str, recipients: Iterable[Recipient], payload=None,
                    created_by=None) -> tuple[Delivery, bool]:
    """The delivery named `reference` with one pending row per distinct address (lowercased);
    (existing delivery, False) when it exists already — recipients are never added twice."""
    if kind not in KINDS:
        raise KeyError(f"unknown delivery kind {kind!r}")
    with transaction.atomic():
        delivery, created = Delivery.objects.get_or_create(
            reference=reference, defaults={"kind": kind, "payload": payload or {}, "created_by": created_by})
        if not created:
            return delivery, False
        rows, seen = [], set()
        for r in recipients:
            address = r.address.strip().lower()
            if address and address not in seen:
                seen.add(address)
                rows.append(DeliveryRecipient(delivery=delivery, address=address, language=r.language,
                                              data=r.data or {}))
        DeliveryRecipient.objects.bulk_create(rows, batch_size=500)
    return delivery, True


def requeue_uncertain(delivery: Delivery) -> int:
    """Put the delivery's uncertain rows back in the queue (accepting a possible duplicate)."""
    return delivery.recipients.filter(state=RecipientState.UNCERTAIN).update(
        state=RecipientState.PENDING, claimed_by="", claimed_at=None, retry_at=None)


# --- Sending -------------------------------------------------------------------------------------

@dataclass
class SendStats:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    uncertain: int = 0
    released: int = 0  # stale claims of dead workers put back in the queue
    errors: list = field(default_factory=list)  # connection problems that stopped a batch


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _worker_is_gone(claimed_by: str) -> bool:
    host, _, rest = claimed_by.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists but not ours to signal
        return False
    return False


def release_stale_claims(now=None) -> int:
    """Claims of dead workers: `claimed` rows go back to pending (they never reached the server),
    `sending` rows become uncertain (they may have). Returns how many rows were touched."""
    now = now or timezone.now()
    active = DeliveryRecipient.objects.filter(
        state__in=[RecipientState.CLAIMED, RecipientState.SENDING])
    stale_ids, stale_workers = [], set()
    for claimed_by, claimed_at in active.values_list("claimed_by", "claimed_at").distinct():
        if claimed_at is None or claimed_at < now - CLAIM_TIMEOUT or _worker_is_gone(claimed_by):
            stale_workers.add(claimed_by)
    if not stale_workers:
        return 0
    stale = active.filter(claimed_by__in=stale_workers)
    stale_ids = list(stale.values_list("pk", flat=True))
    released = stale.filter(state=RecipientState.CLAIMED).update(
        state=RecipientState.PENDING, claimed_by="", claimed_at=None)
    interrupted = stale.filter(state=RecipientState.SENDING).update(
        state=RecipientState.UNCERTAIN,
        error="The sending process stopped while handing this message to the server; "
              "not re-sent, to avoid a duplicate.")
    if interrupted:
        logger.warning("%s interrupted sends marked uncertain (rows %s)", interrupted, stale_ids)
    return released + interrupted


def _due(kinds, delivery_ids, now):
    rows = DeliveryRecipient.objects.filter(state=RecipientState.PENDING).filter(
        Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    if kinds is not None:
        rows = rows.filter(delivery__kind__in=list(kinds))
    if delivery_ids is not None:
        rows = rows.filter(delivery_id__in=list(delivery_ids))
    return rows


def has_due(*, kinds: Iterable[str] | None = None, delivery_ids: Iterable[int] | None = None) -> bool:
    """Whether rows (of these kinds / deliveries) are due now: pending, their retry time come."""
    return _due(list(kinds) if kinds is not None else None,
                list(delivery_ids) if delivery_ids is not None else None, timezone.now()).exists()


def _claim(worker, *, kinds, delivery_ids, batch_size) -> list[DeliveryRecipient]:
    now = timezone.now()
    with transaction.atomic():
        due = _due(kinds, delivery_ids, now).order_by("pk")
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:batch_size])
        # Only rows still pending: on SQLite two workers may have read the same ids.
        DeliveryRecipient.objects.filter(pk__in=ids, state=RecipientState.PENDING).update(
            state=RecipientState.CLAIMED, claimed_by=worker, claimed_at=now)
    return list(DeliveryRecipient.objects.filter(claimed_by=worker, state=RecipientState.CLAIMED)
                .select_related("delivery").order_by("pk"))


def _mine(row, worker):
    return DeliveryRecipient.objects.filter(pk=row.pk, claimed_by=worker)


def _test_hook_exit(sent_so_far: int) -> None:
    limit = os.environ.get(TEST_HOOK_EXIT_AFTER_SENDS)
    if limit and sent_so_far >= int(limit):
        os._exit(70)  # a crash: no cleanup, no commit, nothing recorded


def _failure(row, worker, stats, kind, error: str, *, temporary: bool):
    attempts = row.attempts + 1
    if temporary and attempts < MAX_ATTEMPTS:
        _mine(row, worker).update(state=RecipientState.PENDING, claimed_by="", claimed_at=None,
                                  retry_at=timezone.now() + RETRY_DELAY, error=error)
        stats.retried += 1
        return
    _mine(row, worker).update(state=RecipientState.FAILED, error=error)
    stats.failed += 1
    if hasattr(kind, "on_failure"):
        kind.on_failure(row.delivery, row, error, True)


def _send_batch(rows, worker, stats, counter) -> bool:
    """Send the claimed `rows` on one connection; False when the connection broke."""
    try:
        connection = get_connection(fail_silently=False)
        connection.open()
    except (OSError, smtplib.SMTPException) as error:
        for row in rows:
            _mine(row, worker).update(state=RecipientState.PENDING, claimed_by="", claimed_at=None)
        stats.errors.append(f"cannot connect to the mail server: {error}")
        return False
    try:
        for index, row in enumerate(rows):
            kind = KINDS.get(row.delivery.kind)
            message = kind.compose(row.delivery, row) if kind else None
            if message is None:
                _mine(row, worker).filter(state=RecipientState.CLAIMED).update(
                    state=RecipientState.SKIPPED, error="" if kind else "unknown kind")
                stats.skipped += 1
                continue
            message.to = [row.address]
            if not _mine(row, worker).filter(state=RecipientState.CLAIMED).update(
                    state=RecipientState.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()):
                continue  # our claim went stale and another worker has the row
            try:
                connection.send_messages([message])
            except smtplib.SMTPRecipientsRefused as error:
                _failure(row, worker, stats, kind, _refusal_text(error), temporary=_temporary(error))
                continue
            except smtplib.SMTPServerDisconnected as error:
                _uncertain(row, worker, stats, rows[index + 1:], error)
                return False
            except smtplib.SMTPResponseException as error:
                _failure(row, worker, stats, kind, f"{error.smtp_code} {_text(error.smtp_error)}",
                         temporary=400 <= error.smtp_code < 500)
                continue
            except (OSError, smtplib.SMTPException) as error:
                _uncertain(row, worker, stats, rows[index + 1:], error)
                return False
            counter[0] += 1
            _test_hook_exit(counter[0])
            _mine(row, worker).update(state=RecipientState.SENT, sent_at=timezone.now(), error="")
            stats.sent += 1
            if hasattr(kind, "on_sent"):
                kind.on_sent(row.delivery, row)
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    return True


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _refusal_text(error: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(f"{address}: {code} {_text(text)}" for address, (code, text) in error.recipients.items())


def _temporary(error: smtplib.SMTPRecipientsRefused) -> bool:
    return all(400 <= code < 500 for code, _ in error.recipients.values())


def _uncertain(row, worker, stats, rest, error):
    _mine(row, worker).update(state=RecipientState.UNCERTAIN, error=f"connection lost: {error}")
    stats.uncertain += 1
    for other in rest:
        _mine(other, worker).filter(state=RecipientState.CLAIMED).update(
            state=RecipientState.PENDING, claimed_by="", claimed_at=None)
    stats.errors.append(f"connection to the mail server lost: {error}")


def send_pending(*, kinds: Iterable[str] | None = None, delivery_ids: Iterable[int] | None = None,
                 batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> SendStats:
    """Send the due rows (of these kinds / deliveries) batch after batch until none is left, a
    connection fails, or `max_batches` is reached. Safe to run in several processes at once."""
    kinds = list(kinds) if kinds is not None else None
    delivery_ids = list(delivery_ids) if delivery_ids is not None else None
    stats = SendStats(released=release_stale_claims())
    worker, counter, batches = worker_id(), [0], 0
    while max_batches is None or batches < max_batches:
        rows = _claim(worker, kinds=kinds, delivery_ids=delivery_ids, batch_size=batch_size)
        if not rows:
            break
        batches += 1
        if not _send_batch(rows, worker, stats, counter):
            break
    return stats
