"""A newcomer runs the portal (DEBUG on, e-mails to the development mailbox), subscribes to the
newsletter, opens the confirmation e-mail at /dev/mail/ and follows its link; then opens an issue's
HTML version (sandboxed frame) and follows its unsubscribe link, which opens in the whole tab.

Screenshots go to $SCREENSHOT_DIR when set, else to the test's temporary folder.
"""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True),
              pytest.mark.urls("tests.core.dev_mailbox_urls")]  # the URLs of DEBUG, /dev/mail/ included

VISITOR = "moussa.newcomer@example.org"


def test_a_newcomer_reads_the_mails_in_the_browser_and_follows_their_links(
        browser, live_server, demo_site, settings, tmp_path, shots, monkeypatch):
    from portal.newsletter.models import NewsletterIssuePage, Subscriber, SubscriberState
    from portal.newsletter.services import issue_send_to_subscribers

    settings.DEBUG = True
    settings.EMAIL_BACKEND = "portal.core.mailbox.MailboxBackend"
    settings.MAILBOX_DIR = tmp_path / "mailbox"
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url  # as make run's PORT gives

    context = browser.new_context(locale="en-GB", viewport={"width": 1024, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/en/newsletter/")
    page.locator("input[name=email]").fill(VISITOR)
    page.locator("input[name=language][value=en]").check()
    page.locator("form.newsletter-subscribe button[type=submit]").click()
    assert "Check your inbox" in page.locator("h1").inner_text()

    # The mailbox lists the message, its subject decoded; the message shows its text with the link.
    page.goto(f"{live_server.url}/dev/mail/")
    row = page.locator("tbody tr").first
    assert VISITOR in row.inner_text()
    subject = row.locator("a").inner_text()
    assert "=?utf-8?" not in subject and subject.strip()
    page.screenshot(path=shots / "dev-mailbox-list.png", full_page=True)
    row.locator("a").click()
    assert page.locator("h1").inner_text() == subject
    page.screenshot(path=shots / "dev-mailbox-message.png", full_page=True)
    confirm = page.locator("pre.dev-mailbox-text a").filter(has_text=re.compile("/confirm/"))
    assert confirm.get_attribute("href").startswith(f"{live_server.url}/en/")  # the port it runs on
    confirm.click()
    page.locator("main form button[type=submit]").click()
    assert "will receive the next issues" in page.locator("main").inner_text()
    assert Subscriber.objects.get(email=VISITOR).state == SubscriberState.CONFIRMED

    # An issue goes out (the task runs at once in the tests); its HTML version is in a sandboxed frame.
    issue_send_to_subscribers(issue=NewsletterIssuePage.objects.get(number=41, locale__language_code="fr"),
                              user=None)
    page.goto(f"{live_server.url}/dev/mail/")
    page.locator("tbody tr").filter(has_text=VISITOR).filter(has_text="No 41").locator("a").click()
    frame = page.frame_locator("iframe.dev-mailbox-html")
    assert "Newsletter No 41" in frame.locator("body").inner_text()
    page.screenshot(path=shots / "dev-mailbox-html.png", full_page=True)
    frame.get_by_role("link", name="Unsubscribe in one click").click()
    page.wait_for_url(re.compile(r"/en/newsletter/"))  # the whole tab, not the frame
    page.locator("main form button[type=submit]").click()
    assert "will not receive the newsletter any more" in page.locator("main").inner_text()
    assert Subscriber.objects.get(email=VISITOR).state == SubscriberState.UNSUBSCRIBED
    context.close()
