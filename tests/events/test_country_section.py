"""The "upcoming events" section of a country's page."""

import pytest

from tests.factories import network_country

pytestmark = pytest.mark.django_db


def test_country_page_lists_its_upcoming_events(client, make_event):
    mali = network_country("ML")
    make_event("Réunion annuelle des points focaux", days=75, zone="Africa/Bamako", city="Bamako",
               country=mali)
    make_event("Atelier passé au Mali", days=-10, country=mali)
    html = client.get("/fr/inventaire/pays/ML/").content.decode()
    assert 'id="section-upcoming_events"' in html
    assert "Réunion annuelle des points focaux" in html
    assert "Atelier passé au Mali" not in html
    assert "/fr/agenda/?country=ML" in html and "calendar.ics?country=ML" in html


def test_country_without_upcoming_events_has_no_empty_section(client, make_event):
    network_country("TD")
    make_event("Atelier au Mali", country=network_country("ML"))
    response = client.get("/fr/inventaire/pays/TD/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "section-upcoming_events" not in html
