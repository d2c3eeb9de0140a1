"""The calendar's views beside its pages: iCalendar files, registering and cancelling, the participants
list."""

import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from portal.accounts.permissions import require
from portal.core import throttle
from portal.core.spreadsheets import csv_writer
from portal.site_url import page_public_url

from . import services
from .ical import build_calendar
from .models import EventPage, Registration
from .selectors import filtered_events

FEED_LIMIT = 500
FEED_PAST_DAYS = 365
# Register/cancel clicks per person in the window: plenty for a person, a wall for a script.
REGISTRATIONS = (10, 600)  # registrations and cancellations per person in ten minutes
ICS_TYPE = "text/calendar; charset=utf-8"


@require_safe
def feed(request):
    """The events chosen by the query string as an iCalendar feed (upcoming ones and those of the past
    year unless `when` says otherwise). A bad filter is a 400 naming it."""
    filterset, events = filtered_events(request.GET, default_when=None)
    if filterset.errors:
        lines = [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    if not filterset.data.get("when"):
        since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
        events = events.filter(end__gte=since).order_by("start", "pk")
    events = [event.specific for event in events[:FEED_LIMIT]]
    body = build_calendar(events, name=_("Concertation — calendar"), url_for=page_public_url)
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    return response


def _public_event(pk) -> EventPage:
    event = EventPage.objects.live().public().filter(pk=pk).first()
    if event is None:
        raise Http404(_("There is no such event."))
    return event.specific


@require_safe
def event_ics(request, pk):
    """One event as an .ics file to add to one's calendar."""
    event = _public_event(pk)
    body = build_calendar([event], name=event.title, url_for=page_public_url)
    response = HttpResponse(body, content_type=ICS_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(event.slug) or "event"}.ics"'
    return response


def _throttled(request) -> bool:
    return not throttle.allow("events-registration", request.user.pk, REGISTRATIONS)


def _registration_view(request, pk, action):
    if not request.user.is_authenticated:
        return redirect_to_login(_public_event(pk).url)
    require(request, "register_to_event")
    event = _public_event(pk)
    if _throttled(request):
        return render(request, "events/throttled.html", {"event": event}, status=429)
    return action(event)


@require_POST
def register(request, pk):
    def act(event):
        try:
            registration = services.registration_create(event=event, user=request.user)
        except services.RegistrationError as error:
            messages.error(request, str(error))
            return redirect(event.url)
        if registration.status == "confirmed":
            messages.success(request, _("You are registered. A confirmation is on its way by e-mail."))
        else:
            messages.success(request, _("The event is full: you are on the waiting list. We will e-mail you "
                                        "if a seat frees up."))
        return redirect(event.url)

    return _registration_view(request, pk, act)


@require_POST
def cancel(request, pk):
    def act(event):
        if services.registration_cancel(event=event, user=request.user) is None:
            messages.error(request, _("You were not registered to this event."))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect(event.url)

    return _registration_view(request, pk, act)


# The participants list: UTF-8 with a byte-order mark so that spreadsheet programs (Excel on Windows
# first) read the accents right; comma-separated, one header row in the reader's language; dates in
# the event's time zone, ISO 8601. Cancelled registrations are left out. A text a spreadsheet would run as
# a formula (a name typed as "=HYPERLINK(…)") gets a `'` in front (portal.core.spreadsheets).
PARTICIPANT_COLUMNS = [
    ("name", gettext_lazy("Name")), ("organization", gettext_lazy("Organization")),
    ("country", gettext_lazy("Country")), ("email", gettext_lazy("E-mail")),
    ("status", gettext_lazy("Status")),
    ("registered_at", gettext_lazy("Registered at")),
]


@require_safe
def participants_csv(request, pk):
    event = EventPage.objects.filter(pk=pk).first()
    if event is None:
        raise Http404(_("There is no such event."))
    event = event.specific
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    source = event.source_event()
    require(request, "export_event_participants", event=source)
    registrations = (
        Registration.objects.active().filter(event=source)
        .select_related("user__country").order_by("status", "registered_at", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="participants-{slugify(source.slug)}.csv"'
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow([label for _key, label in PARTICIPANT_COLUMNS])
    for registration in registrations:
        user = registration.user
        writer.writerow([value or "" for value in (
            user.get_full_name() or user.username, user.organization,
            user.country.name if user.country else "", user.email, registration.get_status_display(),
            registration.registered_at.astimezone(source.zone).isoformat(timespec="minutes"),
        )])
    return response
