"""The iCalendar files, parsed back: one event's "add to my calendar" and the feed of any filter."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from portal.events.ical import event_uid

pytestmark = pytest.mark.django_db


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return {str(component["SUMMARY"]): component for component in calendar.walk("VEVENT")}


def test_event_ics_has_its_dates_in_its_own_time_zone(client, make_event):
    event = make_event("Atelier à Kinshasa", zone="Africa/Kinshasa", city="Kinshasa", venue="Salle A",
                       description="<p>Un <b>atelier</b> pratique.</p>", organizer="UTM")
    response = client.get(f"/fr/agenda/{event.pk}/event.ics")
    assert "attachment" in response["Content-Disposition"]
    vevent = _events(response)["Atelier à Kinshasa"]
    start = vevent.decoded("DTSTART")
    assert start == event.start and start.hour == 9
    assert str(start.tzinfo) == "Africa/Kinshasa"
    assert vevent["DTSTART"].params["TZID"] == "Africa/Kinshasa"
    assert vevent.decoded("DTEND") == event.end
    assert str(vevent["UID"]) == event_uid(event)
    assert str(vevent["URL"]).endswith(event.url)
    assert "Salle A, Kinshasa" in str(vevent["LOCATION"])
    assert "Un atelier pratique." in str(vevent["DESCRIPTION"]) and "<" not in str(vevent["DESCRIPTION"])
    assert vevent.decoded("LAST-MODIFIED") is not None
    # The zone is described in the file, so calendars without the IANA database place it right.
    calendar = Calendar.from_ical(response.content)
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Africa/Kinshasa"]


def test_description_is_plain_text_with_its_entities_decoded(client, make_event):
    html = "<p>Santé &amp; mutuelles&nbsp;: l&#x27;atelier<script>go()</script> &lt;b&gt;pratique&lt;/b&gt;"
    event = make_event("Atelier santé", description=html)
    vevent = _events(client.get(f"/fr/agenda/{event.pk}/event.ics"))["Atelier santé"]
    assert str(vevent["DESCRIPTION"]).startswith("Santé & mutuelles : l'atelier pratique\n")


def test_uid_is_stable_and_shared_by_the_translation(client, make_event):
    from wagtail.models import Locale

    event = make_event("Atelier traduit")
    english = event.copy_for_translation(Locale.objects.get(language_code="en"))
    english.save_revision().publish()
    first = _events(client.get(f"/fr/agenda/{event.pk}/event.ics"))["Atelier traduit"]
    event.title = "Atelier traduit"
    event.intro = "Nouvelle introduction"
    event.save_revision().publish()
    again = _events(client.get(f"/fr/agenda/{event.pk}/event.ics"))["Atelier traduit"]
    other = _events(client.get(f"/en/calendar/{english.pk}/event.ics"))["Atelier traduit"]
    assert str(first["UID"]) == str(again["UID"]) == str(other["UID"])


def test_feed_follows_the_filter(client, make_event):
    from portal.reference.models import Country

    mali, benin = Country.objects.get(code="ML"), Country.objects.get(code="BJ")
    make_event("Formation à Bamako", kind="training", country=mali, zone="Africa/Bamako", city="Bamako")
    make_event("Atelier à Bamako", kind="workshop", country=mali, zone="Africa/Bamako", city="Bamako")
    make_event("Formation à Cotonou", kind="training", country=benin, zone="Africa/Porto-Novo",
               city="Cotonou")
    events = _events(client.get("/fr/agenda/calendar.ics?country=ML&kind=training"))
    assert set(events) == {"Formation à Bamako"}
    events = _events(client.get("/fr/agenda/calendar.ics?kind=training"))
    assert {"Formation à Bamako", "Formation à Cotonou"} <= set(events)
    cotonou = events["Formation à Cotonou"].decoded("DTSTART")
    assert cotonou.utcoffset() == datetime.timedelta(hours=1) and cotonou.hour == 9


def test_feed_in_english_has_the_english_tree(client, make_event, translate_event):
    translate_event(make_event("Séminaire : la micro-assurance santé", kind="training"),
                    title="Seminar: health microinsurance")
    with_titles = _events(client.get("/en/calendar/calendar.ics?kind=training"))
    assert set(with_titles) == {"Seminar: health microinsurance"}


def test_feed_without_when_keeps_last_years_events_not_older_ones(client, make_event):
    make_event("Il y a un mois", days=-30)
    make_event("Il y a deux ans", days=-730)
    events = _events(client.get("/fr/agenda/calendar.ics"))
    assert "Il y a un mois" in events and "Il y a deux ans" not in events
    assert "Il y a deux ans" in _events(client.get("/fr/agenda/calendar.ics?when=past"))


def test_feed_with_a_bad_filter_is_a_400_naming_it(client):
    response = client.get("/fr/agenda/calendar.ics?country=ZZ&month=12-2026")
    assert response.status_code == 400
    text = response.content.decode()
    assert "country" in text and "month" in text


def test_event_known_to_the_month_is_an_all_day_entry(client, make_event):
    from django.utils import timezone

    from portal.events.models import DatePrecision, ForumPage

    forum = make_event("Deuxième forum, Dakar 2002", model=ForumPage, edition=2,
                       date_precision=DatePrecision.MONTH,
                       days=(datetime.date(2002, 9, 1) - timezone.localdate()).days)
    vevent = next(iter(_events(client.get(f"/fr/agenda/{forum.pk}/event.ics")).values()))
    assert vevent.decoded("DTSTART") == datetime.date(2002, 9, 1)


def test_event_known_to_the_day_is_all_day_without_invented_hours(client, make_event):
    from django.utils import timezone

    from portal.events.models import DatePrecision, ForumPage

    forum = make_event("Quatrième forum, Dakar 2007", model=ForumPage, edition=4, length=1,
                       date_precision=DatePrecision.DAY,
                       days=(datetime.date(2007, 11, 26) - timezone.localdate()).days)
    vevent = next(iter(_events(client.get(f"/fr/agenda/{forum.pk}/event.ics")).values()))
    assert vevent.decoded("DTSTART") == datetime.date(2007, 11, 26)
    assert vevent.decoded("DTEND") == datetime.date(2007, 11, 28)  # the day after the last, as RFC 5545 says


def test_unpublished_event_has_no_ics(client, make_event):
    event = make_event("Brouillon")
    event.unpublish()
    assert client.get(f"/fr/agenda/{event.pk}/event.ics").status_code == 404


def test_event_in_utc_plus_zero_zone(client, make_event):
    event = make_event("Atelier à Dakar", zone="Africa/Dakar")
    vevent = _events(client.get(f"/fr/agenda/{event.pk}/event.ics"))["Atelier à Dakar"]
    start = vevent.decoded("DTSTART")
    assert start.astimezone(zoneinfo.ZoneInfo("UTC")).hour == 9


def test_calendar_links_are_on_site_url_and_uids_hold_no_host(client, make_event, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    settings.ALLOWED_HOSTS = ["*"]
    event = make_event("Atelier à Thiès")
    uids = []
    with translation.override("fr"):
        paths = [reverse("events:event_ics", args=[event.pk]), reverse("events:feed")]
    for path in paths:
        response = client.get(path, HTTP_HOST="localhost")  # asked through another host
        vevent = _events(response)["Atelier à Thiès"]
        assert str(vevent["URL"]) == "http://127.0.0.1:8101" + event.url
        assert "http://127.0.0.1:8101" + event.url in str(vevent["DESCRIPTION"])
        uids.append(str(vevent["UID"]))
    assert len(uids) == 2 and all(uid == event_uid(event) and "localhost" not in uid for uid in uids)
