"""The front page's live panels: the inventory's latest key figures, the latest articles and the next
events, each in the page's language, with links to the pages listing them all."""

import datetime
import re
import zoneinfo

import pytest
from django.core.cache import cache
from django.utils import timezone

from inventory.contract.choices import ReturnState
from portal.events.models import EventIndexPage, EventPage
from portal.reference.models import Country
from tests.factories import MutualFactory, ReturnFactory
from tests.news.helpers import article

pytestmark = pytest.mark.django_db


def _panel(html, heading_id):
    return re.search(rf'<section aria-labelledby="{heading_id}".*?</section>', html, re.S).group(0)


def _event(title, *, days, language="fr"):
    calendar = EventIndexPage.objects.get(locale__language_code=language)
    day = timezone.localdate() + datetime.timedelta(days=days)
    zone = zoneinfo.ZoneInfo("Africa/Dakar")
    event = EventPage(title=title, time_zone="Africa/Dakar", locale=calendar.locale, city="Dakar",
                      start=datetime.datetime.combine(day, datetime.time(9), tzinfo=zone),
                      end=datetime.datetime.combine(day, datetime.time(17), tzinfo=zone))
    calendar.add_child(instance=event)
    event.save_revision().publish()
    return event


def test_home_shows_the_latest_article_of_its_language_and_not_a_draft(client):
    for days in (3, 2, 1):  # older French articles: the panel shows the latest HOME_ITEMS of them
        day = timezone.localdate() - datetime.timedelta(days=days)
        article(f"Une nouvelle d'il y a {days} jours", date=day)
    article("Une nouvelle de ce matin", date=timezone.localdate())
    article("Un brouillon du secrétariat", date=timezone.localdate(), live=False)
    article("News only in English", language="en", date=timezone.localdate())
    news = _panel(client.get("/fr/").content.decode(), "news-heading")
    assert "Une nouvelle de ce matin" in news
    assert "Un brouillon du secrétariat" not in news
    assert "News only in English" not in news
    assert 'href="/fr/actualites/"' in news
    assert news.count('class="news-item"') == 3
    assert "Une nouvelle d'il y a 3 jours" not in news.replace("&#x27;", "'")  # the oldest left out


def test_home_shows_the_next_events_and_not_past_ones(client):
    _event("Atelier de demain", days=1)
    _event("Atelier de la semaine dernière", days=-7)
    events = _panel(client.get("/fr/").content.decode(), "events-heading")
    assert "Atelier de demain" in events
    assert "Atelier de la semaine dernière" not in events
    assert 'href="/fr/agenda/"' in events


def test_home_shows_the_inventorys_key_figures_of_the_latest_validated_year(client):
    before = _panel(client.get("/fr/").content.decode(), "inventory-heading")
    assert "s’afficheront ici dès la validation des premières déclarations" in before
    senegal = Country.objects.get(code="SN")
    for year, members in ((2023, 5000), (2024, 1200), (2024, 300)):
        ReturnFactory(mutual=MutualFactory(country=senegal), year=year, state=ReturnState.VALIDATED,
                      status="functional", members=members)
    ReturnFactory(mutual=MutualFactory(country=senegal), year=2025, state=ReturnState.SUBMITTED,
                  status="functional", members=999_999)
    cache.clear()
    inventory = _panel(client.get("/fr/").content.decode(), "inventory-heading")
    # No campaign: every year is final, and the panel says so.
    assert ("Chiffres clés 2024 (définitifs), d’après les déclarations validées par les points focaux"
            in inventory)
    members = re.search(r"<strong>([^<]+)</strong> <a href=\"/fr/inventaire/glossaire/#members\"", inventory)
    assert members.group(1).replace("\u202f", " ").replace("\xa0", " ") == "1 500"
