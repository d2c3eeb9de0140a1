import pytest

from portal.accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def member(client):
    """A network member, logged in on `client`."""
    user = UserFactory(roles=[Role.MEMBER], first_name="Awa", last_name="Diop", languages=["en"])
    client.force_login(user)
    return user
