import datetime
import zoneinfo

import pytest
from django.utils import timezone

from portal.events.models import EventIndexPage, EventPage, ForumPage


@pytest.fixture
def index_fr(db):
    return EventIndexPage.objects.get(locale__language_code="fr")


@pytest.fixture
def make_event(index_fr):
    """An event published under the French calendar, `days` from now (09:00–17:00 in its zone); a
    `ForumPage` with `model=ForumPage`."""

    def make(title="Atelier de test", *, days=10, zone="Africa/Dakar", length=0, model=EventPage, **fields):
        tz = zoneinfo.ZoneInfo(zone)
        day = timezone.localdate() + datetime.timedelta(days=days)
        fields.setdefault("city", "Dakar")
        if model is ForumPage:
            fields.setdefault("edition", 1)
        event = model(
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


@pytest.fixture
def translate_event():
    """The English translation of a French event, published, with `fields` (e.g. its English title)."""
    from wagtail.models import Locale

    def translate(event, **fields):
        english = event.copy_for_translation(Locale.objects.get(language_code="en")).specific
        for name, value in fields.items():
            setattr(english, name, value)
        english.save_revision().publish()
        return english

    return translate
