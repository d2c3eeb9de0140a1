"""Failed logins are counted per account and per address (portal/accounts/adapter.py): a stranger's
failures lock the stranger out, never the account's owner logging in from elsewhere."""

import pytest
from allauth.account.models import EmailAddress

from portal.accounts.roles import Role
from portal.settings import base
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"  # UserFactory's
LOGIN = "/fr/comptes/connexion/"
STRANGER, OWNER = "203.0.113.7", "198.51.100.20"


@pytest.fixture(autouse=True)
def rate_limits(settings):
    """The production limits (the test settings switch them off)."""
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


@pytest.fixture
def member():
    user = UserFactory(roles=[Role.MEMBER], email="awa@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def log_in(client, email, password, address):
    client.post(LOGIN, {"login": email, "password": password}, REMOTE_ADDR=address)
    logged_in = "_auth_user_id" in client.session
    client.logout()
    return logged_in


def test_a_strangers_failures_do_not_lock_the_owner_out_from_another_address(client, member):
    for _attempt in range(6):
        assert not log_in(client, member.email, "wrong-guess", STRANGER)
    assert log_in(client, member.email, PASSWORD, OWNER)


def test_failures_from_an_address_block_that_address_even_with_the_right_password(client, member):
    for _attempt in range(5):
        assert not log_in(client, member.email, "wrong-guess", STRANGER)
    response = client.post(LOGIN, {"login": member.email, "password": PASSWORD}, REMOTE_ADDR=STRANGER)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200  # the form again, saying there were too many attempts


def test_an_address_trying_many_accounts_is_slowed_down(client, member):
    for number in range(10):
        assert not log_in(client, f"someone{number}@example.org", "wrong-guess", STRANGER)
    assert not log_in(client, member.email, PASSWORD, STRANGER)
    assert log_in(client, member.email, PASSWORD, OWNER)
