"""The secretariat's bookmarks of the countries' and themes' admin screens, from before the models
moved to portal.reference (`/admin/snippets/inventory/country/…`, `/admin/snippets/library/theme/…`),
lead to the same screens at their new address; the redirect checks nothing itself, the screen does."""

import pytest

from portal.accounts.roles import Role
from portal.reference.models import Theme
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretariat(client):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    return client


def test_old_country_and_theme_screens_redirect_permanently_to_their_new_address(secretariat):
    theme = Theme.objects.first()
    moved = {
        "/admin/snippets/inventory/country/": "/admin/snippets/reference/country/",
        "/admin/snippets/inventory/country/edit/ML/": "/admin/snippets/reference/country/edit/ML/",
        "/admin/snippets/inventory/country/?q=mali&in_network=true":
            "/admin/snippets/reference/country/?q=mali&in_network=true",
        "/admin/snippets/library/theme/": "/admin/snippets/reference/theme/",
        f"/admin/snippets/library/theme/edit/{theme.pk}/":
            f"/admin/snippets/reference/theme/edit/{theme.pk}/",
    }
    for old, new in moved.items():
        response = secretariat.get(old)
        assert (response.status_code, response["Location"]) == (301, new), old
        assert secretariat.get(new).status_code == 200, new
    # The rest of the admin is not caught by the redirects.
    assert secretariat.get("/admin/snippets/inventory/countryside/").status_code != 301


def test_the_redirect_lets_no_one_in_who_the_screen_keeps_out(client):
    # A visitor is sent to the login page, as by any admin screen.
    assert "/connexion/" in client.get("/admin/snippets/inventory/country/edit/ML/")["Location"]
    # A focal point reaches the admin but not the countries: the new address refuses, as before.
    client.force_login(UserFactory(roles=[Role.FOCAL_POINT]))
    response = client.get("/admin/snippets/inventory/country/edit/ML/", follow=True)
    assert response.redirect_chain[0] == ("/admin/snippets/reference/country/edit/ML/", 301)
    assert response.status_code == 403 or response.redirect_chain[-1][0] == "/admin/"
