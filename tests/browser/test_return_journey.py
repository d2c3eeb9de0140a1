"""The yearly return's round trip in a real Chromium on a 360 px phone screen.

A mutual manager logs in, finds the form pre-filled from last year, saves a draft, sees a warning,
explains it and submits; the focal point returns it with a comment; the manager corrects and
resubmits; the focal point reads the figures, then validates below them through the confirmation; the
public profile shows the new figures.
Screenshots go to $SCREENSHOT_DIR when set (to look at them), else to the test's temporary folder.
"""

import re
from decimal import Decimal

import pytest

from tests.browser.helpers import PHONE, logged_in_page, no_sideways_scroll, open_menu, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_return_round_trip_between_manager_and_focal_point(browser, live_server, shots):
    from inventory.contract.choices import ReturnState
    from inventory.models import Campaign, YearlyReturn
    from portal.accounts.roles import Role
    from portal.reference.models import Country
    from tests.factories import MutualFactory, ReturnFactory

    senegal = Country.objects.get(code="SN")
    manager = person("gerant@example.org", Role.MUTUAL_MANAGER)
    person("point-focal@example.org", Role.FOCAL_POINT, focal_countries=["SN"])
    mutual = MutualFactory(name="Mutuelle de santé de Thiès", country=senegal, managers=[manager])
    ReturnFactory(
        mutual=mutual, year=2024, state=ReturnState.VALIDATED, status="functional",
        target_population=20000, members=1500, beneficiaries=6000, membership_unit="family",
        contributions_due=Decimal("9000000"), contributions_collected=Decimal("7200000"), currency="XOF",
    )
    Campaign.objects.create(year=2025, deadline="2026-03-31")

    # The manager finds the year to fill in and a form pre-filled from last year.
    page = logged_in_page(browser, live_server, "gerant@example.org")
    open_menu(page)
    page.get_by_role("link", name="Mes mutuelles").click()
    page.get_by_role("link", name=re.compile("2025")).click()
    members = page.get_by_label("Adhérents", exact=True)
    assert members.input_value() == "1\u00a0500"
    assert "2024" in page.locator("#id_members_previous").inner_text()
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "return-form-360.png", full_page=True)

    # A draft with a figure tripled since last year, typed the French way.
    members.fill("4 800")
    page.get_by_label("Bénéficiaires (adhérents et ayants droit)").fill("19 000")
    page.get_by_role("button", name="Enregistrer et continuer").click()
    assert page.get_by_role("heading", name="Produit").is_visible()
    ret = YearlyReturn.objects.get(mutual=mutual, year=2025)
    assert (ret.state, ret.members, ret.beneficiaries) == ("draft", 4800, 19000)
    page.get_by_role("button", name="Enregistrer et relire").click()

    # The warning asks for a comment; submitting without one is refused, with one it goes.
    warnings = page.locator("section.warnings")
    assert "1500" in warnings.inner_text().replace("\u00a0", "").replace(" ", "")
    page.screenshot(path=shots / "return-warnings-360.png", full_page=True)
    warnings.get_by_role("button").click()
    assert page.get_by_role("alert").first.is_visible()
    for box in page.locator("section.warnings textarea").all():
        box.fill("Adhésion collective d'une coopérative de maraîchers.")
    page.locator("section.warnings").get_by_role("button").click()
    assert page.locator(".state").first.inner_text() == "Soumise" or \
        YearlyReturn.objects.get(pk=ret.pk).state == ReturnState.SUBMITTED
    assert YearlyReturn.objects.get(pk=ret.pk).state == ReturnState.SUBMITTED
    detail_url = page.url

    # The focal point returns it with a comment.
    focal = logged_in_page(browser, live_server, "point-focal@example.org")
    focal.goto(detail_url)
    focal.locator("textarea[name=comment]").fill("Merci de préciser le nombre de bénéficiaires.")
    focal.locator("form[action*='send-back'], form[action*='renvoyer']").get_by_role("button").click()
    assert YearlyReturn.objects.get(pk=ret.pk).state == ReturnState.RETURNED

    # The manager sees the comment, corrects and resubmits.
    page.goto(detail_url)
    assert "Merci de préciser le nombre de bénéficiaires." in page.locator("main").inner_text()
    page.screenshot(path=shots / "return-returned-360.png", full_page=True)
    page.locator("a.button").first.click()
    page.get_by_label("Bénéficiaires (adhérents et ayants droit)").fill("18 500")
    page.get_by_role("button", name="Enregistrer et relire").click()
    page.locator("section.warnings").get_by_role("button").click()
    assert YearlyReturn.objects.get(pk=ret.pk).state == ReturnState.SUBMITTED

    # The focal point reads the figures, then decides below them: the breadcrumb leads back to the
    # country's returns to review; validating asks to confirm, beside what becomes public.
    focal.goto(detail_url)
    assert "state=submitted" in focal.locator("nav.breadcrumb a").get_attribute("href")
    figures = focal.locator("table.return-table").last.bounding_box()
    validate = focal.locator("form[action*='valid']")
    send_back = focal.locator("form[action*='send-back'], form[action*='renvoyer']")
    for decision in (validate, send_back):
        assert figures["y"] + figures["height"] <= decision.bounding_box()["y"]
    assert no_sideways_scroll(focal)
    validate.get_by_role("button").click()  # without ticking the confirmation: nothing is published
    assert YearlyReturn.objects.get(pk=ret.pk).state == ReturnState.SUBMITTED
    validate = focal.locator("form[action*='valid']")
    assert validate.locator(".error").first.is_visible()
    focal.screenshot(path=shots / "return-review-confirm-360.png", full_page=True)
    validate.get_by_role("checkbox").check()
    validate.get_by_role("button").click()
    assert YearlyReturn.objects.get(pk=ret.pk).state == ReturnState.VALIDATED
    visitor = browser.new_context(locale="fr-FR", viewport=PHONE).new_page()
    visitor.goto(f"{live_server.url}/fr/inventaire/mutuelles/{mutual.mutual_id}/")
    profile = visitor.locator("main").inner_text()
    assert "(2025)" in profile and "18\u00a0500" in profile and "4\u00a0800" in profile
    assert no_sideways_scroll(visitor)
    visitor.screenshot(path=shots / "profile-360.png", full_page=True)
    for context in (page.context, focal.context, visitor.context):
        context.close()
