"""Registrations to events: register, cancel, promote from the waiting list; e-mails after commit.

Concurrency: each write locks the event's row (`select_for_update`, PostgreSQL) so that registrations
to one event are handled one at a time, first come first served. The database also holds the rule
on its own: a confirmed registration holds a seat number unique per event, within the capacity, so
even without the lock (SQLite) two people can never take the last seat together — the second insert
fails and that person joins the waiting list.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.mail import absolute_url, send_to_each
from portal.site_url import page_public_url

from .models import EventPage, Registration, RegistrationStatus


class RegistrationError(Exception):
    """A registration refused for a reason to show to the person."""


@dataclass
class RegistrationResult:
    registration: Registration
    promoted: Registration | None = None


def _locked_event(event: EventPage) -> EventPage:
    source = event.source_event()
    # of=("self",): lock the event's own row, not Wagtail's page row (editors keep saving pages).
    return EventPage.objects.select_for_update(of=("self",)).get(pk=source.pk)


def _free_seat(event: EventPage) -> int | None:
    """The lowest seat number not taken, or None when the event is full."""
    taken = set(Registration.objects.filter(event=event, seat__isnull=False).values_list("seat", flat=True))
    if event.capacity is None:
        return max(taken, default=0) + 1
    return next((seat for seat in range(1, event.capacity + 1) if seat not in taken), None)


def _take_seat(registration: Registration, event: EventPage) -> bool:
    """Give `registration` a free seat and save it; False when there is none (it stays as it was)."""
    for _attempt in range(3):
        seat = _free_seat(event)
        if seat is None:
            return False
        try:
            with transaction.atomic():  # a savepoint: a lost race leaves the transaction usable
                registration.status, registration.seat = RegistrationStatus.CONFIRMED, seat
                registration.save()
            return True
        except IntegrityError:
            registration.status, registration.seat = RegistrationStatus.WAITING, None
    return False


def _event_url(event: EventPage, language: str) -> str:
    """The event's page in `language` (else in French), on the site's public address."""
    page = event.get_translation_or_none(_locale(language)) or event
    return page_public_url(page)


def _locale(language):
    from wagtail.models import Locale

    return Locale.objects.filter(language_code=language).first()


def _notify(template: str, registration: Registration) -> None:
    event = registration.event

    def context(user):
        from portal.mail import user_language

        language = user_language(user)
        translated = event.get_translation_or_none(_locale(language))
        shown = translated.specific if translated is not None else event
        return {
            "user": user, "event": shown, "registration": registration,
            "event_url": _event_url(event, language),
            "calendar_url": absolute_url("events:event_ics", event.pk, language=language),
        }

    transaction.on_commit(lambda: send_to_each(template, [registration.user], context))


@transaction.atomic
def registration_create(*, event: EventPage, user) -> Registration:
    """Register `user` to `event`: a seat when one is free, else the end of the waiting list.
    Registering again while registered changes nothing; after a cancellation it starts anew."""
    event = _locked_event(event)
    if not event.registration_is_open():
        raise RegistrationError(_("Registration for this event is closed."))
    registration = Registration.objects.filter(event=event, user=user).first()
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return registration
    if registration is None:
        registration = Registration(event=event, user=user)
    registration.registered_at = timezone.now()
    registration.status, registration.seat = RegistrationStatus.WAITING, None
    if not _take_seat(registration, event):
        registration.save()
    _notify("events/email/registered" if registration.status == RegistrationStatus.CONFIRMED
            else "events/email/waiting", registration)
    return registration


@transaction.atomic
def registration_cancel(*, event: EventPage, user, notify: bool = True) -> RegistrationResult | None:
    """Cancel `user`'s registration; a freed seat goes to the first person waiting, who is told.
    None when they were not registered. `notify=False`: the person is not e-mailed (their account
    is being deleted)."""
    event = _locked_event(event)
    registration = Registration.objects.active().filter(event=event, user=user).first()
    if registration is None:
        return None
    freed = registration.status == RegistrationStatus.CONFIRMED
    registration.status, registration.seat = RegistrationStatus.CANCELLED, None
    registration.save()
    if notify:
        _notify("events/email/cancelled", registration)
    promoted = registration_promote_waiting(event=event) if freed else None
    return RegistrationResult(registration=registration, promoted=promoted)


def registration_promote_waiting(*, event: EventPage) -> Registration | None:
    """Give a free seat to the first person on the waiting list (called with the event locked)."""
    first = Registration.objects.waiting().filter(event=event).first()
    if first is None or not _take_seat(first, event):
        return None
    _notify("events/email/promoted", first)
    return first
