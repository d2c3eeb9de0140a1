"""The calendar's section on a country's page (`portal.core.country_sections`)."""

from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from portal.core import country_sections

from .models import EventIndexPage
from .selectors import upcoming_events_for_country

EVENTS_SHOWN = 5


def upcoming_events(country, request):
    """The next events held in the country, with links to the calendar and its feed filtered on it."""
    events = upcoming_events_for_country(country.code, EVENTS_SHOWN)
    if not events:
        return None
    calendar = EventIndexPage.objects.live().filter(locale=Locale.get_active()).first()
    query = urlencode({"country": country.code})
    return {
        "events": events,
        "calendar_url": f"{calendar.url}?{query}" if calendar else "",
        "feed_query": query,
    }


def register():
    country_sections.register(
        "upcoming_events", order=20, title=_("Upcoming events"),
        template="events/_country_section.html", context=upcoming_events,
    )
