"""Security headers and small leaks: the Content-Security-Policy of the public site (no inline script or
style) and of the admin, the Permissions-Policy on every response, no avatar fetched from gravatar.com,
and a language switcher that never links off the site whatever path was asked for."""

import re

import pytest

from portal.accounts.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = ["/fr/", "/en/", "/fr/bibliotheque/", "/fr/inventaire/", "/fr/actualites/", "/fr/agenda/",
                "/fr/lettre-d-information/abonnement/", "/fr/comptes/connexion/", "/fr/recherche/?q=mutuelle"]


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def assert_locked_down(directives):
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'self'"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_run_only_the_sites_own_scripts_and_styles(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    # Neither script-src nor style-src widens default-src: an injected <script> or style="" is refused.
    for name in ("script-src", "style-src", "script-src-attr", "style-src-attr"):
        assert name not in directives, name
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert_locked_down(directives)


def test_not_found_page_has_the_public_policy_too(client):
    response = client.get("/fr/pas-de-page-ici/")
    assert response.status_code == 404
    assert "unsafe" not in response.headers["Content-Security-Policy"]
    assert_locked_down(policy(response))


def test_admin_has_its_own_policy_still_locked_down(client):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT], is_staff=True))
    response = client.get("/admin/")
    directives = policy(response)
    assert_locked_down(directives)
    assert directives["default-src"] == ["'self'"]


@pytest.mark.parametrize("path", [*PUBLIC_PAGES[:3], "/fr/pas-de-page-ici/", "/admin/", "/api/v1/",
                                  "/static/css/portal.css", "/fr/actualites/flux/rss/",
                                  "/fr/agenda/calendar.ics"])
def test_every_response_refuses_camera_microphone_location_payment_usb(client, path):
    header = client.get(path).headers.get("Permissions-Policy", "")
    features = dict(item.strip().split("=", 1) for item in header.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert features.get(feature) == "()", (path, feature)


def test_admin_pages_fetch_no_avatar_from_gravatar(client):
    secretariat = UserFactory(roles=[Role.SECRETARIAT], is_staff=True, email="secretariat@example.org")
    client.force_login(secretariat)
    for path in ("/admin/", "/admin/account/", "/admin/users/", f"/admin/users/edit/{secretariat.pk}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "gravatar" not in response.content.decode(), path


def language_hrefs(response):
    html = response.content.decode()
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    return {code: href for href, code in re.findall(r'href="([^"]*)" hreflang="(\w+)"', nav)}


@pytest.mark.parametrize("path", ["//evil.example/x/", "//evil.example/fr/", "/\\evil.example/",
                                  "/https:/evil.example/", "///evil.example/fr/"])
def test_language_switcher_on_a_crafted_404_links_only_to_this_site(client, path):
    # The test client would read "//host/" as a host: the path goes to the server as a browser sends it.
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404
    hrefs = language_hrefs(response)
    assert set(hrefs) == {"fr", "en", "pt"}
    for href in hrefs.values():
        assert href.startswith("/") and not href.startswith(("//", "/\\")), href
    assert hrefs["en"] == "/en/" and hrefs["pt"] == "/pt/"


def test_language_switcher_still_translates_the_views_path(client):
    hrefs = language_hrefs(client.get("/fr/inventaire/"))
    assert hrefs == {"fr": "/fr/inventaire/", "en": "/en/inventory/", "pt": "/pt/inventario/"}
