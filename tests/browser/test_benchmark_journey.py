"""A manager whose return the focal point validates opens the peer benchmark from the e-mail's link:
the login page first, then the report with n for every peer group, on a 360 px phone and on paper."""

import io
import re

import pytest
from django.core import mail

from tests.browser.helpers import DESKTOP, logged_in_page, no_sideways_scroll, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def french(name, *args):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        return reverse(name, args=args)


def test_a_validated_manager_opens_the_benchmark_from_the_email(browser, live_server, settings, shots):
    from axe_playwright_python.sync_playwright import Axe
    from pypdf import PdfReader

    from inventory.contract.choices import ReturnState
    from portal.accounts.roles import Role
    from tests.factories import MutualFactory, ReturnFactory

    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url  # the e-mail's links point here
    manager = person("gerante@example.org", Role.MUTUAL_MANAGER)
    person("point-focal@example.org", Role.FOCAL_POINT, focal_countries=["SN"])
    mutual = MutualFactory(name="Mutuelle de Ndiamaguène", managers=[manager])
    figures = {"status": "functional", "members": 500, "beneficiaries": 2000, "target_population": 20000,
               "contributions_due": 1000}
    ReturnFactory(mutual=mutual, year=2025, state=ReturnState.SUBMITTED, contributions_collected=600,
                  **figures)
    for collected in (650, 700, 750, 800, 850):  # five Senegalese peers, validated already
        ReturnFactory(mutual=MutualFactory(), year=2025, state=ReturnState.VALIDATED,
                      contributions_collected=collected, **figures)
    ReturnFactory(mutual=MutualFactory(country__code="ML"), year=2025, state=ReturnState.VALIDATED,
                  contributions_collected=900, **figures)

    focal = logged_in_page(browser, live_server, "point-focal@example.org")
    focal.goto(live_server.url + french("inventory:return_detail", mutual.mutual_id, 2025))
    focal.locator("form[action*='valid']").get_by_role("checkbox").check()  # "I have checked…"
    focal.locator("form[action*='valid']").get_by_role("button").click()
    focal.wait_for_load_state()
    focal.context.close()

    message = next(m for m in mail.outbox if m.to == [manager.email])
    links = re.findall(rf"{re.escape(live_server.url)}/\S+", message.body)
    return_url = live_server.url + french("inventory:return_detail", mutual.mutual_id, 2025)
    link = next(found for found in links if found != return_url)  # the other link: the benchmark
    assert link == live_server.url + french("inventory:return_benchmark", mutual.mutual_id, 2025)

    # The link opens the login page (the manager is not logged in on this phone), then the report.
    page = logged_in_page(browser, live_server, manager.email, start=link.removeprefix(live_server.url))
    assert page.url == link
    assert page.locator("h1").inner_text().startswith("Mutuelle de Ndiamaguène")
    table = page.locator("table.benchmark")
    collection = table.locator("tbody tr").nth(3)
    assert "60,0 %" in collection.locator("[data-group=own]").inner_text()
    country = collection.locator("[data-group=country]").inner_text()
    assert "72,5 %" in country and "n = 6" in country  # the six Senegalese, the manager's included
    assert "n = 7" in collection.locator("[data-group=network]").inner_text()
    for group in ("mutual_type", "size_band"):  # the same figures in every column of the example
        assert "n = 7" in collection.locator(f"[data-group={group}]").inner_text()
    groups = page.locator(".benchmark-groups li")
    assert groups.count() == 4
    assert all(re.search(r"\b[67]\b", groups.nth(i).inner_text()) for i in range(4))  # n of each group
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "benchmark-phone.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []

    # The public profile shows the same comparison, and leads to the report.
    page.goto(live_server.url + french("inventory:mutual_detail", mutual.mutual_id))
    peers = page.locator("#peers ~ .table-wrap table.benchmark")
    assert "n = 6" in peers.locator("tbody tr").nth(3).locator("[data-group=country]").inner_text()
    assert no_sideways_scroll(page)
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    page.locator(f"a[href='{link.removeprefix(live_server.url)}']").click()
    assert page.url == link

    # On paper: one A4 page, the site's header and footer left out.
    page.set_viewport_size(DESKTOP)
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible() and not page.locator(".site-footer").is_visible()
    page.screenshot(path=shots / "benchmark-print.png", full_page=True)
    pdf = page.pdf(format="A4")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Mutuelle de Ndiamaguène" in text and "n = 6" in text
    page.context.close()
