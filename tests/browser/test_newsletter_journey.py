"""A visitor subscribes to the newsletter, confirms by the e-mail's link, receives an issue, unsubscribes
by the link in it, and does not receive the next issue. The e-mails go through a real SMTP server
(aiosmtpd on a free local port); the secretariat sends from the admin, which queues the sending (run
at once by the tests' task backend, by the worker in `make run`); the cron command finds nothing left.

Screenshots go to $SCREENSHOT_DIR when set, else to the test's temporary folder.
"""

import re

import pytest
from django.core.management import call_command

from tests import smtp
from tests.browser.helpers import PHONE, logged_in_page, no_sideways_scroll, person
from tests.smtp import html_part, text_part

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
smtp_server = smtp.smtp_server  # the fixture

VISITOR = "kadiatou.visitor@example.org"


def _link(text, marker):
    match = re.search(rf"(https?://\S*{marker}\S*)", text)
    assert match, text
    return match.group(1)


def _unsubscribe_header(message) -> str:
    return str(message["List-Unsubscribe"]).strip().strip("<>")


def test_a_visitor_subscribes_confirms_receives_an_issue_and_unsubscribes(
        browser, live_server, demo_site, smtp_server, settings, shots, monkeypatch):
    from portal.accounts.roles import Role
    from portal.newsletter.models import NewsletterIssuePage, Subscriber, SubscriberState

    smtp_server.use_in(settings)
    settings.SITE_URL = settings.WAGTAILADMIN_BASE_URL = live_server.url  # e-mail links point at this server

    # The visitor subscribes on the archive page, in English, on a phone.
    context = browser.new_context(locale="en-GB", viewport=PHONE)
    page = context.new_page()
    page.goto(f"{live_server.url}/en/newsletter/")
    assert "Newsletter No 41" in page.locator("main").inner_text()
    page.locator("input[name=email]").fill(VISITOR)
    page.locator("input[name=language][value=en]").check()
    assert no_sideways_scroll(page)
    page.screenshot(path=shots / "newsletter-archive-360.png", full_page=True)
    page.locator("form.newsletter-subscribe button[type=submit]").click()
    assert "Check your inbox" in page.locator("h1").inner_text()
    assert not Subscriber.objects.filter(email=VISITOR).exists()

    # The confirmation e-mail reaches the SMTP server; the visitor follows its link.
    (confirmation,) = smtp_server.wait_for(1)
    assert smtp_server.recipients() == [VISITOR]
    page.goto(_link(text_part(confirmation), "/confirm/"))
    page.screenshot(path=shots / "newsletter-confirm-360.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    assert "will receive the next issues" in page.locator("main").inner_text()
    assert Subscriber.objects.get(email=VISITOR).state == SubscriberState.CONFIRMED

    # The secretariat sends issue No 41 from the admin: the e-mails leave (the command finds nothing more).
    person("secretariat.nl@example.org", Role.SECRETARIAT)
    admin = logged_in_page(browser, live_server, "secretariat.nl@example.org")
    issue = NewsletterIssuePage.objects.get(number=41, locale__language_code="fr")
    admin.goto(f"{live_server.url}/admin/newsletter/issue/{issue.pk}/")
    admin.locator("input[name=confirm]").check()
    admin.locator("button[value=send]").click()
    admin.screenshot(path=shots / "newsletter-admin-sent.png", full_page=True)
    call_command("send_newsletters")
    subscribers = Subscriber.objects.confirmed().count()
    smtp_server.wait_for(1 + subscribers)
    mine = [m for m in smtp_server.messages[1:] if m["To"] == VISITOR]
    assert len(mine) == 1
    issue_mail = mine[0]
    assert "Newsletter No 41" in issue_mail["Subject"] and issue_mail["Content-Language"] == "en"
    assert issue_mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header_link = _unsubscribe_header(issue_mail)
    assert header_link in text_part(issue_mail)

    # The report counts them.
    admin.reload()
    assert admin.locator("[data-count=sent]").inner_text() == str(subscribers)
    assert admin.locator("[data-count=waiting]").inner_text() == "0"
    admin.context.close()

    # The visitor opens the e-mail and clicks its unsubscribe link, then the one button.
    page.set_content(html_part(issue_mail))
    page.get_by_role("link", name="Unsubscribe in one click").click()
    page.wait_for_load_state()
    page.screenshot(path=shots / "newsletter-unsubscribe-360.png", full_page=True)
    page.locator("main form button[type=submit]").click()
    assert "will not receive the newsletter any more" in page.locator("main").inner_text()
    assert Subscriber.objects.get(email=VISITOR).state == SubscriberState.UNSUBSCRIBED

    # A mail program's RFC 8058 one-click POST works on the live server too (another subscriber).
    other = next(m for m in smtp_server.messages[1:] if m["To"] != VISITOR)
    response = page.request.post(_unsubscribe_header(other), form={"List-Unsubscribe": "One-Click"})
    assert response.ok
    assert Subscriber.objects.get(email=other["To"]).state == SubscriberState.UNSUBSCRIBED

    # Issue No 40 goes out: not to the visitor.
    before = len(smtp_server.messages)
    previous = NewsletterIssuePage.objects.get(number=40, locale__language_code="fr")
    from portal.newsletter.services import issue_send_to_subscribers

    issue_send_to_subscribers(issue=previous, user=None)
    call_command("send_newsletters")
    later = smtp_server.wait_for(before + Subscriber.objects.confirmed().count())[before:]
    assert later and VISITOR not in [m["To"] for m in later] and other["To"] not in [m["To"] for m in later]
    context.close()
