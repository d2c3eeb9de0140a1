"""Sending an issue needs no command: the admin's click queues the sending in the transaction that
creates the delivery, and the worker sends it; the worker's schedule retries what is due every minute.

Most tests here run tasks at once (the tests' ImmediateBackend); the first one uses the real database
queue and `run_worker --batch`, as `make run` does."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.accounts.roles import Role
from portal.core.tasks import run_due
from portal.newsletter import delivery
from portal.newsletter.models import NewsletterIssuePage, Subscriber
from tests.factories import UserFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _issue():
    return NewsletterIssuePage.objects.get(number=41, locale__language_code="fr")


def _send_from_the_admin(client):
    client.force_login(UserFactory(email="secretariat@example.org", roles=[Role.SECRETARIAT]))
    issue = _issue()
    return client.post(reverse("newsletter_admin:issue", args=[issue.pk]),
                       {"action": "send", "confirm": "1"}, follow=True)


@pytest.mark.django_db(transaction=True)  # the worker commits, as in `make run`
def test_an_issue_sent_from_the_admin_goes_out_through_the_worker(client, settings, issues, readers):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = DATABASE_QUEUE
    response = _send_from_the_admin(client)
    # "… is being sent to 5 subscribers by the background worker": the admin speaks French
    assert "est en cours d’envoi à 5 abonnés, par lots, par le traitement en arrière-plan" in (
        response.content.decode())
    assert mail.outbox == []  # queued with the delivery, in the request's transaction
    queued = DBTaskResult.objects.get(task_path="portal.newsletter.tasks.send_delivery")

    call_command("run_worker", "--batch", verbosity=0)  # what `make run` starts beside the web server

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Subscriber.objects.confirmed().values_list("email", flat=True))
    assert delivery.Delivery.objects.get(kind="newsletter").report()["sent"] == 5
    assert DBTaskResult.objects.get(pk=queued.pk).status == "SUCCESSFUL"
    page = client.get(reverse("newsletter_admin:issue", args=[_issue().pk]))
    assert page.context["report"]["waiting"] == 0


@pytest.mark.django_db
def test_the_click_sends_without_any_command(client, issues, readers):
    _send_from_the_admin(client)
    assert len(mail.outbox) == Subscriber.objects.confirmed().count() == 5


@pytest.mark.django_db
def test_the_schedule_sends_what_is_due_every_minute(settings, readers):
    """A delivery created without its task (by an older version, a script, a crashed worker's leftover)
    still leaves: the worker's schedule runs `send_due_deliveries` each minute, once per minute slot."""
    from portal.newsletter.services import KIND

    subscriber = Subscriber.objects.confirmed().first()
    delivery.delivery_create(  # no task queued with it
        kind=KIND, reference="newsletter-issue-41",
        recipients=[delivery.Recipient(subscriber.email, "fr", {"subscriber": subscriber.pk})],
        payload={"messages": {"fr": {"subject": "Lettre", "text": "Bonjour", "html": "<p>Bonjour</p>"}}})
    now = timezone.now()
    assert "portal.newsletter.tasks.send_due_deliveries" in run_due(now)
    assert [m.to for m in mail.outbox if m.subject == "Lettre"] == [[subscriber.email]]
    assert "portal.newsletter.tasks.send_due_deliveries" not in run_due(now)  # this minute's slot is taken
    run_due(now + datetime.timedelta(minutes=1))
    assert len([m for m in mail.outbox if m.subject == "Lettre"]) == 1  # never twice


@pytest.mark.django_db
def test_a_large_mailing_goes_in_slices_so_other_tasks_get_their_turn(client, monkeypatch, issues, readers):
    """Each run sends a few batches then queues its follow-up (here: batches of 2, one batch a run)."""
    from django_tasks.signals import task_enqueued

    from portal.newsletter import tasks

    monkeypatch.setattr(delivery, "BATCH_SIZE", 2)
    monkeypatch.setattr(tasks, "BATCHES_PER_RUN", 1)
    queued = []

    def record(sender, task_result, **kwargs):
        queued.append(task_result.task.name)

    task_enqueued.connect(record)
    try:
        _send_from_the_admin(client)
    finally:
        task_enqueued.disconnect(record)
    assert len(mail.outbox) == 5
    assert queued.count("send_delivery") == 3  # 2 + 2 + 1 messages
