"""The "upcoming events" section of a country's page."""

import pytest

from portal.reference.models import Country

pytestmark = pytest.mark.django_db


def test_country_page_lists_its_upcoming_events(client, make_event):
    make_event("Atelier passé au Mali", days=-10, country=Country.objects.get(code="ML"))
    html = client.get("/fr/inventaire/pays/ML/").content.decode()
    assert 'id="section-upcoming_events"' in html
    assert "Réunion annuelle des points focaux (démo)" in html  # the demo meeting in Bamako
    assert "Atelier passé au Mali" not in html
    assert "/fr/agenda/?country=ML" in html and "calendar.ics?country=ML" in html


def test_country_without_upcoming_events_has_no_empty_section(client):
    html = client.get("/fr/inventaire/pays/TD/").content.decode()
    assert "section-upcoming_events" not in html
