"""A project profile's supported mutuals in a real browser at 360 px, JavaScript off (issue 17): the
list, the chart, the table behind a click, and the CSV downloaded from the link."""

import pytest

from tests.browser.helpers import PHONE, no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_reads_the_supported_mutuals_figures_and_downloads_them(browser, live_server, demo_site,
                                                                        shots):
    from library.models import ProjectProfilePage
    from portal.directory.models import ProjectSupportedMutual
    from portal.reference.models import Country
    from tests.factories import MutualFactory, ReturnFactory

    mali = Country.objects.get(code="ML")
    mutuals = [MutualFactory(country=mali, name=f"Mutuelle de Sikasso n° {n}") for n in range(3)]
    for year in range(2019, 2025):
        for n, mutual in enumerate(mutuals):
            ReturnFactory(mutual=mutual, year=year, state="validated", status="functional",
                          members=800 + 100 * n + 50 * (year - 2019), beneficiaries=3200 + 300 * n,
                          target_population=30000, contributions_due=3_000_000,
                          contributions_collected=2_000_000 + 100_000 * n, benefits_paid=1_500_000)
    project = ProjectProfilePage.objects.get(ref="demo-project-utm")
    project.supported_mutuals = [ProjectSupportedMutual(mutual=mutual, since=2019, sort_order=n)
                                 for n, mutual in enumerate(mutuals)]
    project.save_revision().publish()

    context = browser.new_context(locale="en-GB", viewport=PHONE, java_script_enabled=False,
                                  accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server.url}{project.url}")
    section = page.locator("section#inventory")
    assert section.locator("h2").inner_text() == "The supported mutuals in the inventory"
    assert section.locator(".project-mutuals li").count() == 3
    assert section.locator("svg[role=img]").count() == 2 and section.locator("svg").first.is_visible()
    section.locator("summary", has_text="The figures in a table").click()
    rows = section.locator(".chart-data tbody tr")
    assert rows.count() == 6 and rows.first.locator("td").first.inner_text() == "2019"
    assert no_sideways_scroll(page)
    # The KPIs typed by hand are still there, after the inventory's figures.
    assert page.locator("#kpi-heading").is_visible()
    section.screenshot(path=str(shots / "project-mutuals-360.png"))

    with page.expect_download() as download:
        section.get_by_role("link", name="Download these figures (CSV)").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    assert download.value.suggested_filename == f"project-{project.slug}-inventory.csv"
    assert lines[0].startswith("year,mutuals_known,mutuals_reporting") and len(lines) == 7
    context.close()
