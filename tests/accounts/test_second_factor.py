"""Two-factor authentication: offered to everyone, required of the secretariat and focal points before
they reach the admin or validate anything (portal/accounts/second_factor.py), and asked at login."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation

from inventory.contract.choices import ReturnState
from inventory.returns.services import return_submit, return_validate
from portal.accounts.permissions import ACTIONS, can
from portal.accounts.roles import Role
from portal.accounts.second_factor import PRIVILEGED_ROLES
from tests.factories import (
    TEST_TOTP_SECRET,
    MutualFactory,
    ReturnFactory,
    UserFactory,
    totp_code,
    with_mfa,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"  # UserFactory's
LOGIN = "/fr/comptes/connexion/"
SET_UP = "/fr/comptes/double-authentification/"
CODE_PAGE = "/fr/comptes/double-authentification/verifier/"


def confirmed(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def fr_url(name, *args):
    with translation.override("fr"):
        return reverse(name, args=args)


def test_totp_code_is_the_rfc_6238_code():
    """The tests' authenticator app is checked against the RFC's own vectors (SHA-1, 6 digits)."""
    import base64

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp_code(secret, at=59) == "287082"
    assert totp_code(secret, at=1111111109) == "081804"


# Required of the secretariat and focal points ------------------------------------------------------

@pytest.mark.parametrize("kind", ["focal point", "secretariat", "superuser"])
def test_privileged_user_without_second_factor_is_sent_from_the_admin_to_the_set_up(client, kind):
    user = {
        "focal point": lambda: UserFactory(roles=[Role.FOCAL_POINT], mfa=False),
        "secretariat": lambda: UserFactory(roles=[Role.SECRETARIAT], mfa=False),
        "superuser": lambda: UserFactory(is_superuser=True, mfa=False),
    }[kind]()
    client.force_login(user)
    for path in ("/admin/", "/admin/pages/", "/admin/users/"):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 302, path
        assert response["Location"] == SET_UP
    page = client.get(SET_UP)
    html = page.content.decode()
    assert "protégez d’abord votre compte" in html  # the message saying why (in French)
    assert fr_url("mfa_activate_totp") in html


def test_the_admin_answers_403_to_a_request_that_is_not_a_page(client):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT], mfa=False))
    assert client.get("/admin/pages/", HTTP_ACCEPT="application/json").status_code == 403
    assert client.get("/admin/pages/", HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403


def test_with_a_second_factor_the_admin_opens(client):
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))  # the factory activates TOTP
    assert client.get("/admin/").status_code == 200


def test_a_member_is_not_sent_to_the_set_up(client):
    member = UserFactory(roles=[Role.MEMBER])
    client.force_login(member)
    assert client.get("/fr/comptes/profil/").status_code == 200
    response = client.get("/admin/")
    assert response.get("Location") != SET_UP  # Wagtail refuses them as before


@pytest.fixture
def submitted():
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    ret = ReturnFactory(mutual=MutualFactory(managers=[manager]), year=2025, status="functional")
    return return_submit(ret=ret, user=manager)


def test_focal_point_without_second_factor_cannot_validate(client, submitted):
    focal_point = UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"], mfa=False)
    client.force_login(focal_point)
    response = client.post(fr_url("inventory:return_validate", submitted.mutual.mutual_id, 2025))
    assert response.status_code == 302 and response["Location"] == SET_UP
    submitted.refresh_from_db()
    assert submitted.state == ReturnState.SUBMITTED
    with pytest.raises(PermissionDenied):
        return_validate(ret=submitted, user=focal_point)
    refused = client.post(fr_url("inventory:return_validate", submitted.mutual.mutual_id, 2025),
                          HTTP_ACCEPT="application/json")
    assert refused.status_code == 403


def test_focal_point_with_second_factor_validates(client, submitted):
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"]))
    client.post(fr_url("inventory:return_validate", submitted.mutual.mutual_id, 2025), {"confirm": "on"})
    submitted.refresh_from_db()
    assert submitted.state == ReturnState.VALIDATED


def test_focal_point_without_second_factor_cannot_open_the_country_dashboard(client):
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"], mfa=False))
    response = client.get(fr_url("inventory:country_dashboard", "SN"))
    assert response.status_code == 302 and response["Location"] == SET_UP


def test_every_action_only_privileged_roles_hold_waits_for_the_second_factor():
    privileged_only = [name for name, action in ACTIONS.items() if action.roles <= PRIVILEGED_ROLES]
    assert {"access_admin", "validate_return", "manage_users", "send_newsletter"} <= set(privileged_only)
    secretariat = UserFactory(roles=[Role.SECRETARIAT], mfa=False)
    assert not [name for name in privileged_only if can(secretariat, name)]
    with_mfa(secretariat)
    assert [name for name in privileged_only if not can(secretariat, name)] == []


def test_other_roles_keep_what_they_grant_without_a_second_factor():
    person = UserFactory(roles=[Role.MEMBER, Role.SECRETARIAT], mfa=False)
    assert can(person, "edit_own_profile") and can(person, "submit_article")
    assert not can(person, "manage_users") and not can(person, "edit_pages")


def test_recovery_codes_alone_are_not_a_second_factor():
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    secretariat = UserFactory(roles=[Role.SECRETARIAT], mfa=False)
    RecoveryCodes.activate(secretariat)
    assert not can(secretariat, "manage_users")


# Offered to everyone from the profile ----------------------------------------------------------

def test_the_profile_offers_two_factor_authentication(client):
    client.force_login(UserFactory(roles=[Role.MEMBER]))
    html = client.get("/fr/comptes/profil/").content.decode()
    assert f'href="{SET_UP}"' in html


def test_the_profile_tells_a_focal_point_it_is_required(client):
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT], mfa=False))
    html = client.get("/fr/comptes/profil/").content.decode()
    assert "exige l’authentification à deux facteurs" in html


# Asked at login, through the real forms -------------------------------------------------------

def test_login_asks_the_code_after_the_password(client):
    user = confirmed(UserFactory(roles=[Role.FOCAL_POINT], focal_countries=["SN"]))
    response = client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == CODE_PAGE
    assert "_auth_user_id" not in client.session  # the password alone does not log in
    assert 'name="code"' in client.get(CODE_PAGE).content.decode()

    wrong = f"{(int(totp_code()) + 1) % 10**6:06d}"
    assert client.post(CODE_PAGE, {"code": wrong}).status_code == 200
    assert "_auth_user_id" not in client.session

    response = client.post(CODE_PAGE, {"code": totp_code()})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/admin/").status_code == 200


def test_the_admin_sends_to_the_login_then_the_code_then_back_to_the_admin(client):
    user = confirmed(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get("/admin/pages/", follow=True)
    login_url, _status = response.redirect_chain[-1]
    assert login_url.startswith(LOGIN) and "next=" in login_url
    response = client.post(login_url, {"login": user.email, "password": PASSWORD})
    assert response["Location"] == CODE_PAGE
    response = client.post(CODE_PAGE, {"code": totp_code()})
    assert response["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200


def test_a_focal_point_activates_an_authenticator_app_then_reaches_the_admin(client):
    user = confirmed(UserFactory(roles=[Role.FOCAL_POINT], mfa=False))
    client.post(LOGIN, {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)  # no second factor yet: password only
    assert client.get("/admin/")["Location"] == SET_UP

    activate = fr_url("mfa_activate_totp")
    reauthenticate = client.get(activate)["Location"]  # allauth asks the password again first
    assert reauthenticate.startswith(fr_url("account_reauthenticate"))
    assert client.post(reauthenticate, {"password": PASSWORD})["Location"] == activate
    html = client.get(activate).content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', html).group(1)
    assert secret != TEST_TOTP_SECRET
    client.post(activate, {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200
