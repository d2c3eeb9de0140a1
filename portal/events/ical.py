"""iCalendar (RFC 5545) files of the calendar, built with the `icalendar` package.

Format decisions: one VEVENT per event; its UID is the event's translation key, so the French and
English pages of one event are the same event in a reader's calendar and the UID never changes when
the page is edited or moved. Exact dates and times are written in the event's own time zone
(DTSTART;TZID=… with the VTIMEZONE that `add_missing_timezones` builds from the IANA data; icalendar
writes a zone that is UTC all year, such as Africa/Dakar, as UTC times — the same instants); an event
whose times are unknown (known to the day, the month or the year) gets all-day DATE values, never
invented hours. Text is plain: the rich-text description is
reduced to its text, entities decoded (portal.core.text.plain_text). LAST-MODIFIED is the page's
last publication. Each event's URL is on the public address (SITE_URL, portal.site_url), never
the host the file was asked through: a subscribed calendar keeps the links it was given, and the UID
holds no host at all.
"""

import datetime

from django.utils.text import normalize_newlines
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.core.text import plain_text

from .models import DatePrecision, EventPage

PRODID = "-//Concertation//Mutual health portal calendar//FR"


def event_uid(event: EventPage) -> str:
    return f"{event.translation_key}@concertation-mutuelles"


def _location(event: EventPage) -> str:
    parts = [event.venue, event.city, event.country.name if event.country else ""]
    place = ", ".join(part for part in parts if part)
    if event.online_url:
        place = f"{place} — {event.online_url}" if place else event.online_url
    return place


def _description(event: EventPage, url: str) -> str:
    text = plain_text(event.description) or plain_text(event.intro)
    lines = [text] if text else []
    if event.organizer:
        lines.append(_("Organizer: %(organizer)s") % {"organizer": event.organizer})
    if url:
        lines.append(url)
    return normalize_newlines("\n\n".join(lines))


def _vevent(event: EventPage, url: str) -> Event:
    vevent = Event()
    vevent.add("uid", event_uid(event))
    vevent.add("summary", event.title)
    if event.date_precision == DatePrecision.EXACT:
        vevent.add("dtstart", event.local_start())
        vevent.add("dtend", event.local_end())
    else:
        vevent.add("dtstart", event.local_start().date())
        vevent.add("dtend", event.local_end().date() + datetime.timedelta(days=1))
    stamp = event.last_published_at or event.latest_revision_created_at or event.start
    vevent.add("dtstamp", stamp)
    vevent.add("last-modified", stamp)
    location = _location(event)
    if location:
        vevent.add("location", location)
    if url:
        vevent.add("url", url)
    vevent.add("description", _description(event, url))
    vevent.add("categories", [event.get_kind_display()])
    return vevent


def build_calendar(events, *, name: str, url_for) -> bytes:
    """The .ics bytes of `events`; `url_for(event)` gives each event's full address."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_vevent(event, url_for(event)))
    calendar.add_missing_timezones()
    return calendar.to_ical()
