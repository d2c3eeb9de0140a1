"""A visitor declares a study that used the inventory and the secretariat accepts it, in a real Chromium
at 360 px (issue 17, item 3): from the release's page ("cited by", with its link to the form) to the
declaration form (a wrong DOI comes back with everything typed kept), to the secretariat's queue, to
the study listed on the release's page and in the library. Screenshots go to $SCREENSHOT_DIR when set,
else a temporary folder."""

import pytest

from tests.browser.helpers import PHONE, logged_in_page, no_sideways_scroll, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Mutuelles de santé et gratuité des soins à Kaffrine"
EMAIL = "chercheur.kaffrine@example.org"


def french(name, *args):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        return reverse(name, args=args)


def test_a_visitor_declares_a_study_and_the_secretariat_accepts_it(browser, live_server, demo_site, shots,
                                                                   settings):
    from django.utils import timezone

    from inventory.models import Release
    from library.models import StudyDeclaration
    from portal.accounts.roles import Role

    settings.ELASTICSEARCH_URL = ""  # the embedded library search
    Release.objects.create(name="Inventaire 2025", slug="inventaire-2025", version="1.0",
                           published_at=timezone.now(), inventory_version=1, returns_count=3,
                           synthesis_count=2)
    person("secretariat@example.org", Role.SECRETARIAT)
    release_page = french("inventory:release_detail", "inventaire-2025", "1.0")

    # A visitor on a phone, from the release's page to the form, the release already chosen.
    visitor = browser.new_context(locale="fr-FR", viewport=PHONE).new_page()
    visitor.goto(live_server.url + release_page)
    visitor.locator(".dataset-studies a[href*='release=']").click()
    visitor.wait_for_load_state()
    assert visitor.locator("#id_release").input_value() == "inventaire-2025/1.0"
    visitor.locator("#id_title").fill(TITLE)
    visitor.locator("#id_authors").fill("Moussa Sarr; Institut de recherche en santé (démo)")
    visitor.locator("#id_year").fill("2025")
    visitor.locator("#id_doi").fill("10.12/trop-court")
    visitor.locator("#id_email").fill(EMAIL)
    visitor.locator("main form button[type=submit]").click()
    visitor.wait_for_load_state()
    # The wrong DOI is named; nothing typed is lost.
    assert visitor.locator(".error-summary").is_visible()
    assert visitor.locator("#id_title").input_value() == TITLE
    assert visitor.locator("#id_email").input_value() == EMAIL
    assert visitor.locator("#id_release").input_value() == "inventaire-2025/1.0"
    assert no_sideways_scroll(visitor)
    visitor.screenshot(path=shots / "study-declaration-error-360.png", full_page=True)
    visitor.locator("#id_doi").fill("")
    visitor.locator("#id_link").fill("https://example.org/revues/kaffrine-2025")
    visitor.locator("main form button[type=submit]").click()
    visitor.wait_for_load_state()
    assert visitor.locator(".messages", has_text=TITLE).is_visible()
    assert StudyDeclaration.objects.get().status == "pending"

    # The secretariat accepts it from its queue.
    secretariat = logged_in_page(browser, live_server, "secretariat@example.org")
    secretariat.goto(live_server.url + french("library:study_queue"))
    entry = secretariat.locator(".study-entry", has_text=TITLE)
    assert entry.get_by_text(EMAIL).is_visible()
    assert no_sideways_scroll(secretariat)
    secretariat.screenshot(path=shots / "study-queue-360.png", full_page=True)
    entry.locator("button[value=accept]").click()
    secretariat.wait_for_load_state()
    assert StudyDeclaration.objects.get().status == "accepted"

    # Listed at once on the release's page, and in the library as a study using the inventory.
    visitor.goto(live_server.url + release_page)
    cited_by = visitor.locator(".dataset-studies")
    assert cited_by.get_by_text(TITLE).is_visible()
    assert EMAIL not in visitor.content()
    cited_by.get_by_text(TITLE).click()
    visitor.wait_for_load_state()
    assert visitor.locator("h1").inner_text() == TITLE
    assert visitor.get_by_text("Étude utilisant l’inventaire").first.is_visible()
    assert no_sideways_scroll(visitor)
    visitor.screenshot(path=shots / "study-resource-360.png", full_page=True)
