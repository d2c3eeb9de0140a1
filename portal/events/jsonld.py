"""schema.org `Event` of an event page (its head): dates in the event's time zone (only the month or
the year when only that is known), place or online link, organizers. Never the people managing the
registrations nor any participant."""

from __future__ import annotations

from portal.core.jsonld import compact
from portal.site_url import page_public_url

SCHEDULED = "https://schema.org/EventScheduled"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"
ONLINE = "https://schema.org/OnlineEventAttendanceMode"
MIXED = "https://schema.org/MixedEventAttendanceMode"


def _date(moment, precision: str) -> str:
    """ISO 8601 at the known precision: 2024-03-12T09:00:00+00:00, 2007-11-02 (the day, times
    unknown), 2009-06 or 2009."""
    if precision == "year":
        return f"{moment.year:04d}"
    if precision == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if precision == "day":
        return moment.date().isoformat()
    return moment.isoformat()


def event(page) -> dict:
    """The event page's JSON-LD (`EventPage.json_ld`)."""
    place = None
    if page.city or page.venue:
        place = compact({
            "@type": "Place",
            "name": page.venue or page.city,
            "address": compact({"@type": "PostalAddress", "addressLocality": page.city,
                                "addressCountry": page.country.code if page.country_id else ""}),
        })
    virtual = {"@type": "VirtualLocation", "url": page.online_url} if page.online_url else None
    locations = [location for location in (place, virtual) if location]
    mode = MIXED if place and virtual else (ONLINE if virtual else OFFLINE)
    organizers = [compact({"@type": "Organization", "name": org.name, "url": org.website})
                  for org in page.organizations.all()]
    if page.organizer and not any(org["name"] == page.organizer for org in organizers):
        organizers.insert(0, {"@type": "Organization", "name": page.organizer})
    description = page.intro or " ".join(_text(page.description).split())
    return compact({
        "@type": "Event",
        "name": page.title,
        "description": description[:500],
        "url": page_public_url(page),
        "startDate": _date(page.local_start(), page.date_precision),
        "endDate": _date(page.local_end(), page.date_precision),
        "eventStatus": SCHEDULED,
        "eventAttendanceMode": mode,
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": organizers,
        "inLanguage": list(page.languages or []),
    })


def _text(html) -> str:
    from django.utils.html import strip_tags

    return strip_tags(str(html or ""))
