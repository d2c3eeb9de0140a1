"""Provisional figures in a real browser, JavaScript off (issue #14): while the 2025 campaign is open,
the home page and the inventory overview show the final 2024 figures first; one click on the link
opens 2025, visibly labelled provisional with its response rate."""

import pytest

from tests.browser.helpers import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_and_overview_show_the_final_year_and_label_the_provisional_one(browser, live_server,
                                                                             demo_site, shots):
    from inventory.contract.choices import ReturnState
    from inventory.models import Campaign
    from portal.reference.models import Country
    from tests.factories import MutualFactory, ReturnFactory

    senegal = Country.objects.get(code="SN")
    mutuals = [MutualFactory(country=senegal, name=f"Mutuelle de Thiès n° {n}") for n in range(4)]
    for mutual in mutuals:
        ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, status="functional",
                      members=1500, beneficiaries=6000)
    ReturnFactory(mutual=mutuals[0], year=2025, state=ReturnState.VALIDATED, status="functional",
                  members=1600, beneficiaries=6100)
    ReturnFactory(mutual=mutuals[1], year=2025, state=ReturnState.SUBMITTED, status="functional")
    Campaign.objects.create(year=2025, deadline="2026-12-31")

    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(locale="en-GB", viewport=viewport, java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{live_server.url}/en/")
        panel = page.locator("section[aria-labelledby=inventory-heading]")
        assert "Key figures for 2024 (final)" in panel.inner_text()
        assert "Key figures for 2025" not in panel.inner_text()
        page.screenshot(path=str(shots / f"provisional-home-{viewport['width']}.png"), full_page=True)

        panel.get_by_role("link", name="See the provisional figures for 2025").click()
        page.wait_for_load_state()
        assert page.url.endswith("?year=2025#key-figures")
        heading = page.locator("h2#key-figures")
        assert heading.inner_text() == "Key figures for 2025 (provisional)"
        badge = page.locator(".provisional-note .provisional-badge")
        assert badge.is_visible() and badge.inner_text().lower() == "provisional"
        assert "response rate 25.0" in page.locator(".provisional-note").inner_text()
        page.screenshot(path=str(shots / f"provisional-overview-2025-{viewport['width']}.png"),
                        full_page=True)

        # Back to the final year, one click again; the overview's own default is the final year too.
        page.get_by_role("link", name="See the final figures for 2024").click()
        page.wait_for_load_state()
        assert page.locator("h2#key-figures").inner_text() == "Key figures for 2024"
        page.goto(f"{live_server.url}/en/inventory/")
        assert page.locator("h2#key-figures").inner_text() == "Key figures for 2024"
        assert page.locator(".provisional-badge").count() == 0
        context.close()
