"""The "to do" home in a real Chromium on a 360 px phone (issue #14): a mutual manager logs in, lands
on it, sees the return to fill in with its deadline and opens the form from there.
Screenshots go to $SCREENSHOT_DIR when set (to look at them), else to the test's temporary folder."""

import datetime
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.helpers import logged_in_page, no_sideways_scroll, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_manager_lands_on_the_return_to_fill_with_its_deadline(browser, live_server, shots):
    from django.utils import timezone, translation
    from django.utils.formats import date_format

    from inventory.models import Campaign
    from portal.accounts.roles import Role
    from portal.reference.models import Country
    from tests.factories import MutualFactory

    manager = person("gerante@example.org", Role.MUTUAL_MANAGER, first_name="Awa", last_name="Diop")
    mutual = MutualFactory(name="Mutuelle de santé de Kaffrine", country=Country.objects.get(code="SN"),
                           managers=[manager])
    year = timezone.localdate().year - 1
    deadline = timezone.localdate() + datetime.timedelta(days=30)
    Campaign.objects.create(year=year, deadline=deadline)
    with translation.override("fr"):
        due = date_format(deadline, "DATE_FORMAT")

    page = logged_in_page(browser, live_server, "gerante@example.org")
    assert "/fr/comptes/a-faire/" in page.url
    assert "Connexion avec Awa Diop réussie." in page.locator("body").inner_text()  # not "gerante"
    item = page.locator(".todo-item").filter(has_text="Kaffrine")
    link = item.get_by_role("link", name=f"Remplir la déclaration {year} de Mutuelle de santé de Kaffrine")
    assert link.is_visible()
    assert f"à rendre le {due}" in item.inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "todo-manager-360.png", full_page=True)
    violations = Axe().run(page).response["violations"]
    serious = [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations
               if v["impact"] in ("serious", "critical")]
    assert serious == []

    link.click()
    page.wait_for_load_state()
    assert re.search(rf"/declarations/{mutual.mutual_id}/{year}/modifier/", page.url)
