"""Subscribing without an account: double opt-in, no leak, bots and floods refused, one-click unsubscribe,
and the profile's newsletter part for logged-in people."""

import re
import time

import pytest
from django.core import mail
from django.test import Client
from django.utils import translation

from portal.newsletter import antispam, services
from portal.newsletter.composing import unsubscribe_token
from portal.newsletter.models import Subscriber, SubscriberState
from tests.newsletter.conftest import link_in, url

pytestmark = pytest.mark.django_db


def test_subscribing_stores_nothing_until_the_emailed_link_is_confirmed(client, subscribe):
    response = subscribe("Awa.Ndiaye@Example.org", "en")
    assert response.status_code == 302 and response["Location"] == url("newsletter:subscribe_sent")
    assert not Subscriber.objects.filter(email="awa.ndiaye@example.org").exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["awa.ndiaye@example.org"]
    assert "Confirm your subscription" in message.subject  # in the language asked for
    confirm_path = link_in(message.body, "/confirm/")
    assert confirm_path.startswith("/en/")

    page = client.get(confirm_path)  # a mail scanner opening the link subscribes nobody
    assert page.status_code == 200 and b"awa.ndiaye@example.org" in page.content
    assert not Subscriber.objects.filter(email="awa.ndiaye@example.org").exists()

    done = client.post(confirm_path)
    assert done.status_code == 200
    subscriber = Subscriber.objects.get(email="awa.ndiaye@example.org")
    assert subscriber.state == SubscriberState.CONFIRMED and subscriber.language == "en"


def test_an_expired_or_forged_confirmation_link_is_refused(client, monkeypatch):
    token = services.confirmation_token("late@example.org", "fr")
    monkeypatch.setattr(services, "CONFIRM_MAX_AGE", -1)
    response = client.post(url("newsletter:confirm", token))
    assert response.status_code == 400
    assert "expired" in response.content.decode() or "expiré" in response.content.decode()
    monkeypatch.undo()
    assert client.post(url("newsletter:confirm", token[:-2] + "xx")).status_code == 400
    assert not Subscriber.objects.filter(email="late@example.org").exists()


def test_subscribing_a_subscribed_address_tells_the_visitor_nothing(subscribe, client):
    Subscriber.objects.create(email="known@example.org", language="fr")
    known = subscribe("known@example.org")
    unknown = subscribe("unknown@example.org")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # Each address's owner gets the same confirmation e-mail; following it changes nothing harmful.
    assert sorted(m.to[0] for m in mail.outbox) == ["known@example.org", "unknown@example.org"]
    assert mail.outbox[0].subject == mail.outbox[1].subject


def test_the_form_shows_the_errors_and_keeps_what_was_typed(client, started):
    response = client.post(url("newsletter:subscribe"),
                           {"email": "not-an-address", "language": "en", "started": started})
    assert response.status_code == 400
    form = response.context["form"]
    assert "email" in form.errors
    assert 'value="not-an-address"' in response.content.decode()
    assert mail.outbox == []


def test_a_filled_honeypot_pretends_success_and_sends_nothing(subscribe):
    response = subscribe("bot@example.org", website="http://spam.example")
    assert response.status_code == 302
    assert mail.outbox == []


BROWSER = {"HTTP_ACCEPT_LANGUAGE": "fr-FR,fr;q=0.9", "HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14)"}


def _shown_form_stamp(response) -> str:
    return re.search(r'name="started" value="([^"]+)"', response.content.decode()).group(1)


def test_a_script_posting_at_once_or_without_the_form_is_refused_with_a_message(client):
    response = client.post(url("newsletter:subscribe"), {  # no browser headers, sent at once
        "email": "quick@example.org", "language": "fr", "started": antispam.started_token(time.time())})
    assert response.status_code == 400
    assert response.context["problem"]
    assert 'value="quick@example.org"' in response.content.decode()
    missing = client.post(url("newsletter:subscribe"), {"email": "quick@example.org", "language": "fr"},
                          **BROWSER)
    assert missing.status_code == 400
    assert mail.outbox == []


def test_a_form_filled_in_by_the_browser_and_sent_at_once_is_accepted(
    client, django_capture_on_commit_callbacks
):
    shown = client.get(url("newsletter:subscribe"), **BROWSER)
    with django_capture_on_commit_callbacks(execute=True):  # autofill: sent within the second
        response = client.post(url("newsletter:subscribe"), {
            "email": "autofill@example.org", "language": "fr", "website": "",
            "started": _shown_form_stamp(shown)}, **BROWSER)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["autofill@example.org"]]


def test_a_form_shown_again_after_an_error_can_be_sent_again_at_once(
    client, started, django_capture_on_commit_callbacks
):
    wrong = client.post(url("newsletter:subscribe"), {
        "email": "awa@example", "language": "fr", "website": "", "started": started})
    assert wrong.status_code == 400
    assert _shown_form_stamp(wrong) == started  # the time it was first shown, not a new one
    with django_capture_on_commit_callbacks(execute=True):  # corrected and sent at once (no browser headers)
        response = client.post(url("newsletter:subscribe"), {
            "email": "awa@example.org", "language": "fr", "website": "",
            "started": _shown_form_stamp(wrong)})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["awa@example.org"]]


def test_a_filled_honeypot_is_refused_even_from_a_browser(client, started):
    response = client.post(url("newsletter:subscribe"), {
        "email": "bot@example.org", "language": "fr", "website": "https://spam.example",
        "started": started}, **BROWSER)
    assert response.status_code == 302 and mail.outbox == []  # pretends success, sends nothing


def test_one_connection_is_throttled(subscribe, monkeypatch):
    monkeypatch.setattr(antispam, "PER_IP", (3, 3600))
    for n in range(3):
        assert subscribe(f"person{n}@example.org").status_code == 302
    refused = subscribe("person9@example.org")
    assert refused.status_code == 429
    assert len(mail.outbox) == 3


def test_one_address_gets_at_most_a_few_confirmation_emails(subscribe):
    limit = antispam.PER_ADDRESS[0]
    responses = [subscribe("target@example.org") for _ in range(limit + 2)]
    assert {r.status_code for r in responses} == {302}  # the visitor sees no difference…
    assert len(mail.outbox) == limit  # …but the address is not flooded


def test_unsubscribe_by_post_needs_no_token_nor_confirmation_page(client):
    subscriber = Subscriber.objects.create(email="leaving@example.org", language="fr")
    link = url("newsletter:unsubscribe", unsubscribe_token(subscriber))
    page = client.get(link)  # a GET changes nothing: it shows one button
    assert page.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.CONFIRMED

    mail_program = Client(enforce_csrf_checks=True)  # RFC 8058: a bare POST from the mail program
    response = mail_program.post(link, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED and subscriber.unsubscribed_at


def test_a_forged_unsubscribe_link_is_refused(client):
    subscriber = Subscriber.objects.create(email="stays@example.org", language="fr")
    forged = str(subscriber.pk) + ":forged-signature"
    assert client.post(url("newsletter:unsubscribe", forged)).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.CONFIRMED


def test_resubscribing_after_unsubscribing_works_with_the_new_language(client, subscribe):
    subscriber = Subscriber.objects.create(email="back@example.org", language="fr",
                                           state=SubscriberState.UNSUBSCRIBED)
    subscribe("back@example.org", "en")
    client.post(link_in(mail.outbox[0].body, "/confirm/"))
    subscriber.refresh_from_db()
    assert (subscriber.state, subscriber.language) == (SubscriberState.CONFIRMED, "en")


def test_a_member_subscribes_and_unsubscribes_from_the_profile(client):
    from portal.accounts.roles import Role
    from tests.factories import UserFactory

    user = UserFactory(email="member@example.org", roles=[Role.MEMBER])
    client.force_login(user)
    profile = client.get(url("accounts:profile"))
    assert "newsletter-language" in profile.content.decode()
    profile_fields = {k: v for k, v in profile.context["form"].initial.items() if isinstance(v, str)}
    saved = client.post(url("accounts:profile"), {**profile_fields, "newsletter-language": "en"})
    assert saved.status_code == 302
    subscriber = Subscriber.objects.get(email="member@example.org")
    assert (subscriber.state, subscriber.language) == (SubscriberState.CONFIRMED, "en")
    client.post(url("accounts:profile"), {**profile_fields, "newsletter-language": "none"})
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED


def test_the_archive_page_lists_the_issues_and_offers_the_form(client, issues):
    with translation.override("en"):
        response = client.get("/en/newsletter/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Newsletter No 41" in content and "Newsletter No 40" in content
    assert content.index("No 41") < content.index("No 40")
    assert 'name="email"' in content and 'name="website"' in content and 'name="started"' in content
