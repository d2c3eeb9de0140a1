"""A reader on a phone opens the home page, switches to English and back."""

import pytest

from portal.demo import content
from tests.browser.helpers import open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def home_titles():
    """The home page's titles: the demo's, or the skeleton's when the demo found one already there (this
    module run alone starts from the session's skeleton, not from a flushed database)."""
    from portal.home.models import HomePage

    return {home.locale.language_code: home.title for home in HomePage.objects.select_related("locale")}


def test_home_page_language_switch_round_trip(page, live_server, demo_site):
    titles = home_titles()
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/fr/"
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text() == titles["fr"]
    assert page.get_by_role("link", name="Aller au contenu").count() == 1

    page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    assert page.url == f"{live_server.url}/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == titles["en"]

    # Move to an inner page in English, then back to French: the switcher keeps the page.
    network = content.PAGES[0]
    open_menu(page)  # on a phone the menu waits behind its button
    page.get_by_role("navigation", name="Main menu").get_by_role(
        "link", name=network["en"]["title"]
    ).click()
    assert page.locator("h1").inner_text() == network["en"]["title"]
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Français").click()
    assert page.url == f"{live_server.url}/fr/{network['fr']['slug']}/"
    assert page.locator("h1").inner_text() == network["fr"]["title"]
    assert page.get_by_role("button", name="Rechercher").is_visible()


def test_pages_fit_a_320px_screen_without_sideways_scrolling(page, live_server, demo_site):
    page.set_viewport_size({"width": 320, "height": 700})
    for path in ("/fr/", f"/fr/{content.PAGES[0]['fr']['slug']}/", "/fr/comptes/inscription/"):
        page.goto(f"{live_server.url}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, path


def test_a_portuguese_reader_on_a_phone(page, live_server, demo_site, shots):
    """Issue 18: from the French home page to the Portuguese site, its menu, the network's page and the
    inventory, on a 360 px phone without sideways scrolling."""
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{live_server.url}/fr/")
    page.get_by_role("navigation", name="Langue").get_by_role("link", name="Português").click()
    assert page.url == f"{live_server.url}/pt/"
    assert page.locator("html").get_attribute("lang") == "pt"
    assert page.locator("h1").inner_text() == content.HOME["pt"]["title"]
    assert page.get_by_role("link", name="Saltar para o conteúdo").count() == 1
    page.screenshot(path=shots / "pt-home-360.png", full_page=True)

    network = content.PAGES[0]
    open_menu(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name=network["pt"]["title"]).click()
    assert page.url == f"{live_server.url}/pt/{network['pt']['slug']}/"
    assert page.locator("h1").inner_text() == network["pt"]["title"]
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=shots / "pt-network-360.png", full_page=True)

    open_menu(page)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Inventário").click()
    assert page.url == f"{live_server.url}/pt/inventario/"
    assert page.get_by_role("button", name="Pesquisar").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.screenshot(path=shots / "pt-inventory-360.png", full_page=True)
