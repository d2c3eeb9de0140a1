"""schema.org `Event` in an event page's head (issue 15): dates, place or online link, organizers;
never the people managing the registrations."""

import pytest

from inventory.models import SupportingOrganization
from portal.accounts.roles import Role
from portal.events.models import ForumPage
from tests.core.search_engines import PUBLIC, assert_no_local_address, get, head, of_type
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def public_address(settings):
    settings.SITE_URL = PUBLIC
    settings.ALLOWED_HOSTS = ["*"]


def test_event_page_has_an_event_with_dates_place_and_organizers(client, make_event, translate_event):
    organizer = UserFactory(email="gestionnaire.prive@example.org", first_name="Awa", last_name="Privée",
                            roles=[Role.MEMBER])
    organization = SupportingOrganization.objects.create(name="Appui Sénégal", website="https://example.org/as")
    event = make_event("Atelier de Thiès", city="Thiès", venue="Salle des fêtes", organizer="La Concertation",
                       intro="Un atelier sur la contractualisation avec les prestataires de soins.")
    event.organizations.add(organization)
    event.organizer_users.add(organizer)
    event.save_revision().publish()
    english = translate_event(event, title="Thiès workshop", slug="thies-workshop")
    event, english = (type(event).objects.get(pk=page.pk) for page in (event, english))
    html = get(client, event.url)
    data = of_type(html, "Event")
    assert data["name"] == "Atelier de Thiès"
    assert data["url"] == PUBLIC + event.url
    assert data["startDate"] == event.local_start().isoformat()
    assert data["endDate"] == event.local_end().isoformat()
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["@type"] == "Place" and data["location"]["name"] == "Salle des fêtes"
    assert data["location"]["address"]["addressLocality"] == "Thiès"
    names = [org["name"] for org in data["organizer"]]
    assert names == ["La Concertation", "Appui Sénégal"]
    assert data["description"].startswith("Un atelier")
    head_html = html.split("</head>")[0]
    assert "Privée" not in head_html and "gestionnaire.prive" not in head_html
    assert_no_local_address(head_html)
    # A slug with an accent: the canonical address is the page's URL, encoded (thi%C3%A8s).
    meta = head(html)
    assert meta["canonical"] == [PUBLIC + event.url] and "%C3%A8" in event.url
    assert meta["alternates"] == {"fr": PUBLIC + event.url, "en": PUBLIC + english.url,
                                  "x-default": PUBLIC + event.url}


def test_an_online_event_and_a_forum_known_by_its_year(client, make_event):
    webinar = make_event("Webinaire", city="", online_url="https://example.org/webinaire")
    data = of_type(get(client, webinar.url), "Event")
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://example.org/webinaire"}
    forum = make_event("Forum de Dakar 2000", model=ForumPage, date_precision="year", city="Dakar")
    data = of_type(get(client, forum.url), "Event")
    assert data["startDate"] == str(forum.local_start().year)

