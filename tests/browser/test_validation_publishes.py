"""A validation in the browser shows at once on the country page (a visitor's page from the page cache
until then) and in the downloads."""

import csv
import io
from decimal import Decimal

import pytest

from tests.browser.helpers import logged_in_page, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def french(name, *args):
    from django.urls import reverse
    from django.utils import translation

    with translation.override("fr"):
        return reverse(name, args=args)


def synthesis_row(page, live_server, country, year):
    """The row of the current synthesis download, fetched as a visitor's browser would."""
    response = page.request.get(live_server.url + french("inventory:dataset_file", "synthesis.csv"))
    assert response.ok, response.status
    rows = csv.DictReader(io.StringIO(response.text()))
    return next((r for r in rows if r["country"] == country and r["year"] == str(year)), None)


def test_validating_a_return_updates_the_country_page_and_the_downloads(browser, live_server):
    from inventory.contract.choices import ReturnState
    from portal.accounts.roles import Role
    from portal.reference.models import Country
    from tests.factories import MutualFactory, ReturnFactory

    senegal = Country.objects.get(code="SN")
    person("point-focal@example.org", Role.FOCAL_POINT, focal_countries=["SN"])
    validated = MutualFactory(name="Mutuelle déjà validée", country=senegal)
    ReturnFactory(mutual=validated, year=2025, state=ReturnState.VALIDATED, status="functional",
                  members=1000, beneficiaries=4000, target_population=10000)
    waiting = MutualFactory(name="Mutuelle en attente", country=senegal)
    ret = ReturnFactory(mutual=waiting, year=2025, state=ReturnState.SUBMITTED, status="functional",
                        members=234, beneficiaries=900, target_population=3000,
                        contributions_collected=Decimal("1000000"))

    visitor = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 740}).new_page()
    visitor.goto(live_server.url + french("inventory:country", "SN"))
    before = visitor.locator("main").inner_text()
    assert "1\u00a0000" in before and "1\u00a0234" not in before
    assert synthesis_row(visitor, live_server, "SN", 2025)["members"] == "1000"
    visitor.reload()  # (the very first page drawn created the site's settings: a change)
    assert visitor.reload().headers["x-page-cache"] == "hit"  # the visitors' page, from the page cache

    focal = logged_in_page(browser, live_server, "point-focal@example.org")
    focal.goto(live_server.url + french("inventory:return_detail", waiting.mutual_id, 2025))
    focal.locator("form[action*='valid']").get_by_role("checkbox").check()  # "I have checked…"
    focal.locator("form[action*='valid']").get_by_role("button").click()
    ret.refresh_from_db()
    assert ret.state == ReturnState.VALIDATED

    assert visitor.reload().headers["x-page-cache"] == "miss"  # the validation dropped the stored page
    after = visitor.locator("main").inner_text()
    assert "1\u00a0234" in after  # members of the two functional mutuals together
    row = synthesis_row(visitor, live_server, "SN", 2025)
    assert (row["members"], row["mutuals_reporting"]) == ("1234", "2")
    returns = visitor.request.get(live_server.url + french("inventory:dataset_file", "returns.csv")).text()
    assert waiting.mutual_id in returns
    api = visitor.request.get(f"{live_server.url}/api/v1/inventory/synthesis?country=SN&year=2025").json()
    assert api["results"][0]["members"] == 1234
    for page in (visitor, focal):
        page.context.close()
