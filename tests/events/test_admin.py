"""Editors create and edit events in the Wagtail admin."""

import pytest
from django.urls import reverse

from portal.accounts.roles import Role
from portal.events.models import EventPage, ForumPage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(UserFactory(username="secretariat", roles=[Role.SECRETARIAT], is_superuser=True))
    return client


@pytest.mark.parametrize("model", [EventPage, ForumPage])
def test_add_and_edit_forms_render(editor_client, index_fr, make_event, model):
    add = reverse("wagtailadmin_pages:add", args=("events", model._meta.model_name, index_fr.pk))
    assert editor_client.get(add).status_code == 200
    existing = make_event(model=model)
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=(existing.pk,))).content.decode()
    assert 'name="time_zone"' in html and 'name="languages"' in html


def test_edit_form_shows_times_in_the_events_zone(editor_client, make_event):
    webinar = make_event("Webinaire", zone="Africa/Kinshasa", city="", online_url="https://example.org/w")
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=(webinar.pk,))).content.decode()
    assert webinar.local_start().strftime("%Y-%m-%d 09:00") in html  # 09:00 in Kinshasa, 08:00 in Dakar
    assert webinar.local_start().strftime("%Y-%m-%d 08:00") not in html
