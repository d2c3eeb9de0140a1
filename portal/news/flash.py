"""Flash news by e-mail, through the newsletter's delivery mechanism (portal.newsletter.delivery:
batched, resumable, never twice to an address within a delivery).

- When a flash news is published, one delivery (`flash-<id>`) is created for the people who asked for
  flash news at once and whose countries and themes it matches.
- Each week, `send_flash_news --digest` creates one delivery (`flash-digest-<ISO year>-W<week>`) for
  the people who asked for a weekly digest: each gets the flash news published since they subscribed
  that they have not received yet.
- A `FlashNewsReceipt` (flash, person), unique, is written in the same transaction as the delivery's
  rows: a person gets each flash news at most once, at once or in one digest, whatever is re-run.
- Each delivery's sending is queued in the transaction that creates it (portal/newsletter/tasks.py
  `send_delivery`): the worker sends it once that commits. The worker's schedule builds the digest
  (portal/news/tasks.py, daily: the first run of an ISO week creates that week's digest, later runs
  add nobody) and retries what is due every minute, so no cron is needed. `send_flash_news` (and
  `--digest`) stays for a cron, and sends nothing twice beside the worker.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from portal.core.tasks import enqueue
from portal.mail import absolute_url, templated_email, user_language
from portal.newsletter.delivery import Recipient, delivery_create, register_kind, send_pending
from portal.newsletter.tasks import send_delivery

from .models import FlashNews, FlashNewsReceipt, FlashNewsSubscription, Frequency

KIND_FLASH = "flash"
KIND_DIGEST = "flash_digest"


def _subscriptions(frequency: str):
    return (
        FlashNewsSubscription.objects.filter(frequency=frequency, user__is_active=True)
        .exclude(user__email="").select_related("user").prefetch_related("countries", "themes")
    )


def _recipient(subscription, flash_ids: list[int]) -> Recipient:
    return Recipient(subscription.user.email, user_language(subscription.user),
                     {"user": subscription.user_id, "flashes": flash_ids})


def _received(flash_ids) -> set[tuple[int, int]]:
    return set(FlashNewsReceipt.objects.filter(flash_id__in=flash_ids).values_list("flash_id", "user_id"))


@transaction.atomic
def flash_publish_deliver(flash: FlashNews):
    """The delivery of a newly published flash news to those who want flash news at once (created once:
    publishing it again after an edit sends nothing more), its sending queued. Returns (delivery,
    created)."""
    flash = FlashNews.objects.prefetch_related("countries", "themes").get(pk=flash.pk)
    received = _received([flash.pk])
    chosen = [s for s in _subscriptions(Frequency.IMMEDIATE)
              if s.wants(flash) and (flash.pk, s.user_id) not in received]
    delivery, created = delivery_create(
        kind=KIND_FLASH, reference=f"flash-{flash.pk}", payload={"flash": flash.pk},
        recipients=[_recipient(s, [flash.pk]) for s in chosen],
    )
    if created:
        FlashNewsReceipt.objects.bulk_create(
            [FlashNewsReceipt(flash=flash, user_id=s.user_id, via=Frequency.IMMEDIATE) for s in chosen],
            ignore_conflicts=True,
        )
        if chosen:
            enqueue(send_delivery, delivery.pk)
    return delivery, created


def digest_reference(day: datetime.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"flash-digest-{year}-W{week:02d}"


@transaction.atomic
def flash_digest_deliver(*, today: datetime.date | None = None):
    """This week's digest delivery: for each weekly subscriber, the published flash news matching their
    countries and themes, published since they subscribed, that they have not received; its sending
    queued. A second run in the same week adds nobody. Returns (delivery, created)."""
    today = today or timezone.localdate()
    reference = digest_reference(today)
    from portal.newsletter.delivery import Delivery

    existing = Delivery.objects.filter(reference=reference).first()
    if existing is not None:
        return existing, False
    flashes = list(FlashNews.objects.published().filter(live=True).prefetch_related("countries", "themes"))
    received = _received([f.pk for f in flashes])
    recipients, receipts = [], []
    for subscription in _subscriptions(Frequency.WEEKLY):
        chosen = [f.pk for f in flashes
                  if f.first_published_at >= subscription.since
                  and (f.pk, subscription.user_id) not in received and subscription.wants(f)]
        if chosen:
            recipients.append(_recipient(subscription, chosen))
            receipts += [FlashNewsReceipt(flash_id=pk, user_id=subscription.user_id, via=Frequency.WEEKLY)
                         for pk in chosen]
    delivery, created = delivery_create(kind=KIND_DIGEST, reference=reference, recipients=recipients,
                                        payload={"week": reference})
    if created:
        FlashNewsReceipt.objects.bulk_create(receipts, ignore_conflicts=True)
        if recipients:
            enqueue(send_delivery, delivery.pk)
    return delivery, created


def send_flash_deliveries():
    """Sends the pending flash news and digest e-mails (see portal.newsletter.delivery.send_pending)."""
    return send_pending(kinds=[KIND_FLASH, KIND_DIGEST])


# --- Composing the messages -----------------------------------------------------------------------

def _unsubscribe_url(subscription, language) -> str:
    return absolute_url("news:flash_unsubscribe", str(subscription.token), language=language)


def _message(template, subscription, language, flashes):
    unsubscribe = _unsubscribe_url(subscription, language)
    items = [{"title": f.title_in(language), "text": strip_tags(f.text_in(language)), "link": f.link,
              "date": f.first_published_at} for f in flashes]
    message = templated_email(template, to=[subscription.user.email], language=language, context=lambda: {
        "user": subscription.user, "flashes": items, "unsubscribe_url": unsubscribe,
        "profile_url": absolute_url("accounts:profile", language=language),
    })
    message.extra_headers.update({
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    })
    return message


class _FlashKind:
    """A delivery row → its e-mail; None (skipped) when the person stopped flash news meanwhile, or
    changed to the other frequency."""

    template = "news/email/flash"
    frequency = Frequency.IMMEDIATE

    def compose(self, delivery, recipient):
        subscription = (FlashNewsSubscription.objects.select_related("user")
                        .filter(user_id=(recipient.data or {}).get("user"), frequency=self.frequency).first())
        if subscription is None or not subscription.user.is_active:
            return None
        flashes = list(FlashNews.objects.filter(pk__in=recipient.data.get("flashes", []), live=True)
                       .order_by("-first_published_at"))
        if not flashes:
            return None
        return _message(self.template, subscription, recipient.language, flashes)


class _DigestKind(_FlashKind):
    template = "news/email/flash_digest"
    frequency = Frequency.WEEKLY


def register():
    register_kind(KIND_FLASH, _FlashKind())
    register_kind(KIND_DIGEST, _DigestKind())
