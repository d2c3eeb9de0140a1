"""Reads of the calendar shaped for its pages: the filtered lists, an event's registration box,
the upcoming events of a country."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.utils import timezone, translation

from portal.accounts.permissions import can

from .filters import EventFilter
from .models import EventPage, Registration, RegistrationStatus

PER_PAGE = 20


def events_in_language(language_code=None):
    """Published, public events of one language tree (the active language by default)."""
    language_code = (language_code or translation.get_language() or "fr")[:2]
    return (
        EventPage.objects.live().public().in_language(language_code)
        .select_related("country", "locale")
    )


def filtered_events(params, *, default_when="upcoming"):
    """(filterset, queryset): the events chosen by the query string `params`; the queryset is empty
    when a value is not valid (the filterset's errors then say which)."""
    params = params.copy()
    if default_when and not params.get("when"):
        params["when"] = default_when
    base = events_in_language()
    filterset = EventFilter(params, queryset=base)
    if not filterset.is_valid():
        return filterset, base.none()
    return filterset, filterset.qs


def with_specific(events: list[EventPage]) -> list[EventPage]:
    """The specific pages of `events` (Forum editions as ForumPage) in the same order, with their
    country loaded: a query per page type and one for the countries, not a few per event."""
    from portal.reference.models import Country

    by_pk = {page.pk: page for page in EventPage.objects.filter(pk__in=[e.pk for e in events]).specific()}
    countries = Country.objects.in_bulk({event.country_id for event in events if event.country_id})
    shown = []
    for event in events:
        specific = by_pk.get(event.pk, event)
        if specific.country_id:
            specific.country = countries[specific.country_id]
        shown.append(specific)
    return shown


def event_list_context(request) -> dict:
    filterset, events = filtered_events(request.GET)
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = with_specific(list(page.object_list))
    params = request.GET.copy()
    params.pop("page", None)
    feed_params = params.copy()
    feed_params.pop("when", None)
    return {
        "filter": filterset,
        "filter_errors": bool(filterset.errors),
        "filtered": any(request.GET.get(name) for name in ("country", "kind", "theme", "month")),
        "when": filterset.data.get("when") or "upcoming",
        "events_page": page,
        "feed_querystring": feed_params.urlencode(),
    }


def registration_context(event: EventPage, user) -> dict:
    """What the event's page shows about registering: counts only (never who), the visitor's own place."""
    source = event.source_event()
    counts = Registration.objects.filter(event=source).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
    )
    mine = None
    position = None
    if user.is_authenticated:
        mine = Registration.objects.active().filter(event=source, user=user).first()
        if mine is not None and mine.status == RegistrationStatus.WAITING:
            position = Registration.objects.waiting().filter(
                Q(registered_at__lt=mine.registered_at) | Q(registered_at=mine.registered_at, pk__lt=mine.pk)
            ).filter(event=source).count() + 1
    seats_left = None
    if source.capacity is not None:
        seats_left = max(source.capacity - counts["confirmed"], 0)
    return {
        "registration_source": source,
        "registration_counts": counts,
        "seats_left": seats_left,
        "my_registration": mine,
        "waiting_position": position,
        "registration_is_open": source.registration_is_open(),
        "can_register": can(user, "register_to_event"),
        "can_export_participants": (
            user.is_authenticated and can(user, "export_event_participants", event=source)
        ),
    }


def upcoming_events_for_country(code: str, limit: int = 5, *, language_code=None) -> list[EventPage]:
    """The next `limit` events held in the country `code`, in the active language's tree."""
    events = events_in_language(language_code).filter(country__code=str(code).upper())
    return with_specific(list(events.upcoming(timezone.now())[:limit]))
