"""A reader on a 360 px phone types a mutual's name, then a country's, in the header's search box and
opens what is found; a French reader meets an English-only library resource: told before and after.
Screenshots in $SCREENSHOT_DIR."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import PHONE, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def header_search(page, words):
    """Type `words` in the header's search box and send them (opening the header's menu first when
    the phone layout folds the box away)."""
    box = page.locator("header #site-search")
    if not box.is_visible():
        page.locator("header .search-toggle").click()
    box.fill(words)
    box.press("Enter")
    page.wait_for_load_state()


def serious_problems(page):
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_the_header_search_finds_a_mutual_and_a_country_on_a_phone(browser, live_server, demo_site, shots):
    from portal.reference.models import Country
    from tests.factories import MutualFactory

    senegal = Country.objects.get(code="SN")
    jaboot = MutualFactory(name="Aar Sa Jaboot", acronym="ASJ", locality="Fatick", country=senegal,
                           contact_name="Ndeye Privée", contact_email="ndeye.privee@example.org")
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/")

    header_search(page, "Jaboot")
    assert "/fr/recherche/?q=Jaboot" in page.url
    page.screenshot(path=shots / "search-jaboot-fr-360.png", full_page=True)
    assert page.get_by_role("status").inner_text() == "1 résultat pour «\xa0Jaboot\xa0»"
    mutuals = page.get_by_role("region", name=re.compile("^Mutuelles"))
    assert "Privée" not in page.content() and "ndeye.privee" not in page.content()
    assert no_sideways_scroll(page)
    assert serious_problems(page) == []
    mutuals.get_by_role("link", name="Aar Sa Jaboot (ASJ)").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/fr/inventaire/mutuelles/{jaboot.mutual_id}/"
    assert "Aar Sa Jaboot" in page.locator("h1").inner_text()
    assert page.locator("html").get_attribute("lang") == "fr"

    header_search(page, "senegal")
    page.screenshot(path=shots / "search-senegal-fr-360.png", full_page=True)
    countries = page.get_by_role("region", name=re.compile("^Pays"))
    countries.get_by_role("link", name="Sénégal").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/fr/inventaire/pays/SN/"
    context.close()


def test_a_french_reader_is_told_before_and_after_opening_an_english_only_page(browser, live_server,
                                                                                demo_site, shots):
    context = browser.new_context(locale="fr-FR", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/")
    header_search(page, "migrant")
    library = page.get_by_role("region", name=re.compile("^Bibliothèque"))
    link = library.get_by_role("link", name=re.compile("Resource mobilization among migrant communities"))
    assert link.get_attribute("hreflang") == "en" and link.get_attribute("lang") == "en"
    assert "page en anglais uniquement" in library.inner_text()
    page.screenshot(path=shots / "search-english-only-fr-360.png", full_page=True)
    link.click()
    page.wait_for_load_state()
    notice = page.locator('.translation-notice[lang="fr"]')
    assert "Cette page n’existe qu’en anglais." in notice.inner_text()
    # Portuguese readers are told too, in Portuguese.
    assert "Esta página só existe em inglês." in page.locator('.translation-notice[lang="pt"]').inner_text()
    page.screenshot(path=shots / "english-only-page-360.png")
    notice.get_by_role("link", name="Retour au site en français").click()
    page.wait_for_load_state()
    assert page.url == f"{live_server.url}/fr/"
    assert page.locator("html").get_attribute("lang") == "fr"
    context.close()
