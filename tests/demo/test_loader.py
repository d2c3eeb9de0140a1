"""The demo content: bilingual, idempotent, and free of personal contact data."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Locale, Page

from portal.demo import content
from portal.demo.loader import load_demo
from portal.reference.models import Country, Theme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_site")]


def test_loading_twice_changes_nothing():
    before = (Page.objects.count(), Country.objects.count(), get_user_model().objects.count())
    report = load_demo(with_inventory=False)  # as `demo_site` loads it (the inventory: test_inventory.py)
    assert (Page.objects.count(), Country.objects.count(), get_user_model().objects.count()) == before
    assert report.admin_password == ""  # the existing admin account is left alone


def test_an_editor_change_survives_a_second_load():
    page = Page.objects.get(slug=content.PAGES[0]["fr"]["slug"]).specific
    page.title = "Le réseau, revu par le secrétariat"
    page.save_revision().publish()
    load_demo()
    page.refresh_from_db()
    assert page.title == "Le réseau, revu par le secrétariat"


def test_the_demo_puts_back_a_theme_its_content_names():
    # The migrations seed themes into an empty table only; the demo needs its own by slug.
    Theme.objects.filter(slug="uhc").delete()
    load_demo(with_inventory=False)
    assert Theme.objects.get(slug="uhc").name_fr == "Couverture sanitaire universelle"


def test_every_french_page_has_its_english_translation():
    from library.models import ProjectProfilePage, ResourcePage

    # A library resource lives in its own language's tree only (not translated).
    french = Page.objects.live().filter(locale__language_code="fr", depth__gt=1).not_type(
        ResourcePage, ProjectProfilePage
    )
    assert french.count() >= 8
    for page in french:
        english = page.get_translation_or_none(Locale.objects.get(language_code="en"))
        assert english is not None and english.live, page.title
        assert english.title != page.title or page.title == "Contact"


def test_the_fourteen_focal_point_countries():
    assert Country.objects.in_network().count() == 14
    senegal = Country.objects.get(code="SN")
    assert (senegal.name_fr, senegal.name_en, senegal.currency) == ("Sénégal", "Senegal", "XOF")


def test_the_admin_account_can_use_the_admin(client):
    from tests.conftest import DEMO_ADMIN_PASSWORD

    assert client.login(username="admin", password=DEMO_ADMIN_PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_the_demo_admin_logs_in_with_the_printed_second_factor(client):
    """The secretariat needs a second factor: `make run` prints the demo admin's TOTP secret and
    recovery codes (var/demo-admin.txt), which any authenticator app or `oathtool --totp -b` reads."""
    from io import StringIO

    from django.core.management import call_command

    from portal.demo.loader import ADMIN_EMAIL
    from tests.factories import totp_code

    get_user_model().objects.filter(email=ADMIN_EMAIL).delete()
    out = StringIO()
    call_command("load_demo", admin_password="a-new-demo-password", stdout=out)
    secret = out.getvalue().split("TOTP secret: ")[1].split()[0]
    codes = out.getvalue().split("recovery codes: ")[1].split("\n")[0].split()
    assert len(codes) == 10

    client.post("/fr/comptes/connexion/", {"login": ADMIN_EMAIL, "password": "a-new-demo-password"})
    assert "_auth_user_id" not in client.session  # the code is asked first
    client.post("/fr/comptes/double-authentification/verifier/", {"code": totp_code(secret)})
    assert client.get("/admin/").status_code == 200
    client.logout()
    client.post("/fr/comptes/connexion/", {"login": ADMIN_EMAIL, "password": "a-new-demo-password"})
    client.post("/fr/comptes/double-authentification/verifier/", {"code": codes[0]})  # a recovery code, once
    assert client.get("/admin/").status_code == 200
