"""The subscribers list in the admin (Newsletter › Subscribers): who may see it, search, filters, order,
unsubscribing an address (the public unsubscribe's service) and deleting a record after a confirmation."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from portal.accounts.roles import Role
from portal.newsletter import services
from portal.newsletter.models import Subscriber, SubscriberState
from tests.factories import LOGIN_PAGES, UserFactory
from tests.newsletter.conftest import READERS

# Every test starts with five confirmed subscribers (three in French, two in English).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("readers")]

INDEX = "newsletter_subscribers:index"


@pytest.fixture
def secretariat():
    return UserFactory(email="secretariat@example.org", roles=[Role.SECRETARIAT])


@pytest.fixture
def others():
    now = timezone.now()
    return [
        Subscriber.objects.create(email="gone@example.org", state=SubscriberState.UNSUBSCRIBED,
                                  confirmed_at=now - datetime.timedelta(days=400), unsubscribed_at=now),
        Subscriber.objects.create(email="bounced@example.org", state=SubscriberState.BOUNCED, failures=2,
                                  language="en", confirmed_at=now - datetime.timedelta(days=300)),
        Subscriber.objects.create(email="newest@example.org",
                                  confirmed_at=now + datetime.timedelta(seconds=1)),
    ]


def listed(response) -> list[str]:
    assert response.status_code == 200
    return [s.email for s in response.context["object_list"]]


def test_the_secretariat_lists_every_subscriber_newest_first(client, secretariat, others):
    client.force_login(secretariat)
    response = client.get(reverse(INDEX))
    emails = listed(response)
    assert sorted(emails) == sorted([*READERS, *(s.email for s in others)])
    assert emails[0] == "newest@example.org" and emails[-1] == "gone@example.org"
    content = response.content.decode()
    for column in ("email", "language", "state", "confirmed_at", "unsubscribed_at", "failures"):
        assert f"ordering={column}" in content  # every column is there (and sortable)
    assert reverse("newsletter_subscribers:inspect", args=[others[2].pk]) in content
    assert "/new/" not in content and "/edit/" not in content  # nobody adds or edits by hand


def test_the_list_searches_by_address_and_filters_by_state_and_language(client, secretariat, others):
    client.force_login(secretariat)
    assert listed(client.get(reverse(INDEX), {"q": "ACCRA"})) == ["reader.accra@example.org"]
    assert listed(client.get(reverse(INDEX), {"state": "bounced"})) == ["bounced@example.org"]
    assert listed(client.get(reverse(INDEX), {"state": "unsubscribed"})) == ["gone@example.org"]
    english = listed(client.get(reverse(INDEX), {"language": "en"}))
    assert sorted(english) == ["bounced@example.org", "partner.geneva@example.org",
                               "reader.accra@example.org"]
    assert sorted(listed(client.get(reverse(INDEX), {"state": "confirmed", "language": "en"}))) == [
        "partner.geneva@example.org", "reader.accra@example.org"]
    # The results-only view that the search box refreshes answers too.
    results = client.get(reverse("newsletter_subscribers:index_results"), {"q": "bamako"})
    assert listed(results) == ["abonne.bamako@example.org"]


def test_the_list_is_paginated(client, secretariat):
    Subscriber.objects.bulk_create(Subscriber(email=f"s{i}@example.org") for i in range(60))
    client.force_login(secretariat)
    first = client.get(reverse(INDEX))
    assert len(listed(first)) == 50 and first.context["paginator"].count == 65
    assert len(listed(client.get(reverse(INDEX), {"p": 2}))) == 15


def test_the_newsletter_page_links_its_counts_to_the_list(client, secretariat, others):
    client.force_login(secretariat)
    content = client.get(reverse("newsletter_admin:index")).content.decode()
    for state in ("confirmed", "unsubscribed", "bounced"):
        assert f'href="{reverse(INDEX)}?state={state}"' in content
    with translation.override("en"):
        menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse(INDEX) in menu and reverse("newsletter_admin:index") in menu


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.MEMBER])
def test_focal_points_and_members_are_refused(client, others, role):
    client.force_login(UserFactory(roles=[role]))
    subscriber = others[1]
    for name, args in [(INDEX, []), ("newsletter_subscribers:index_results", []),
                       ("newsletter_subscribers:inspect", [subscriber.pk]),
                       ("newsletter_subscribers:unsubscribe", [subscriber.pk]),
                       ("newsletter_subscribers:delete", [subscriber.pk])]:
        # Wagtail's admin turns the 403 into a redirect (its home, or the login page).
        response = client.get(reverse(name, args=args))
        assert response.status_code in (302, 403), name
        assert subscriber.email not in response.content.decode()
    for name in ("newsletter_subscribers:unsubscribe", "newsletter_subscribers:delete"):
        assert client.post(reverse(name, args=[others[2].pk])).status_code in (302, 403)
    assert Subscriber.objects.get(pk=others[2].pk).state == SubscriberState.CONFIRMED
    if role == Role.FOCAL_POINT:  # in the admin, but no Newsletter menu
        home = client.get(reverse("wagtailadmin_home")).content.decode()
        assert reverse(INDEX) not in home and reverse("newsletter_admin:index") not in home


def test_an_anonymous_visitor_is_sent_to_the_login_page(others):
    anonymous = Client()
    for response in (anonymous.get(reverse(INDEX)),
                     anonymous.post(reverse("newsletter_subscribers:unsubscribe", args=[others[2].pk])),
                     anonymous.post(reverse("newsletter_subscribers:delete", args=[others[2].pk]))):
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)
    assert Subscriber.objects.filter(pk=others[2].pk, state=SubscriberState.CONFIRMED).exists()


def test_unsubscribing_from_the_admin_stops_the_issues(client, secretariat, issues):
    subscriber = Subscriber.objects.get(email="reader.accra@example.org")
    url = reverse("newsletter_subscribers:unsubscribe", args=[subscriber.pk])
    client.force_login(secretariat)
    # Offered in the list and on the detail page, for a confirmed address.
    assert url in client.get(reverse(INDEX)).content.decode()
    detail = client.get(reverse("newsletter_subscribers:inspect", args=[subscriber.pk]))
    assert url in detail.content.decode()
    assert [f["value"] for f in detail.context["fields"]][-2:] == ["—", 0]  # not unsubscribed, no failure
    # A confirmation page first: a GET changes nothing.
    page = client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert Subscriber.objects.get(pk=subscriber.pk).state == SubscriberState.CONFIRMED

    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse(INDEX)
    subscriber.refresh_from_db()
    assert subscriber.state == SubscriberState.UNSUBSCRIBED and subscriber.unsubscribed_at is not None
    assert url not in client.get(reverse(INDEX)).content.decode()  # no longer offered
    assert client.post(url).status_code == 302  # a second POST changes nothing
    assert Subscriber.objects.get(pk=subscriber.pk).unsubscribed_at == subscriber.unsubscribed_at

    sent, _ = services.issue_send_to_subscribers(issue=issues[41], user=secretariat)
    call_command("send_newsletters", "--issue", "41")
    assert "reader.accra@example.org" not in sent.recipients.values_list("address", flat=True)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(set(READERS) - {"reader.accra@example.org"})


def test_unsubscribing_from_the_admin_also_stops_an_issue_being_sent(client, secretariat, issues,
                                                                      tasks_wait_in_queue):
    sent, _ = services.issue_send_to_subscribers(issue=issues[41], user=secretariat)
    subscriber = Subscriber.objects.get(email="abonnee.dakar@example.org")
    client.force_login(secretariat)
    client.post(reverse("newsletter_subscribers:unsubscribe", args=[subscriber.pk]))
    call_command("send_newsletters", "--issue", "41")
    assert "abonnee.dakar@example.org" not in [m.to[0] for m in mail.outbox]
    assert sent.report()["skipped"] == 1


def test_delete_asks_for_confirmation_then_removes_the_record(client, secretariat, others):
    subscriber = others[0]
    url = reverse("newsletter_subscribers:delete", args=[subscriber.pk])
    client.force_login(secretariat)
    assert url in client.get(reverse(INDEX)).content.decode()
    with translation.override("en"):
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and 'method="POST"' in page.content.decode()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()  # asking deletes nothing

    response = client.post(url)
    assert response.status_code == 302
    assert not Subscriber.objects.filter(email="gone@example.org").exists()
    # The admin's history records the deletion without the address.
    entry = ModelLogEntry.objects.get(action="wagtail.delete", object_id=str(subscriber.pk),
                                      content_type__model="subscriber")
    assert entry.user == secretariat and "gone@example.org" not in entry.label
    assert client.get(url, follow=True).status_code == 404


def test_there_is_no_add_nor_edit_screen(client, secretariat):
    from django.urls import NoReverseMatch

    client.force_login(secretariat)
    for name in ("add", "edit", "copy", "history", "usage"):
        with pytest.raises(NoReverseMatch):
            reverse(f"newsletter_subscribers:{name}", args=[1] if name != "add" else [])
    response = client.get(reverse(INDEX) + "new/", follow=True)
    assert response.status_code == 404, response.redirect_chain


def test_no_public_page_shows_the_addresses(client):
    for url in ("/fr/", "/en/", "/fr/lettre-d-information/", "/fr/lettre-d-information/abonnement/"):
        response = client.get(url, follow=True)
        assert not any(email in response.content.decode() for email in READERS), url
