import datetime
import zoneinfo

import pytest
from django.utils import timezone

from portal.events.models import EventIndexPage, EventPage


@pytest.fixture
def index_fr(db):
    return EventIndexPage.objects.get(locale__language_code="fr")


@pytest.fixture
def make_event(index_fr):
    """An event published under the French calendar, `days` from now (09:00–17:00 in its zone)."""

    def make(title="Atelier de test", *, days=10, zone="Africa/Dakar", length=0, **fields):
        tz = zoneinfo.ZoneInfo(zone)
        day = timezone.localdate() + datetime.timedelta(days=days)
        fields.setdefault("city", "Dakar")
        event = EventPage(
            title=title, time_zone=zone, locale=index_fr.locale,
            start=datetime.datetime.combine(day, datetime.time(9), tzinfo=tz),
            end=datetime.datetime.combine(
                day + datetime.timedelta(days=length), datetime.time(17), tzinfo=tz
            ),
            **fields,
        )
        index_fr.add_child(instance=event)
        event.save_revision().publish()
        return event

    return make
