"""The account pages have French paths under /fr/ and English ones under /en/ (issue #14:
/fr/comptes/signup/), and the former paths keep working: a link redirects (301) with its query
string, a form posted to one is served in place (portal/accounts/allauth_urls.py)."""

import pytest
from django.urls import resolve, reverse, translate_url
from django.utils import translation

from portal.accounts import allauth_urls
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FRENCH = {
    "account_login": "/fr/comptes/connexion/",
    "account_signup": "/fr/comptes/inscription/",
    "account_logout": "/fr/comptes/deconnexion/",
    "account_reset_password": "/fr/comptes/mot-de-passe/reinitialiser/",
    "account_change_password": "/fr/comptes/mot-de-passe/modifier/",
    "account_email": "/fr/comptes/adresses-electroniques/",
    "mfa_index": "/fr/comptes/double-authentification/",
    "mfa_authenticate": "/fr/comptes/double-authentification/verifier/",
    "todo": "/fr/comptes/a-faire/",
    "accounts:profile": "/fr/comptes/profil/",
}
ENGLISH = {
    "account_login": "/en/accounts/login/",
    "account_signup": "/en/accounts/signup/",
    "account_reset_password": "/en/accounts/password/reset/",
    "mfa_index": "/en/accounts/2fa/",
    "todo": "/en/accounts/to-do/",
}


@pytest.mark.parametrize(("name", "expected"), FRENCH.items())
def test_french_paths_under_fr(client, name, expected):
    with translation.override("fr"):
        assert reverse(name) == expected
        assert resolve(expected).url_name == name.split(":")[-1]


@pytest.mark.parametrize(("name", "expected"), ENGLISH.items())
def test_english_paths_under_en(name, expected):
    with translation.override("en"):
        assert reverse(name) == expected
        assert resolve(expected).url_name == name


def test_no_english_slug_is_left_under_fr_comptes():
    """Every allauth page has a French route (a new allauth page would show up here)."""
    untranslated = []
    for route, _regex, entry in allauth_urls._flat(__import__("allauth.urls").urls.urlpatterns):
        if route not in allauth_urls.ROUTES:
            untranslated.append((route, entry.name))
    assert untranslated == []
    with translation.override("fr"):
        french = {str(route) for route in allauth_urls.ROUTES.values()}
    assert not french & set(allauth_urls.ROUTES), "a French route is still the English one"


def test_the_language_switcher_follows(client):
    with translation.override("fr"):
        assert translate_url("/fr/comptes/inscription/", "en") == "/en/accounts/signup/"
    with translation.override("en"):
        french = translate_url("/en/accounts/password/reset/", "fr")
    assert french == "/fr/comptes/mot-de-passe/reinitialiser/"


@pytest.mark.parametrize(("old", "new"), [
    ("/fr/comptes/signup/", "/fr/comptes/inscription/"),
    ("/fr/comptes/login/?next=/fr/inventaire/", "/fr/comptes/connexion/?next=/fr/inventaire/"),
    ("/fr/comptes/password/reset/", "/fr/comptes/mot-de-passe/reinitialiser/"),
    ("/fr/comptes/confirm-email/Mjk:1tX:abc/", "/fr/comptes/confirmation-adresse/Mjk:1tX:abc/"),
    ("/fr/comptes/password/reset/key/3-abc-def/", "/fr/comptes/mot-de-passe/reinitialiser/cle/3-abc-def/"),
    ("/fr/comptes/2fa/", "/fr/comptes/double-authentification/"),
])
def test_the_former_paths_redirect_permanently(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_english_paths_under_en_are_pages_not_redirects(client):
    assert client.get("/en/accounts/login/").status_code == 200
    assert client.get("/en/accounts/signup/").status_code == 200


def test_a_form_posted_to_a_former_path_still_works(client):
    from allauth.account.models import EmailAddress

    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post("/fr/comptes/login/", {"login": user.email, "password": "a-long-test-password"})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
