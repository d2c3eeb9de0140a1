"""A person's own data: they see and download everything the portal holds about them, and delete
their account from their profile; what stays afterwards is what the privacy page says."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import translation

from portal.accounts.roles import Role
from portal.events import services as event_services
from portal.events.models import Registration
from portal.newsletter.models import Subscriber
from tests.events.conftest import index_fr, make_event  # noqa: F401  (the calendar's fixtures)
from tests.factories import LOGIN_PAGES, MutualFactory, UserFactory
from tests.news.helpers import article

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _url(name, language="en"):
    with translation.override(language):
        return reverse(name)


@pytest.fixture
def awa(client):
    user = UserFactory(username="awa", email="awa@example.org", organization="Mutuelle de Thiès",
                       roles=[Role.MEMBER, Role.MUTUAL_MANAGER])
    client.force_login(user)
    return user


@pytest.fixture
def seminar(make_event):  # noqa: F811  (the fixture imported above)
    return make_event("Séminaire à places limitées", kind="training", registration_open=True, capacity=1)


def test_the_data_page_and_its_download_show_what_is_held_about_the_person_and_nobody_else(
    client, awa, seminar
):
    MutualFactory(name="Mutuelle de Thiès (test)", managers=[awa])
    MutualFactory(name="Mutuelle d'un autre", managers=[UserFactory(username="binta")])
    event_services.registration_create(event=seminar, user=awa)
    Subscriber.objects.create(email="awa@example.org", language="fr")
    Subscriber.objects.create(email="binta@example.org", language="fr")

    page = client.get(_url("accounts:my_data"))
    assert page.status_code == 200
    html = page.content.decode()
    for expected in ("awa@example.org", "Mutuelle de Thiès (test)", "Séminaire à places limitées",
                     "Newsletter subscription"):
        assert expected in html
    assert "Mutuelle d&#x27;un autre" not in html and "binta@example.org" not in html
    assert page["Cache-Control"] == "private, no-store"

    download = client.get(_url("accounts:my_data"), {"format": "json"})
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    data = json.loads(download.content)["data"]
    assert data["account"][0]["email"] == "awa@example.org"
    assert data["account"][0]["organization"] == "Mutuelle de Thiès"
    assert [m["mutual"] for m in data["mutuals"]] == ["Mutuelle de Thiès (test)"]
    assert data["event_registrations"][0]["event"] == "Séminaire à places limitées"
    assert data["newsletter"][0]["email"] == "awa@example.org"
    raw = download.content.decode()
    assert "binta" not in raw
    assert awa.password not in raw  # not even the password's hash


def test_the_data_pages_are_for_the_logged_in_person_only(client):
    response = client.get(_url("accounts:my_data"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    assert client.get(_url("accounts:delete_account")).status_code == 302
    user = UserFactory(username="cheikh")
    client.force_login(user)
    assert client.get(_url("accounts:my_data"), {"format": "xml"}).status_code == 400


def test_a_wrong_password_deletes_nothing(client, awa):
    response = client.post(_url("accounts:delete_account"), {"password": "not-it"})
    assert response.status_code == 200
    assert "This is not your password" in response.content.decode()
    assert get_user_model().objects.filter(pk=awa.pk).exists()


def test_deleting_the_account_logs_out_frees_the_seat_and_signs_articles_former_member(
    client, awa, seminar, django_capture_on_commit_callbacks
):
    waiting = UserFactory(username="dior", roles=[Role.MEMBER])
    event_services.registration_create(event=seminar, user=awa)
    event_services.registration_create(event=seminar, user=waiting)
    written = article("Notre mutuelle informatise ses adhésions", language="en", author=awa)
    Subscriber.objects.create(email="awa@example.org", language="fr")
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("accounts:delete_account"),
                               {"password": PASSWORD, "erase_newsletter": "on"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=awa.pk).exists()
    assert client.get(_url("accounts:profile")).status_code == 302  # logged out
    # The freed seat went to the person waiting, who was told.
    assert Registration.objects.get(event=seminar, user=waiting).status == "confirmed"
    assert any("dior@example.org" in m.to for m in mail.outbox)
    # The article stays published, signed "former member", and the name is gone from it.
    written.refresh_from_db()
    assert written.live and written.author is None
    html = client.get(written.url).content.decode()
    assert "former member" in html and "Awa Diop" not in html
    assert not written.get_latest_revision().content.get("author")
    assert not Subscriber.objects.filter(email="awa@example.org").exists()


def test_the_newsletter_subscription_stays_when_the_box_is_unticked(client, awa):
    Subscriber.objects.create(email="awa@example.org", language="fr")
    client.post(_url("accounts:delete_account"), {"password": PASSWORD})
    assert not get_user_model().objects.filter(pk=awa.pk).exists()
    assert Subscriber.objects.filter(email="awa@example.org").exists()


def test_an_administrator_cannot_delete_their_own_account_from_the_site(client):
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(_url("accounts:delete_account"), {"password": PASSWORD})
    assert response.status_code == 403
    assert get_user_model().objects.filter(pk=admin.pk).exists()


def test_a_deletion_by_the_secretariat_signs_the_articles_too():
    """The admin's user deletion is a plain delete(): the same steps run before the row goes."""
    author = UserFactory(username="fatou", first_name="Fatou", last_name="Sarr", roles=[Role.MEMBER])
    written = article("Un atelier à Bamako", language="fr", author=author)
    author.delete()
    written.refresh_from_db()
    assert written.by_former_member
    with translation.override("en"):
        assert written.author_name == "former member"


def test_the_secretariat_deletes_an_account_on_request_from_the_admin(
    client, django_capture_on_commit_callbacks
):
    """Through the admin's user deletion: the same steps as the person's own deletion; an
    administrator's account stays out of the secretariat's reach."""
    secretariat = UserFactory(username="secretariat", roles=[Role.SECRETARIAT])
    member = UserFactory(username="ibou", first_name="Ibou", last_name="Fall", roles=[Role.MEMBER])
    written = article("Une mutuelle de Kaolack", language="fr", author=member)
    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(secretariat)
    assert client.get(f"/admin/users/delete/{member.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/admin/users/delete/{member.pk}/")
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=member.pk).exists()
    written.refresh_from_db()
    assert written.by_former_member and written.author is None
    refused = client.post(f"/admin/users/delete/{admin.pk}/")
    assert refused.status_code in (302, 403) and refused.get("Location") != "/admin/users/"
    assert get_user_model().objects.filter(pk=admin.pk).exists()
