"""The secretariat starts a new issue from the admin's Newsletter page: the "new issue" button opens the
editor with the next number filled in (the field labelled "Numéro"), an attempt left as a draft blocks
nothing, and before sending, the screen says which language each subscriber will receive.

Screenshots go to $SCREENSHOT_DIR when set, else to the test's temporary folder.
"""

import pytest

from tests.browser.helpers import admin_page, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_starts_an_issue_with_the_next_number_and_sees_who_gets_which_language(
        browser, live_server, shots):
    from portal.accounts.roles import Role
    from portal.newsletter.models import NewsletterIssuePage
    from tests.factories import SubscriberFactory, newsletter_issue, site_skeleton_after_flush

    site_skeleton_after_flush()
    newsletter_issue(41)
    for email, language in (("a@example.org", "fr"), ("b@example.org", "fr"), ("c@example.org", "en")):
        SubscriberFactory(email=email, language=language)
    person("secretariat@example.org", Role.SECRETARIAT)

    admin = admin_page(browser, live_server, "secretariat@example.org")
    admin.goto(f"{live_server.url}/admin/newsletter/")
    admin.screenshot(path=shots / "admin-newsletter-index.png", full_page=True)
    with admin.expect_navigation():
        admin.get_by_role("link", name="Nouveau numéro (n° 42)").click()
    number = admin.get_by_role("spinbutton", name="Numéro")
    assert number.input_value() == "42"
    admin.locator("#id_title").fill("La Lettre n° 42 : essai abandonné")
    admin.locator("#id_title").press("Tab")  # the slug follows the title
    admin.screenshot(path=shots / "admin-new-issue.png", full_page=False)
    with admin.expect_navigation():
        admin.get_by_role("button", name="Enregistrer le brouillon").click()
    # Wait for the editor's confirmation that the draft is saved before reading the database.
    admin.locator(".messages .success").first.wait_for()
    admin.screenshot(path=shots / "admin-new-issue-saved.png", full_page=False)
    draft = NewsletterIssuePage.objects.get(number=42)
    assert not draft.live
    # The other actions, in French: "Soumettre au secrétariat", not "Soumettre à Moderators approval".
    admin.locator("footer [data-w-dropdown-target=toggle], footer .dropdown-toggle").first.click()
    assert admin.get_by_role("button", name="Soumettre au secrétariat").is_visible()
    admin.screenshot(path=shots / "admin-new-issue-actions.png", full_page=False)

    # The draft is abandoned: the next attempt is offered No 42 all the same.
    admin.goto(f"{live_server.url}/admin/newsletter/")
    assert admin.get_by_role("link", name="Nouveau numéro (n° 42)").is_visible()

    # No 41 exists only in French now: the send screen says the English reader gets French.
    english = NewsletterIssuePage.objects.get(number=41, locale__language_code="en")
    english.unpublish()
    french = NewsletterIssuePage.objects.get(number=41, locale__language_code="fr")
    admin.goto(f"{live_server.url}/admin/newsletter/issue/{french.pk}/")
    warning = admin.locator(".help-warning")
    assert "l’abonné qui lit en anglais le recevra en français" in warning.inner_text()
    assert admin.locator("td[data-count=fr]").inner_text() == "2"
    admin.screenshot(path=shots / "admin-send-plan.png", full_page=True)
    admin.context.close()
