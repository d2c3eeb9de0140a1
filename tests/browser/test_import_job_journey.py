"""The secretariat's inventory upload in a real Chromium with JavaScript turned off: the upload leads to
the job's page, which reloads itself (`<meta http-equiv="refresh">`, allowed by the site's
Content-Security-Policy) while the import runs and shows the report once it is done."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests.browser.helpers import logged_in_page, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_upload_s_page_follows_the_import_without_javascript(browser, live_server, shots):
    from inventory.models import ImportJob, YearlyReturn
    from portal.accounts.roles import Role
    from tests.inventory.test_uploads import good_rows, inventory_csv

    secretary = person("secretariat@example.org", Role.SECRETARIAT)
    page = logged_in_page(browser, live_server, "secretariat@example.org", javascript=False)
    with translation.override("fr"):
        upload_url = live_server.url + reverse("inventory:import_upload")
    page.goto(upload_url)
    page.locator("input[name=file]").set_input_files(
        {"name": "inventaire.csv", "mimeType": "text/csv", "buffer": inventory_csv(good_rows()).read()})
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    job = ImportJob.objects.get()
    assert re.search(rf"/inventaire/importer/{job.public_id}/$", page.url)
    assert page.locator(".upload-report").is_visible()
    assert YearlyReturn.objects.count() == 3
    page.screenshot(path=str(shots / "import-job-done.png"), full_page=True)

    # An import still running: the page reloads itself until the report is there.
    running = ImportJob.objects.create(user=secretary, file_name="grand.csv", state="running",
                                       phase="reading", rows_done=1500)
    with translation.override("fr"):
        page.goto(live_server.url + reverse("inventory:import_job", args=[running.public_id]))
    assert page.locator("progress").count() == 1 and page.locator(".upload-report").count() == 0
    page.screenshot(path=str(shots / "import-job-running.png"), full_page=True)
    ImportJob.objects.filter(pk=running.pk).update(state="done", phase="finished", report={
        "mutuals_created": 0, "mutuals_updated": 0, "returns_created": 0, "returns_updated": 0,
        "returns_unchanged": 7, "dry_run": False, "warnings": []})
    page.locator(".upload-report").wait_for(timeout=8000)  # the next reload, within two seconds or so
    assert page.locator("progress").count() == 0
    assert "7" in page.locator(".upload-report table").first.inner_text()
