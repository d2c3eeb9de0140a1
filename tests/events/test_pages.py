"""The calendar's pages: page types, the admin form's time zones, the lists and their filters (the demo's
calendar: tests/demo/test_events.py)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.events.forms import EventPageForm
from portal.events.models import EventIndexPage, EventPage, ForumPage
from portal.events.selectors import upcoming_events_for_country
from portal.reference.models import Country
from tests.factories import ThemeFactory, network_country

pytestmark = pytest.mark.django_db


def test_calendar_is_allowed_under_home_and_events_under_the_calendar():
    from portal.home.models import HomePage

    assert EventIndexPage in HomePage.allowed_subpage_models()
    assert set(EventIndexPage.allowed_subpage_models()) == {EventPage, ForumPage}


def test_event_must_have_a_place_or_a_link_and_end_after_start(make_event):
    event = make_event()
    event.city, event.online_url = "", ""
    event.end = event.start - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert {"city", "end"} <= set(error.value.message_dict)


def test_unknown_time_zone_is_refused(make_event):
    event = make_event()
    event.time_zone = "Africa/Atlantis"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "time_zone" in error.value.message_dict


def test_admin_form_reads_typed_times_in_the_events_time_zone(index_fr):
    """09:00 typed for an event in Kinshasa is 09:00 in Kinshasa (08:00 UTC), not in Dakar."""
    form_class = EventPage.get_edit_handler().get_form_class()
    assert issubclass(form_class, EventPageForm)
    data = nested_form_data({
        "title": "Atelier à Kinshasa", "slug": "atelier-kinshasa", "kind": "workshop",
        "time_zone": "Africa/Kinshasa", "start": "2031-03-10 09:00", "end": "2031-03-10 17:00",
        "date_precision": "exact", "city": "Kinshasa", "languages": ["fr"],
        "modules": inline_formset([]),
    })
    form = form_class(data, instance=EventPage(locale=index_fr.locale), for_user=None, parent_page=index_fr)
    assert form.is_valid(), form.errors
    event = form.save(commit=False)
    assert event.start == datetime.datetime(2031, 3, 10, 8, 0, tzinfo=datetime.UTC)
    # Editing it again shows 09:00, the wall-clock time of Kinshasa.
    again = form_class(instance=event, for_user=None, parent_page=index_fr)
    assert again.initial["start"] == datetime.datetime(2031, 3, 10, 9, 0)


def test_event_page_shows_dates_in_its_zone_with_the_zone_named(client, make_event, translate_event):
    event = make_event("Webinaire de Kinshasa", zone="Africa/Kinshasa", online_url="https://example.org/w",
                       city="")
    html = client.get(event.url).content.decode()
    assert "09:00" in html and "17:00" in html
    assert "heure de Kinshasa (UTC+1)" in html and "Africa/Kinshasa" not in html
    assert "Kinshasa time (UTC+1)" in client.get(translate_event(event).url).content.decode()


@pytest.mark.parametrize("zone,french,english", [
    ("Africa/Abidjan", "heure d’Abidjan (UTC)", "Abidjan time (UTC)"),
    ("Africa/Ndjamena", "heure de N’Djaména (UTC+1)", "Ndjamena time (UTC+1)"),
    ("America/New_York", "heure de New York (UTC-5)", "New York time (UTC-5)"),
    ("Asia/Kolkata", "heure de Kolkata (UTC+5:30)", "Kolkata time (UTC+5:30)"),
    ("UTC", "UTC", "UTC"),
])
def test_time_zones_are_named_as_people_say_them(zone, french, english):
    from portal.events.templatetags.events_tags import zone_name

    winter = datetime.datetime(2031, 1, 15, 12, tzinfo=zoneinfo.ZoneInfo(zone))
    with translation.override("fr"):
        assert zone_name(zone, winter) == french
    with translation.override("en"):
        assert zone_name(zone, winter) == english


def test_event_known_to_the_day_shows_no_invented_hours_and_past_events_no_calendar_button(
        client, make_event):
    from portal.events.models import DatePrecision

    forum = make_event("Quatrième forum, Dakar 2007", model=ForumPage, edition=4, length=1,
                       date_precision=DatePrecision.DAY, days=-400)
    html = client.get(forum.url).content.decode()
    assert "09:00" not in html and "17:00" not in html and "heure de Dakar" not in html
    assert "Ajouter à mon agenda" not in html  # over: nothing to add to a calendar
    upcoming = make_event("Atelier à venir", date_precision=DatePrecision.DAY, days=30)
    assert "Ajouter à mon agenda" in client.get(upcoming.url).content.decode()
    assert "Ajouter à mon agenda" in client.get(make_event("Atelier exact", days=30).url).content.decode()
    assert "Ajouter à mon agenda" not in client.get(make_event("Atelier passé", days=-3).url).content.decode()


def test_the_forum_edition_is_an_ordinal(client, make_event, translate_event):
    forum = make_event("Quatrième forum", model=ForumPage, edition=4, participants_count=300, days=-400)
    assert "<strong>4<sup>e</sup></strong> édition" in client.get(forum.url).content.decode()
    english = translate_event(forum, title="Fourth Forum")
    assert "<strong>4<sup>th</sup></strong> edition" in client.get(english.url).content.decode()
    first = make_event("Premier forum", model=ForumPage, edition=1, participants_count=80, days=-900)
    assert "<strong>1<sup>re</sup></strong> édition" in client.get(first.url).content.decode()


def test_the_registration_comes_right_after_the_dates_and_the_place(client, make_event):
    event = make_event("Atelier avec inscription", registration_open=True, capacity=30,
                       description="<p>" + "Programme détaillé. " * 200 + "</p>")
    html = client.get(event.url).content.decode()
    html = html[html.index("<main"):]  # the page's body (the head's description quotes the programme)
    assert html.index("Où") < html.index('id="registration-heading"') < html.index("Programme détaillé")


def test_upcoming_list_filters_by_country_kind_and_theme(client, make_event, index_fr):
    financing = ThemeFactory(slug="financing")
    mali = network_country("ML")
    make_event("Formation au Mali", kind="training", country=mali, themes=[financing])
    make_event("Atelier au Mali", kind="workshop", country=mali)
    make_event("Formation au Bénin", kind="training", country=network_country("BJ"))
    make_event("Formation passée", kind="training", country=mali, days=-30)

    html = client.get(index_fr.url, {"country": "ML", "kind": "training"}).content.decode()
    assert "Formation au Mali" in html
    assert "Atelier au Mali" not in html and "Formation au Bénin" not in html
    assert "Formation passée" not in html
    html = client.get(index_fr.url, {"theme": "financing"}).content.decode()
    assert "Formation au Mali" in html and "Formation au Bénin" not in html
    html = client.get(index_fr.url, {"when": "past", "country": "ML"}).content.decode()
    assert "Formation passée" in html and "Formation au Mali" not in html


def test_a_country_code_in_lower_case_filters_like_the_api_and_stays_chosen(client, make_event, index_fr):
    make_event("Formation au Mali", country=Country.objects.get(code="ML"))
    make_event("Formation au Bénin", country=Country.objects.get(code="BJ"))
    response = client.get(index_fr.url, {"country": "ml"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Formation au Mali" in html and "Formation au Bénin" not in html
    assert '<option value="ML" selected>' in html


def test_month_filter_keeps_events_running_that_month(client, make_event, index_fr):
    event = make_event("Atelier du mois", days=40)
    month = event.local_start().strftime("%Y-%m")
    other = (event.local_start() + datetime.timedelta(days=62)).strftime("%Y-%m")
    assert "Atelier du mois" in client.get(index_fr.url, {"month": month}).content.decode()
    assert "Atelier du mois" not in client.get(index_fr.url, {"month": other}).content.decode()


@pytest.mark.parametrize("params, field", [
    ({"country": "XX"}, "country"), ({"kind": "party"}, "kind"), ({"theme": "nope"}, "theme"),
    ({"month": "2026-13"}, "month"), ({"when": "tomorrow"}, "when"),
    ({"month": "9999-12"}, "month"),  # its following month is past the last date: was a 500
])
def test_bad_filter_values_get_a_clear_note_not_a_crash(client, index_fr, params, field):
    response = client.get(index_fr.url, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'id="id_{field}_error"' in html


def test_list_is_paginated(client, make_event, index_fr):
    for number in range(23):
        make_event(f"Atelier numéro {number}", days=5 + number, slug=f"atelier-{number}")
    first = client.get(index_fr.url, {"kind": "workshop", "country": ""}).content.decode()
    assert 'rel="next"' in first and "Atelier numéro 0" in first
    second = client.get(index_fr.url, {"page": 2}).content.decode()
    assert 'rel="prev"' in second


def test_registrants_never_appear_on_the_public_page(client, make_event):
    from portal.accounts.roles import Role
    from portal.events.services import registration_create
    from tests.factories import UserFactory

    event = make_event(registration_open=True, capacity=10)
    person = UserFactory(first_name="Mariama", last_name="Konaté", email="mariama@example.org",
                         roles=[Role.MEMBER])
    registration_create(event=event, user=person)
    html = client.get(event.url).content.decode()
    assert "Konaté" not in html and "mariama@example.org" not in html
    assert "9 places restantes" in html or "9 seats left" in html


def test_upcoming_events_for_country(make_event):
    mali = Country.objects.get(code="ML")
    make_event("Plus tard au Mali", days=20, country=mali)
    make_event("Bientôt au Mali", days=3, country=mali)
    make_event("Passé au Mali", days=-3, country=mali)
    titles = [event.title for event in upcoming_events_for_country("ml", 5)]
    assert titles.index("Bientôt au Mali") < titles.index("Plus tard au Mali")
    assert "Passé au Mali" not in titles
    assert len(upcoming_events_for_country("ML", 1)) == 1


def test_event_dates_shown_in_zone_for_dst_zone(make_event):
    """A zone with summer time: the offset named is the event's own on its date."""
    event = make_event("Réunion à Paris", zone="Europe/Paris", days=0)
    event.start = datetime.datetime(2031, 7, 1, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    from portal.events.templatetags.events_tags import event_zone

    with translation.override("en"):
        assert event_zone(event) == "Paris time (UTC+2)"


def test_list_queries_do_not_grow_with_the_number_of_events(client, make_event, index_fr, settings):
    settings.PAGE_CACHE_SECONDS = 0  # the view's queries, not the page cache (tests/core/test_page_cache.py)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_list():
        client.get(index_fr.url)  # warm the site and locale caches
        with CaptureQueriesContext(connection) as captured:
            html = client.get(index_fr.url).content.decode()
        return len(captured), html

    senegal = Country.objects.get(code="SN")
    make_event("Atelier 0", days=3, slug="atelier-q-0", country=senegal)
    few, _html = queries_for_list()
    for number in range(1, 15):
        make_event(f"Atelier {number}", days=3 + number, slug=f"atelier-q-{number}", country=senegal)
    many, html = queries_for_list()
    assert "Atelier 14" in html and "Sénégal" in html
    assert many == few
