"""Sending an issue: the admin screens (who may), the test send, the delivery to confirmed subscribers in
their language, the message itself (parts, headers, links), the command, bounces and the report."""

import smtplib

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale, PageViewRestriction

from portal.accounts.roles import Role
from portal.newsletter import delivery, services
from portal.newsletter.models import NewsletterIssuePage, Subscriber, SubscriberState
from portal.newsletter.panels import published_since
from tests.factories import LOGIN_PAGES, UserFactory
from tests.newsletter.conftest import READERS

pytestmark = pytest.mark.django_db

SUBSCRIBERS = len(READERS)  # three in French, two in English


@pytest.fixture
def issue(issues, readers):
    """Issue No 41 (No 40 before it), and five confirmed subscribers."""
    return issues[41]


@pytest.fixture
def secretariat():
    return UserFactory(email="secretariat@example.org", roles=[Role.SECRETARIAT])


def admin_url(issue):
    return reverse("newsletter_admin:issue", args=[issue.pk])


def test_the_issue_is_a_web_page_with_its_sections_in_each_language(client, issue):
    french = client.get(issue.url)
    assert french.status_code == 200
    content = french.content.decode()
    assert "négocier avec les prestataires" in content
    assert "Calculer la cotisation" in content  # a resource chosen in the sections
    english = client.get(issue.get_translation(Locale.objects.get(language_code="en")).url)
    assert "Newsletter No 41" in english.content.decode()


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.MEMBER])
def test_only_the_secretariat_may_test_or_send(client, issue, role):
    client.force_login(UserFactory(roles=[role]))
    # Refused: Wagtail's admin turns the 403 into a redirect to its home (with a message), or to the
    # login page for people without access to the admin.
    for action in ("test", "send"):
        response = client.post(admin_url(issue), {"action": action, "confirm": "1"})
        assert response.status_code == 302 and response["Location"] != admin_url(issue)
    assert client.get(reverse("newsletter_admin:index")).status_code == 302
    assert client.get(admin_url(issue)).status_code == 302
    assert mail.outbox == [] and not delivery.Delivery.objects.exists()


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, issue):
    response = Client().post(admin_url(issue), {"action": "send", "confirm": "1"})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    assert not delivery.Delivery.objects.exists()


def test_the_test_send_goes_to_the_sender_alone_in_both_languages(client, issue, secretariat):
    client.force_login(secretariat)
    response = client.post(admin_url(issue), {"action": "test"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["secretariat@example.org"]] * 2
    subjects = sorted(m.subject for m in mail.outbox)
    assert any("n° 41" in s for s in subjects) and any("No 41" in s for s in subjects)
    assert not delivery.Delivery.objects.exists()


def test_sending_needs_the_confirmation_box_and_happens_once(client, issue, secretariat):
    client.force_login(secretariat)
    client.post(admin_url(issue), {"action": "send"})
    assert not delivery.Delivery.objects.exists()
    response = client.post(admin_url(issue), {"action": "send", "confirm": "1"}, follow=True)
    client.post(admin_url(issue), {"action": "send", "confirm": "1"})  # a second click, a replayed POST
    sent = delivery.Delivery.objects.get()
    assert sent.recipients.count() == SUBSCRIBERS
    # The click queued the sending (run at once by the tests' task backend): no command was run, and
    # each subscriber got the issue once.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Subscriber.objects.confirmed().values_list("email", flat=True))
    assert "est en cours d’envoi à 5 abonnés" in response.content.decode()  # the admin speaks French
    assert response.context["report"]["sent"] == SUBSCRIBERS


def test_the_delivery_holds_confirmed_subscribers_only_each_in_their_language(issue, secretariat):
    Subscriber.objects.create(email="gone@example.org", state=SubscriberState.UNSUBSCRIBED)
    Subscriber.objects.create(email="bounced@example.org", state=SubscriberState.BOUNCED)
    d, created = services.issue_send_to_subscribers(issue=issue, user=secretariat)
    languages = dict(d.recipients.values_list("address", "language"))
    assert created and "gone@example.org" not in languages and "bounced@example.org" not in languages
    assert languages["reader.accra@example.org"] == "en" and languages["abonnee.dakar@example.org"] == "fr"


def test_each_subscriber_gets_html_and_text_in_their_language_with_one_click_unsubscribe(issue, secretariat):
    services.issue_send_to_subscribers(issue=issue, user=secretariat)
    call_command("send_newsletters", "--issue", "41")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Subscriber.objects.confirmed().values_list("email", flat=True))
    english = next(m for m in mail.outbox if m.to == ["reader.accra@example.org"])
    french = next(m for m in mail.outbox if m.to == ["abonnee.dakar@example.org"])
    assert "No 41" in english.subject and "n° 41" in french.subject
    assert english.extra_headers["Content-Language"] == "en"
    html, mimetype = english.alternatives[0]
    assert mimetype == "text/html" and "Newsletter No 41" in html and "<h2" in html
    assert "negotiating with care providers" in english.body.lower()
    link = english.extra_headers["List-Unsubscribe"].strip("<>")
    assert english.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in english.body and link in html.replace("&amp;", "&")
    assert link.startswith("http://testserver/en/")
    # The mail program's one-click POST unsubscribes.
    mail_program = Client(enforce_csrf_checks=True)
    mail_program.post(link.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"})
    assert Subscriber.objects.get(email="reader.accra@example.org").state == SubscriberState.UNSUBSCRIBED
    # Links inside the issue are absolute.
    assert 'href="/' not in html


def test_the_inventory_figures_go_out_with_the_issue_and_stay_on_its_page(client, issue, secretariat):
    from tests.factories import MutualFactory, ReturnFactory

    ReturnFactory(mutual=MutualFactory(), year=2025, state="validated", status="functional", members=1234)
    d, _ = services.issue_send_to_subscribers(issue=issue, user=secretariat)
    figures = d.payload["figures"]["fr"]
    assert figures["year"] == 2025
    assert "Key figures for 2025" in d.payload["messages"]["en"]["text"]
    page = client.get(issue.url).content.decode()
    assert "2025" in page


def test_an_issue_sent_during_a_campaign_gives_the_final_year_and_links_the_provisional_one(client, issue,
                                                                                          secretariat):
    import datetime

    from inventory.models import Campaign
    from tests.factories import MutualFactory, ReturnFactory

    mutuals = [MutualFactory(), MutualFactory()]
    for mutual in mutuals:
        ReturnFactory(mutual=mutual, year=2024, state="validated", status="functional", members=1000)
    ReturnFactory(mutual=mutuals[0], year=2025, state="validated", status="functional", members=600)
    Campaign.objects.create(year=2025, deadline=datetime.date.today() + datetime.timedelta(days=30))
    d, _ = services.issue_send_to_subscribers(issue=issue, user=secretariat)
    assert d.payload["figures"]["en"]["year"] == 2024 and not d.payload["figures"]["en"]["provisional"]
    text = d.payload["messages"]["en"]["text"]
    assert "Key figures for 2024 (final):" in text and "Key figures for 2025" not in text
    assert "See the provisional figures for 2025 (response rate so far 50.0\u00a0%): http" in text
    assert "?year=2025#key-figures" in d.payload["messages"]["en"]["html"]
    # The issue's web page (French) says the same, with the figures that went out.
    page = client.get(issue.url).content.decode()
    assert "/fr/inventaire/?year=2025#key-figures" in page and "Chiffres clés 2024 (définitifs)" in page


def test_a_subscriber_refused_in_two_issues_is_bounced_and_gets_nothing_more(issues, readers, secretariat,
                                                                            settings):
    from tests.newsletter.test_delivery import ScriptedBackend

    settings.EMAIL_BACKEND = "tests.newsletter.test_delivery.ScriptedBackend"
    ScriptedBackend.BEHAVIOUR = {"abonne.bamako@example.org": "refuse"}
    ScriptedBackend.accepted = []
    services.issue_send_to_subscribers(issue=issues[41], user=secretariat)
    call_command("send_newsletters")
    services.issue_send_to_subscribers(issue=issues[40], user=secretariat)
    call_command("send_newsletters")
    subscriber = Subscriber.objects.get(email="abonne.bamako@example.org")
    assert subscriber.state == SubscriberState.BOUNCED and subscriber.failures == services.BOUNCE_LIMIT
    assert ScriptedBackend.accepted.count("abonnee.dakar@example.org") == 2
    assert smtplib.SMTPRecipientsRefused  # the backend raises what Django's SMTP backend raises


def test_someone_who_unsubscribes_during_the_sending_is_skipped_and_counted(client, issue, secretariat,
                                                                           tasks_wait_in_queue):
    d, _ = services.issue_send_to_subscribers(issue=issue, user=secretariat)
    assert mail.outbox == []  # queued, not sent yet
    services.newsletter_unsubscribe(subscriber=Subscriber.objects.get(email="abonnee.dakar@example.org"))
    call_command("send_newsletters")
    assert "abonnee.dakar@example.org" not in [m.to[0] for m in mail.outbox]
    client.force_login(secretariat)
    page = client.get(admin_url(issue))
    report = page.context["report"]
    assert (report["sent"], report["skipped"], report["waiting"]) == (SUBSCRIBERS - 1, 1, 0)
    assert page.context["unsubscribed_since"] == 1
    assert client.get(reverse("newsletter_admin:index")).status_code == 200


def test_the_command_says_when_an_issue_was_not_sent(issue):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_newsletters", "--issue", "99")


def test_the_editor_is_offered_what_was_published_since_the_previous_issue(issue):
    from library.models import ResourcePage

    since, previous, pages = published_since(issue)
    assert previous.number == 40 and since.date() == previous.issue_date
    assert all(p.first_published_at >= since for p in pages)
    assert all(p.locale_id == issue.locale_id for p in pages)
    french_resources = ResourcePage.objects.live().filter(locale=issue.locale)
    assert french_resources and {r.pk for r in french_resources} <= {p.pk for p in pages}  # published today
    assert not any(isinstance(p.specific, NewsletterIssuePage) for p in pages)


def test_a_members_only_page_is_neither_linked_nor_offered_in_an_issue(client, issue, secretariat):
    from library.models import ResourcePage

    resource = ResourcePage.objects.get(locale=issue.locale, title__contains="Calculer la cotisation")
    PageViewRestriction.objects.create(page=resource, restriction_type=PageViewRestriction.LOGIN)
    assert resource.title not in client.get(issue.url).content.decode()
    assert resource.pk not in {page.pk for page in published_since(issue)[2]}
    services.issue_send_to_subscribers(issue=issue, user=secretariat)
    call_command("send_newsletters", "--issue", "41")
    french = next(m for m in mail.outbox if m.to == ["abonnee.dakar@example.org"])
    assert resource.title not in french.body and resource.title not in french.alternatives[0][0]
    assert "négocier avec les prestataires" in french.body.lower()  # the rest of the issue is there


def test_the_issue_editor_shows_the_panel(client, issue, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk]))
    assert response.status_code == 200
    assert "Calculer la cotisation" in response.content.decode()
    assert admin_url(issue) in response.content.decode()  # the "Send / report" button


def test_a_new_issue_can_be_composed_with_the_panel(client, issue, secretariat):
    client.force_login(secretariat)
    archive = issue.get_parent()
    response = client.get(reverse("wagtailadmin_pages:add",
                                  args=["newsletter", "newsletterissuepage", archive.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "depuis le numéro 41" in content  # the latest issue is the previous one of a new issue
    assert "Calculer la cotisation" in content


def test_the_plain_text_part_keeps_paragraphs_lists_and_link_addresses():
    from portal.newsletter.composing import html_to_text

    text = html_to_text('<p>One &amp; <b>two</b>.</p><p>See <a href="http://x.example/a">this</a>.</p>'
                        "<ul><li>first</li><li>second</li></ul>")
    assert text == "One & two.\n\nSee this (http://x.example/a).\n\n- first\n- second"
