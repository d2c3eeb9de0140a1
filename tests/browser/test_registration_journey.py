"""A mutual signs up and is approved, and the uploads, in a real Chromium on a 360 px phone screen.

Screenshots go to $SCREENSHOT_DIR when set (to look at them), else to the test's temporary folder.
"""

import io

import pytest

from tests.browser.helpers import logged_in_page, no_sideways_scroll, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_mutual_signs_up_and_the_focal_point_approves_it(browser, live_server, shots):
    from inventory.contract.choices import RegistrationState
    from inventory.models import Mutual
    from portal.accounts.roles import Role
    from portal.reference.models import Country
    from tests.factories import MutualFactory

    senegal = Country.objects.get(code="SN")
    MutualFactory(name="Mutuelle de santé de Fandène", country=senegal)
    registrant = person("gerante@example.org", Role.MEMBER)
    person("point-focal@example.org", Role.FOCAL_POINT, focal_countries=["SN"])

    page = logged_in_page(browser, live_server, "gerante@example.org")
    page.goto(f"{live_server.url}/fr/inventaire/inscriptions/nouvelle/")
    page.locator("[name=name]").fill("Mutuelle de santé de Fandene")
    page.locator("[name=country]").select_option("SN")
    page.locator("[name=year_created]").fill("2999")
    page.locator("[name=mutual_type]").select_option("community")
    page.locator("[name=contact_name]").fill("Awa Ndiaye")
    page.locator("[name=contact_phone]").fill("+221 77 123 45 67")
    page.locator("form.registration-form button[type=submit]").click()
    # The year is refused, with the field named; what was typed is still there.
    assert page.locator(".error-summary").is_visible()
    assert page.locator("[name=contact_name]").input_value() == "Awa Ndiaye"
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "sign-up-errors-360.png", full_page=True)
    page.locator("[name=year_created]").fill("2004")
    page.locator("form.registration-form button[type=submit]").click()
    # A very similar name in Senegal: confirm it is another mutual.
    assert page.locator(".registration-similar").is_visible()
    page.screenshot(path=shots / "sign-up-similar-360.png", full_page=True)
    page.locator("[name=confirm_distinct]").check()
    page.locator("form.registration-form button[type=submit]").click()
    mutual = Mutual.objects.get(name="Mutuelle de santé de Fandene")
    assert mutual.registration_state == RegistrationState.PENDING and mutual.registered_by == registrant
    assert "Mutuelle de santé de Fandene" in page.locator("main").inner_text()

    focal = logged_in_page(browser, live_server, "point-focal@example.org")
    focal.goto(f"{live_server.url}/fr/inventaire/inscriptions/en-attente/")
    assert "Mutuelle de santé de Fandène" in focal.locator(".registration-similar").inner_text()
    assert no_sideways_scroll(focal)
    focal.screenshot(path=shots / "sign-up-queue-360.png", full_page=True)
    focal.locator("button[value=approve]").click()
    mutual.refresh_from_db()
    assert mutual.registration_state == RegistrationState.APPROVED

    page.reload()
    assert "Approuvée" in page.locator("main").inner_text()  # the registrant reads it in French
    for context in (page.context, focal.context):
        context.close()


def test_a_manager_uploads_the_offline_form(browser, live_server, shots):
    from openpyxl import load_workbook

    from inventory.models import YearlyReturn
    from portal.accounts.roles import Role
    from portal.reference.models import Country
    from tests.factories import MutualFactory

    manager = person("gerant@example.org", Role.MUTUAL_MANAGER)
    mutual = MutualFactory(country=Country.objects.get(code="SN"), managers=[manager])
    page = logged_in_page(browser, live_server, "gerant@example.org")
    page.goto(f"{live_server.url}/fr/inventaire/declarations/{mutual.mutual_id}/2025/envoyer-le-formulaire/")
    assert no_sideways_scroll(page)
    with page.expect_download() as download:
        page.locator("a[download]").click()
    assert download.value.suggested_filename == f"{mutual.mutual_id}-2025.xlsx"
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    sheet = book["return"]
    header = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=header.index("members") + 1, value="1 250")
    sheet.cell(row=2, column=header.index("status") + 1, value="functional")
    data = io.BytesIO()
    book.save(data)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "form.xlsx", "mimeType": "application/octet-stream", "buffer": data.getvalue()}]
    )
    page.locator("main form button[type=submit]").click()
    ret = YearlyReturn.objects.get(mutual=mutual, year=2025)
    assert (ret.state, ret.members, ret.status) == ("draft", 1250, "functional")
    page.screenshot(path=shots / "offline-form-uploaded-360.png", full_page=True)
    page.context.close()
