"""The calendar's pages: page types, the admin form's time zones, the lists and their filters, the
demo content (the four Forums, the seminar of seed 004)."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from portal.events.forms import EventPageForm
from portal.events.models import EventIndexPage, EventPage, ForumPage
from portal.events.selectors import upcoming_events_for_country
from portal.reference.models import Country, Theme

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


def test_event_page_shows_dates_in_its_zone_with_the_zone_named(client, make_event):
    event = make_event("Webinaire de Kinshasa", zone="Africa/Kinshasa", online_url="https://example.org/w",
                       city="")
    html = client.get(event.url).content.decode()
    assert "09:00" in html and "17:00" in html
    assert "Africa/Kinshasa (UTC+01:00)" in html


def test_upcoming_list_filters_by_country_kind_and_theme(client, make_event, index_fr):
    financing = Theme.objects.get(slug="financing")
    mali = Country.objects.get(code="ML")
    make_event("Formation au Mali", kind="training", country=mali, themes=[financing])
    make_event("Atelier au Mali", kind="workshop", country=Country.objects.get(code="ML"))
    make_event("Formation au Bénin", kind="training", country=Country.objects.get(code="BJ"))
    make_event("Formation passée", kind="training", country=Country.objects.get(code="ML"), days=-30)

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


# --- Demo content ---------------------------------------------------------------------------------

def test_demo_has_the_four_forums_with_their_figures():
    forums = {forum.slug: forum for forum in ForumPage.objects.filter(locale__language_code="fr")}
    assert (forums["forum-dakar-2000"].city, forums["forum-dakar-2000"].participants_count) == ("Dakar", 80)
    assert forums["forum-dakar-2002"].participants_count == 190
    assert forums["forum-dakar-2002"].nationalities_count == 24
    bamako = forums["forum-bamako-2004"]
    assert (bamako.city, bamako.participants_count) == ("Bamako", 400)
    dakar_2007 = forums["forum-dakar-2007"]
    assert dakar_2007.participants_approximate and dakar_2007.participants_count == 300
    assert dakar_2007.local_start().date() == datetime.date(2007, 11, 26)
    years = [forum.year for forum in sorted(forums.values(), key=lambda f: f.start)]
    assert years == [2000, 2002, 2004, 2007]
    assert all(forum.kind == "forum" for forum in forums.values())


def test_bamako_forum_links_its_proceedings_in_the_library(client):
    forum = ForumPage.objects.get(slug="forum-bamako-2004", locale__language_code="fr")
    resource = forum.proceedings.get().resource
    assert resource.ref == "demo-forum-bamako-2004"
    html = client.get(forum.url).content.decode()
    assert resource.url in html and "400" in html
    # Proceedings put behind a login disappear from the public page.
    PageViewRestriction.objects.create(page=resource, restriction_type=PageViewRestriction.LOGIN)
    assert resource.url not in client.get(forum.url).content.decode()


def test_a_forum_links_its_speakers_organizations_to_the_directory(client):
    forum = ForumPage.objects.get(slug="forum-dakar-2007", locale__language_code="fr")
    listed = [o for o in forum.speaker_organizations.all() if o.in_directory]
    assert listed
    html = client.get(forum.url).content.decode()
    for organization in listed:
        page = reverse("directory:organization", args=[organization.pk])
        assert f'<a href="{page}">{organization}</a>' in html
        assert client.get(page).status_code == 200


def test_forum_2007_page_in_english(client):
    forum = ForumPage.objects.get(slug="forum-dakar-2007", locale__language_code="en")
    with translation.override("en"):
        html = client.get(forum.url).content.decode()
    assert "Fourth Forum, Dakar 2007" in html
    assert "~300" in html
    assert "Is networking mutual health organizations" in html
    assert "African Mutuality Union" in html or "Union africaine de la mutualité" in html


def test_demo_seminar_is_next_month_with_the_three_modules_in_both_languages():
    seminar = EventPage.objects.get(slug="seminaire-micro-assurance-sante-participative",
                                    locale__language_code="fr")
    today = timezone.localdate()
    next_month = (today.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    start = seminar.local_start()
    assert (start.year, start.month) == (next_month.year, next_month.month)
    assert seminar.kind == "training" and seminar.country_id == "SN"
    modules = list(seminar.modules.all())
    assert [module.duration for module in modules] == ["3 jours", "2,5 jours", "5 jours"]
    assert "Letourmy" in modules[0].speakers
    english = seminar.get_translation(Locale.objects.get(language_code="en")).specific
    assert english.modules.first().title.startswith("Module 1 — Participatory health microinsurance")
    assert english.start == seminar.start


def test_demo_loads_twice_without_duplicates():
    from portal.demo.events import load
    from portal.demo.loader import Report

    before = EventPage.objects.count()
    load(Report())
    assert EventPage.objects.count() == before


def test_demo_upcoming_events_are_in_several_countries():
    upcoming = EventPage.objects.live().filter(locale__language_code="fr").upcoming()
    assert {event.country_id for event in upcoming} >= {"SN", "BJ", "CD", "ML"}


def test_event_dates_shown_in_zone_for_dst_zone(make_event):
    """A zone with summer time: the offset named is the event's own on its date."""
    event = make_event("Réunion à Paris", zone="Europe/Paris", days=0)
    event.start = datetime.datetime(2031, 7, 1, 9, tzinfo=zoneinfo.ZoneInfo("Europe/Paris"))
    from portal.events.templatetags.events_tags import event_zone

    assert event_zone(event) == "Europe/Paris (UTC+02:00)"


def test_list_queries_do_not_grow_with_the_number_of_events(client, make_event, index_fr):
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
