"""Registration with e-mail confirmation, login, logout, password reset and the profile page."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from portal.accounts.roles import GROUP_NAMES, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def signup(client, language="fr", **overrides):
    data = {
        "email": "fatou@example.org", "password1": "Mutuelle-2026!", "password2": "Mutuelle-2026!",
        "first_name": "Fatou", "last_name": "Sow", "organization": "UTM", "country": "ML",
    }
    data.update(overrides)
    path = "/fr/comptes/inscription/" if language == "fr" else "/en/accounts/signup/"
    return client.post(path, data)


def link_in(message):
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_registration_sends_a_confirmation_link_in_the_reader_language(client):
    response = signup(client)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["fatou@example.org"]
    assert "/fr/comptes/confirmation-adresse/" in message.body
    assert "Confirmez" in message.subject or "confirmer" in message.body.lower()
    user = get_user_model().objects.get(email="fatou@example.org")
    assert (user.first_name, user.organization, user.country_id) == ("Fatou", "UTM", "ML")


def test_cannot_log_in_before_confirming_then_can_after(client):
    signup(client)
    confirm = link_in(mail.outbox[0])
    client.post("/fr/comptes/connexion/", {"login": "fatou@example.org", "password": "Mutuelle-2026!"})
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 2  # the confirmation was sent again

    response = client.post(confirm)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="fatou@example.org")
    assert user.emailaddress_set.get().verified
    assert user.groups.filter(name=GROUP_NAMES[Role.MEMBER]).exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_registration_errors_keep_what_was_typed(client):
    response = signup(client, password2="something-else", first_name="Fatou")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="fatou@example.org"' in html
    assert 'value="Fatou"' in html
    assert not get_user_model().objects.filter(email="fatou@example.org").exists()


def test_registering_twice_with_one_address_is_refused(client):
    UserFactory(email="fatou@example.org")
    signup(client)
    assert get_user_model().objects.filter(email="fatou@example.org").count() == 1


def test_login_and_logout(client):
    from allauth.account.models import EmailAddress

    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post("/en/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post("/en/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client):
    from allauth.account.models import EmailAddress

    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.post("/fr/comptes/mot-de-passe/reinitialiser/", {"email": user.email})
    assert len(mail.outbox) == 1
    reset = link_in(mail.outbox[0])
    page = client.get(reset, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else reset
    client.post(form_url, {"password1": "Nouveau-mot-2026", "password2": "Nouveau-mot-2026"})
    user.refresh_from_db()
    assert user.check_password("Nouveau-mot-2026")


def test_profile_requires_login(client):
    response = client.get("/fr/comptes/profil/")
    assert response.status_code == 302
    assert "/fr/comptes/connexion/" in response["Location"]


def test_profile_saves_languages_and_interests(client):
    from portal.reference.models import Theme

    user = UserFactory()
    client.force_login(user)
    themes = list(Theme.objects.values_list("pk", flat=True)[:2])
    response = client.post("/fr/comptes/profil/", {
        "first_name": "Awa", "last_name": "Ndiaye", "organization": "Mutuelle de Thiès",
        "country": "SN", "languages": ["fr", "en"], "interests": themes,
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.last_name == "Ndiaye"
    assert user.languages == ["fr", "en"]
    assert sorted(user.interests.values_list("pk", flat=True)) == sorted(themes)


def test_profile_errors_keep_what_was_typed(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post("/en/accounts/profile/", {
        "first_name": "", "last_name": "Ndiaye", "organization": "Mutuelle de Thiès",
        "country": "ZZ",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Mutuelle de Thiès"' in html
    assert "Select a valid choice" in html
    user.refresh_from_db()
    assert user.organization == ""


def test_profile_shows_the_roles_given_by_the_secretariat(client):
    user = UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"])
    client.force_login(user)
    html = client.get("/fr/comptes/profil/").content.decode()
    assert "Point focal" in html


def test_account_e_mail_links_start_with_the_site_s_public_address(client, settings):
    """The confirmation and password-reset links follow SITE_URL (`PORT=8101 make run`, production's
    address behind its proxy), not the host name the request came through."""
    settings.SITE_URL = "http://127.0.0.1:8101"
    signup(client)
    assert re.search(r"http://127\.0\.0\.1:8101/fr/comptes/confirmation-adresse/\S+", mail.outbox[0].body)
    assert "http://testserver" not in mail.outbox[0].body

    from allauth.account.models import EmailAddress

    user = UserFactory(email="aminata@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    mail.outbox.clear()
    client.post("/fr/comptes/mot-de-passe/reinitialiser/", {"email": user.email})
    reset_link = r"http://127\.0\.0\.1:8101/fr/comptes/mot-de-passe/reinitialiser/cle/\S+"
    assert re.search(reset_link, mail.outbox[0].body)
