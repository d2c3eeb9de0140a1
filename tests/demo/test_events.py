"""The demo's calendar: the four Forums with their figures, proceedings and speakers' organizations, the
seminar of seed 004 next month, upcoming events in several countries, and a second load that adds
nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale, PageViewRestriction

from portal.events.models import EventPage, ForumPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


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
