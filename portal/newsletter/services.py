"""Writes of the newsletter: subscribing (double opt-in), confirming, unsubscribing, the test send and
the sending of an issue to its subscribers (a delivery, sent by the worker: portal/newsletter/tasks.py)."""

from django.core import signing
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy
from wagtail.models import Locale

from portal.core import audit
from portal.core.tasks import enqueue
from portal.mail import absolute_url, templated_email

from . import delivery as deliveries
from .composing import issue_message, render_issue, test_subject, unsubscribe_url
from .models import LANGUAGES, NewsletterIssuePage, Subscriber, SubscriberState
from .tasks import send_delivery

CONFIRM_SALT = "newsletter.confirm"
CONFIRM_MAX_AGE = 3 * 24 * 3600  # a confirmation link works for three days
# Consecutive issues refused by the mail server (5xx, or 4xx MAX_ATTEMPTS times) before an address
# counts as bounced and gets nothing more: one refusal may be the receiving server's passing mistake.
BOUNCE_LIMIT = 2
KIND = "newsletter"

# The audit log's newsletter actions (portal/core/audit.py); no subscriber's address is kept in them.
audit.register("portal.newsletter.sent", gettext_lazy("Send a newsletter issue"),
               gettext_lazy("Issue No %(issue)s sent to %(recipients)s subscribers"))
audit.register("portal.newsletter.unsubscribed", gettext_lazy("Unsubscribe a subscriber"),
               gettext_lazy("Subscriber unsubscribed by the secretariat"))


def normalize_email(email: str) -> str:
    return email.strip().lower()


def confirmation_token(email: str, language: str) -> str:
    return signing.dumps({"e": normalize_email(email), "l": language}, salt=CONFIRM_SALT)


def read_confirmation_token(token: str) -> tuple[str, str] | None:
    """(email, language) of a valid, unexpired confirmation token, else None."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or data.get("l") not in ("fr", "en") or not data.get("e"):
        return None
    return data["e"], data["l"]


def newsletter_subscribe(*, email: str, language: str) -> None:
    """E-mail the address a confirmation link (after the commit). Nothing is stored: an address gets
    issues only once it followed the link. Confirmed, unsubscribed or unknown addresses all get the
    same e-mail, so the form tells nobody whether an address is subscribed."""
    email = normalize_email(email)
    token = confirmation_token(email, language)

    def context():
        return {"confirm_url": absolute_url("newsletter:confirm", token, language=language),
                "days": CONFIRM_MAX_AGE // 86400}

    message = templated_email("newsletter/email/confirm", to=[email], language=language, context=context)
    transaction.on_commit(message.send)


@transaction.atomic
def newsletter_confirm(*, email: str, language: str) -> Subscriber:
    """Confirm (or renew, or change the language of) the subscription of `email`."""
    subscriber, created = Subscriber.objects.select_for_update().get_or_create(
        email=normalize_email(email), defaults={"language": language})
    if not created:
        subscriber.language = language
        if subscriber.state != SubscriberState.CONFIRMED:
            subscriber.state = SubscriberState.CONFIRMED
            subscriber.confirmed_at = timezone.now()
            subscriber.unsubscribed_at = None
            subscriber.failures = 0
        subscriber.save()
    return subscriber


def newsletter_unsubscribe(*, subscriber: Subscriber) -> bool:
    """Stop the issues to this address at once (also those of a delivery under way); True if it was
    subscribed."""
    changed = Subscriber.objects.filter(pk=subscriber.pk, state=SubscriberState.CONFIRMED).update(
        state=SubscriberState.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    return bool(changed)


# --- Sending ------------------------------------------------------------------------------------

def issue_translations(issue: NewsletterIssuePage) -> dict[str, NewsletterIssuePage]:
    """Language code -> the live issue page in that language (the source and its translations)."""
    pages = {}
    for locale in Locale.objects.filter(language_code__in=["fr", "en"]):
        page = issue.get_translation_or_none(locale)
        if page is not None and page.live:
            pages[locale.language_code] = page.specific
    if issue.live:
        pages[issue.locale.language_code] = issue
    return pages


IN_LANGUAGE = {"fr": gettext_lazy("in French"), "en": gettext_lazy("in English")}


def _received_language(language: str, pages: dict, fallback: str) -> str:
    return language if language in pages else fallback


def _fallback_language(issue: NewsletterIssuePage, pages: dict) -> str:
    """The language sent to subscribers whose own is not published: the issue's source language."""
    source = issue.locale.language_code
    return source if source in pages or not pages else next(iter(pages))


def issue_send_plan(issue: NewsletterIssuePage) -> list[dict]:
    """What "send to subscribers" would do now, per language a subscriber chose: how many confirmed
    subscribers chose it, and the language they receive — theirs when the issue is published in it,
    else the issue's source language (`missing` True then: the admin says so before sending)."""
    from django.db.models import Count

    pages = issue_translations(issue)
    fallback = _fallback_language(issue, pages)
    counts = dict(Subscriber.objects.confirmed().values_list("language").annotate(n=Count("pk")))
    plan = []
    for code, name in LANGUAGES:
        received = _received_language(code, pages, fallback)
        plan.append({"language": code, "name": name, "in_language": IN_LANGUAGE[code],
                     "count": counts.get(code, 0), "receives": received, "in_received": IN_LANGUAGE[received],
                     "missing": received != code})
    return plan


def issue_test_send(*, issue: NewsletterIssuePage, user) -> list[str]:
    """The issue in each of its languages to `user` alone, subject marked as a test; returns the
    languages sent. Uses the latest revision (drafts included) so an issue can be checked before
    it is published."""
    languages = []
    subscriber = Subscriber.objects.confirmed().filter(email=normalize_email(user.email)).first()
    for locale in Locale.objects.filter(language_code__in=["fr", "en"]).order_by("-language_code"):
        page = issue.get_translation_or_none(locale)
        if page is None:
            continue
        page = page.specific.get_latest_revision_as_object()
        language = locale.language_code
        content = render_issue(page)
        content["subject"] = test_subject(content["subject"], language)
        link = unsubscribe_url(subscriber, language) if subscriber else None
        issue_message(content, to=user.email, language=language, unsubscribe=link).send()
        languages.append(language)
    return languages


@transaction.atomic
def issue_send_to_subscribers(*, issue: NewsletterIssuePage, user) -> tuple[deliveries.Delivery, bool]:
    """The issue's delivery: one pending row per confirmed subscriber, in their language (the
    issue's source language when the translation is not live), the content rendered now with
    today's inventory figures, and its sending queued in the same transaction (the worker starts
    once it commits). Idempotent: a second call returns the existing delivery and queues nothing."""
    existing = deliveries.Delivery.objects.filter(reference=issue.delivery_reference).first()
    if existing is not None:
        return existing, False
    pages = issue_translations(issue)
    if not pages:
        raise ValueError("The issue is not published.")
    from .composing import live_figures

    figures = {language: live_figures(language) for language in pages}
    messages = {language: render_issue(page, figures[language]) for language, page in pages.items()}
    fallback = _fallback_language(issue, pages)
    recipients = [
        deliveries.Recipient(s.email, _received_language(s.language, pages, fallback), {"subscriber": s.pk})
        for s in Subscriber.objects.confirmed().order_by("pk")
    ]
    delivery, created = deliveries.delivery_create(
        kind=KIND, reference=issue.delivery_reference, recipients=recipients, created_by=user,
        payload={"issue": issue.number, "pages": {lang: p.pk for lang, p in pages.items()},
                 "messages": messages, "figures": {k: v for k, v in figures.items() if v}},
    )
    if created:
        audit.log(issue, "portal.newsletter.sent", user=user,
                  data={"issue": issue.number, "recipients": len(recipients)})
        enqueue(send_delivery, delivery.pk)
    return delivery, created


class NewsletterKind:
    """How the delivery engine composes an issue for one subscriber, and counts bounces."""

    def compose(self, delivery, recipient):
        subscriber = Subscriber.objects.filter(pk=recipient.data.get("subscriber")).first()
        if subscriber is None or subscriber.state != SubscriberState.CONFIRMED:
            return None  # unsubscribed (or bounced) since the delivery was created
        content = delivery.payload["messages"].get(recipient.language)
        if content is None:
            return None
        with translation.override(recipient.language):
            link = unsubscribe_url(subscriber, recipient.language)
        return issue_message(content, to=recipient.address, language=recipient.language, unsubscribe=link)

    def on_sent(self, delivery, recipient):
        Subscriber.objects.filter(pk=recipient.data.get("subscriber"), failures__gt=0).update(failures=0)

    def on_failure(self, delivery, recipient, error, permanent):
        with transaction.atomic():
            subscriber = Subscriber.objects.select_for_update().filter(
                pk=recipient.data.get("subscriber")).first()
            if subscriber is None:
                return
            subscriber.failures += 1
            if subscriber.failures >= BOUNCE_LIMIT and subscriber.state == SubscriberState.CONFIRMED:
                subscriber.state = SubscriberState.BOUNCED
            subscriber.save(update_fields=["failures", "state"])


def unsubscribed_since(delivery) -> int:
    """Recipients of `delivery` who unsubscribed after it was created."""
    return Subscriber.objects.filter(
        email__in=delivery.recipients.values("address"),
        state=SubscriberState.UNSUBSCRIBED, unsubscribed_at__gte=delivery.created_at,
    ).count()
