"""The knowledge map on a 360 px phone in every language of the site: the themes overview (its matrix
scrolls inside its own box, never the page) and a theme's page; no serious axe-core problem, a matrix
cell opens the theme's page for that country. Screenshots in $SCREENSHOT_DIR."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.browser.helpers import PHONE, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_theme_pages_fit_a_phone_in_every_language(browser, live_server, demo_site, shots):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    axe = Axe()
    problems = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            overview = reverse("themes:overview")
            financing = reverse("themes:detail", args=["financing"])
        for name, path in (("overview", overview), ("financing", financing)):
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, path
            assert page.locator("html").get_attribute("lang") == language
            page.screenshot(path=str(shots / f"themes-{name}-{language}.png"), full_page=True)
            serious = [f"{v['id']}: {v['help']}" for v in axe.run(page).response["violations"]
                       if v["impact"] in ("serious", "critical")]
            if not no_sideways_scroll(page) or serious:
                problems[path] = serious or "sideways scroll"
        # The theme's page announces its feeds.
        assert page.locator('link[rel="alternate"][type="application/atom+xml"]').count() == 1
        # The matrix is wider than the phone: it scrolls inside its box.
        page.goto(f"{live_server.url}{overview}")
        box = page.locator(".theme-matrix")
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
        cell = page.locator(".theme-matrix tbody tr").first.locator("td a").first
        href = cell.get_attribute("href")
        cell.scroll_into_view_if_needed()
        cell.click()
        page.wait_for_load_state()
        assert page.url.endswith(href) and "?country=" in href
        assert page.locator("h1").count() == 1
    context.close()
    assert problems == {}
