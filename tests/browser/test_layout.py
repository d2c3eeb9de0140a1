"""The portal's frame on every screen: a header that leaves a phone's first screen to the page (at most
200 of 800 px, a quarter), menus and search that open without JavaScript, a desktop header in order from
1024 to 1920 px, and key figures that neither overflow their card nor break across lines, nor push the
page sideways, from 320 to 1920 px."""

import pytest

from tests.browser.helpers import logged_in_page, open_menu, person, validated_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_SCREEN = {"width": 360, "height": 800}
WIDTHS = [320, 360, 768, 1024, 1280, 1440, 1920]
HEADER_BUDGET = 200  # px: a quarter of a 360 x 800 phone's first screen


@pytest.fixture
def inventory_figures(demo_site):
    validated_figures()


def header_height(page) -> float:
    return page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")


def test_the_header_takes_at_most_a_quarter_of_a_phone_screen(browser, live_server, demo_site):
    from portal.accounts.roles import Role

    person("gerant@example.org", Role.MUTUAL_MANAGER)
    person("secretariat@example.org", Role.SECRETARIAT)  # the longest account menu: with the dashboard
    heights = {}
    context = browser.new_context(locale="fr-FR", viewport=PHONE_SCREEN)
    visitor = context.new_page()
    pages = [visitor] + [logged_in_page(browser, live_server, email, viewport=PHONE_SCREEN)
                         for email in ("gerant@example.org", "secretariat@example.org")]
    for who, page in zip(("visitor", "manager", "secretariat"), pages, strict=True):
        for path in ("/fr/", "/en/inventory/countries/SN/", "/fr/bibliotheque/"):
            page.goto(f"{live_server.url}{path}")
            heights[who, path] = header_height(page)
            # Search and the other language are one tap away, in the bar itself.
            french = "/fr/" in path
            header = page.get_by_role("banner")
            assert header.get_by_role("button", name="Rechercher" if french else "Search").is_visible()
            languages = header.get_by_role("navigation", name="Langue" if french else "Language")
            assert languages.get_by_role("link", name="English" if french else "Français").is_visible()
        page.context.close()
    assert {key: h for key, h in heights.items() if h > HEADER_BUDGET} == {}
    # Well under the budget: one bar.
    assert max(heights.values()) < 100


def test_the_menu_and_the_search_open_without_javascript(browser, live_server, demo_site):
    context = browser.new_context(locale="fr-FR", viewport=PHONE_SCREEN, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/fr/")
    library = page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Bibliothèque")
    assert not library.is_visible()
    page.get_by_role("button", name="Menu").click()
    assert library.is_visible()
    account = page.get_by_role("navigation", name="Votre compte")
    assert account.get_by_role("link", name="Se connecter").is_visible()
    assert header_height(page) <= HEADER_BUDGET  # the menu opens over the page, the bar stays one bar
    library.click()
    assert page.locator("h1").inner_text() == "Bibliothèque"

    page.get_by_role("banner").get_by_role("button", name="Rechercher").click()
    field = page.get_by_role("searchbox", name="Rechercher sur le site")
    assert field.is_visible()
    field.fill("mutuelle")
    field.press("Enter")
    assert "/fr/recherche/?q=mutuelle" in page.url
    context.close()


def test_the_desktop_header_shows_its_menus_in_order(browser, live_server, demo_site):
    from portal.accounts.roles import Role

    person("secretariat@example.org", Role.SECRETARIAT)
    visitor = browser.new_context(locale="fr-FR").new_page()
    secretariat = logged_in_page(browser, live_server, "secretariat@example.org")
    for page in (visitor, secretariat):
        for width in (1024, 1280, 1920):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server.url}/fr/inventaire/")
            assert not page.locator(".header-toggle").first.is_visible()
            for name in ("Menu principal", "Votre compte", "Langue"):
                assert page.get_by_role("navigation", name=name).is_visible(), (width, name)
            assert page.locator("#site-search").is_visible()
            boxes = page.evaluate("""() => ['.brand', '.search-form', '.languages', '.account-nav',
                '.main-nav'].map(s => document.querySelector(s).getBoundingClientRect())
                .map(r => [r.left, r.top, r.right, r.bottom])""")
            overlapping = [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                           if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1]
            assert overlapping == [], width
            assert header_height(page) < 220, width
        page.context.close()


FIGURES_FIT = """() => [...document.querySelectorAll('.figures strong, .figure strong')].map(strong => {
    const card = strong.closest('li, p').getBoundingClientRect(), box = strong.getBoundingClientRect();
    const text = document.createRange(); text.selectNodeContents(strong);
    const lines = new Set([...text.getClientRects()].map(r => Math.round(r.top))).size;
    return {text: strong.textContent, lines, clipped: strong.scrollWidth > strong.clientWidth,
            outside: box.right > card.right + 0.5 || box.left < card.left - 0.5};
  }).filter(f => f.lines > 1 || f.outside || f.clipped)"""


def test_key_figures_fit_their_cards_from_320_to_1920_px(browser, live_server, inventory_figures):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    problems = {}
    for path in ("/fr/", "/en/", "/fr/inventaire/", "/en/inventory/", "/fr/inventaire/pays/SN/"):
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            page.goto(f"{live_server.url}{path}")
            assert page.locator(".figures strong").count() >= 4, path
            wrong = page.evaluate(FIGURES_FIT)
            sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if wrong or sideways > 0:
                problems[path, width] = (wrong, sideways)
    context.close()
    assert problems == {}


def test_the_figures_are_grouped_with_non_breaking_spaces(page, live_server, inventory_figures):
    page.goto(f"{live_server.url}/fr/inventaire/pays/SN/")
    shown = page.locator(".key-figures strong").all_inner_texts()
    assert "1\u00a0062\u00a0218" in shown
    page.goto(f"{live_server.url}/fr/")
    assert "+\u00a0de\u00a01\u00a0300" in page.locator(".figures strong").all_inner_texts()


def test_the_menu_opens_on_the_phones_of_logged_in_people(browser, live_server, demo_site):
    from portal.accounts.roles import Role

    person("gerant@example.org", Role.MUTUAL_MANAGER)
    page = logged_in_page(browser, live_server, "gerant@example.org", javascript=False, viewport=PHONE_SCREEN)
    page.goto(f"{live_server.url}/fr/")
    open_menu(page)
    page.get_by_role("link", name="Mes mutuelles").click()
    assert page.locator("h1").is_visible()
    open_menu(page)
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_load_state()
    open_menu(page)
    assert page.get_by_role("link", name="Se connecter").is_visible()
    page.context.close()
