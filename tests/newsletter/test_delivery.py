"""The delivery engine (portal/newsletter/delivery.py): each address once, batches, stale claims of dead
workers, lost claims, refusals, temporary failures and lost connections."""

import smtplib
import subprocess
import sys

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone

from portal.newsletter import delivery
from portal.newsletter.delivery import Delivery, DeliveryRecipient, Recipient, RecipientState

pytestmark = pytest.mark.django_db

KIND = "test-kind"


class ScriptedBackend(BaseEmailBackend):
    """Answers per address as `BEHAVIOUR` says: "refuse" (550), "busy" (450), "disconnect"; records
    the accepted messages and how many connections were opened."""

    BEHAVIOUR: dict[str, str] = {}
    accepted: list = []
    connections = 0

    def open(self):
        type(self).connections += 1
        return True

    def send_messages(self, messages):
        for message in messages:
            behaviour = self.BEHAVIOUR.get(message.to[0])
            if behaviour == "refuse":
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"5.1.1 unknown user")})
            if behaviour == "busy":
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (450, b"4.2.1 try later")})
            if behaviour == "disconnect":
                raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
            self.accepted.append(message.to[0])
        return len(messages)


class Kind:
    def __init__(self):
        self.failures = []
        self.skip = set()

    def compose(self, d, recipient):
        if recipient.address in self.skip:
            return None
        return EmailMessage(f"{d.payload['subject']} ({recipient.language})", "body", to=[recipient.address])

    def on_failure(self, d, recipient, error, permanent):
        self.failures.append((recipient.address, permanent))


@pytest.fixture
def kind():
    k = Kind()
    delivery.register_kind(KIND, k)
    yield k
    delivery.KINDS.pop(KIND)


@pytest.fixture
def scripted(settings):
    settings.EMAIL_BACKEND = f"{__name__}.ScriptedBackend"
    ScriptedBackend.BEHAVIOUR = {}
    ScriptedBackend.accepted = []
    ScriptedBackend.connections = 0
    return ScriptedBackend


def make(count, reference="test-1", **kwargs):
    recipients = [Recipient(f"person{n}@example.org", "fr" if n % 2 else "en") for n in range(count)]
    d, _ = delivery.delivery_create(kind=KIND, reference=reference, recipients=recipients,
                                    payload={"subject": "Hello"}, **kwargs)
    return d


def test_a_delivery_has_each_address_once_and_is_created_once(kind):
    d, created = delivery.delivery_create(kind=KIND, reference="once", payload={"subject": "x"}, recipients=[
        Recipient("A@example.org"), Recipient("a@example.org "), Recipient("b@example.org", "en")])
    assert created and sorted(d.recipients.values_list("address", flat=True)) == ["a@example.org",
                                                                                  "b@example.org"]
    again, created = delivery.delivery_create(kind=KIND, reference="once",
                                              recipients=[Recipient("c@example.org")])
    assert (again, created) == (d, False)
    assert d.recipients.count() == 2


def test_everyone_gets_one_message_in_batches_and_a_second_run_sends_nothing(kind, scripted):
    d = make(7)
    stats = delivery.send_pending(kinds=[KIND], batch_size=3)
    assert stats.sent == 7
    assert sorted(scripted.accepted) == sorted(d.recipients.values_list("address", flat=True))
    assert scripted.connections == 3  # batches of 3, 3 and 1, one connection each
    assert d.report()["sent"] == 7 and d.report()["waiting"] == 0
    assert delivery.send_pending(kinds=[KIND]).sent == 0
    assert len(scripted.accepted) == 7


def test_max_batches_stops_early_and_the_next_run_resumes(kind, scripted):
    make(5)
    assert delivery.send_pending(kinds=[KIND], batch_size=2, max_batches=1).sent == 2
    assert delivery.send_pending(kinds=[KIND], batch_size=2).sent == 3
    assert len(scripted.accepted) == len(set(scripted.accepted)) == 5


def _dead_worker() -> str:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)
    import socket

    return f"{socket.gethostname()}:{process.stdout.strip()}:dead"


def test_rows_claimed_by_a_dead_worker_are_sent_but_an_interrupted_send_is_never_repeated(kind, scripted):
    d = make(4)
    rows = list(d.recipients.order_by("pk"))
    dead, now = _dead_worker(), timezone.now()
    # The dead worker had reserved two rows, and was handing a third to the server when it died.
    DeliveryRecipient.objects.filter(pk__in=[rows[0].pk, rows[1].pk]).update(
        state=RecipientState.CLAIMED, claimed_by=dead, claimed_at=now)
    DeliveryRecipient.objects.filter(pk=rows[2].pk).update(
        state=RecipientState.SENDING, claimed_by=dead, claimed_at=now)
    stats = delivery.send_pending(kinds=[KIND])
    assert stats.released == 3 and stats.sent == 3
    assert rows[2].address not in scripted.accepted
    report = d.report()
    assert (report["sent"], report["uncertain"]) == (3, 1)
    # Someone decides a possible duplicate is better than a gap:
    assert delivery.requeue_uncertain(d) == 1
    assert delivery.send_pending(kinds=[KIND]).sent == 1


def test_claims_of_a_live_worker_are_left_alone_until_they_time_out(kind, scripted):
    d = make(2)
    live = delivery.worker_id()  # this process: alive
    d.recipients.update(state=RecipientState.CLAIMED, claimed_by=live, claimed_at=timezone.now())
    assert delivery.send_pending(kinds=[KIND]).sent == 0
    d.recipients.update(claimed_at=timezone.now() - delivery.CLAIM_TIMEOUT * 2)
    assert delivery.send_pending(kinds=[KIND]).sent == 2


def test_two_workers_never_claim_the_same_row_and_a_lost_claim_is_not_sent(kind, scripted):
    make(4)
    first = delivery._claim("host:1:a", kinds=[KIND], delivery_ids=None, batch_size=3)
    second = delivery._claim("host:2:b", kinds=[KIND], delivery_ids=None, batch_size=3)
    assert len(first) == 3 and len(second) == 1
    assert not {r.pk for r in first} & {r.pk for r in second}
    # The first worker stalls; its claim is taken over by a third one, which sends the row.
    DeliveryRecipient.objects.filter(pk=first[0].pk).update(claimed_by="host:3:c")
    stats = delivery.SendStats()
    delivery._send_batch(first, "host:1:a", stats, [0])
    assert stats.sent == 2 and first[0].address not in scripted.accepted


def test_a_refused_address_fails_at_once_and_is_reported(kind, scripted):
    d = make(3)
    scripted.BEHAVIOUR = {"person1@example.org": "refuse"}
    stats = delivery.send_pending(kinds=[KIND])
    assert (stats.sent, stats.failed) == (2, 1)
    row = d.recipients.get(address="person1@example.org")
    assert row.state == RecipientState.FAILED and "550" in row.error
    assert kind.failures == [("person1@example.org", True)]
    assert delivery.send_pending(kinds=[KIND]).sent == 0  # not retried


def test_a_temporary_refusal_is_retried_later_then_given_up(kind, scripted):
    d = make(1)
    scripted.BEHAVIOUR = {"person0@example.org": "busy"}
    assert delivery.send_pending(kinds=[KIND]).retried == 1
    row = d.recipients.get()
    assert row.state == RecipientState.PENDING and row.retry_at > timezone.now()
    assert delivery.send_pending(kinds=[KIND]).retried == 0  # not due yet
    for _ in range(delivery.MAX_ATTEMPTS):
        d.recipients.update(retry_at=timezone.now())
        delivery.send_pending(kinds=[KIND])
    row.refresh_from_db()
    assert row.state == RecipientState.FAILED and row.attempts == delivery.MAX_ATTEMPTS
    assert kind.failures == [("person0@example.org", True)]


def test_a_lost_connection_makes_that_row_uncertain_and_puts_the_rest_back(kind, scripted):
    d = make(4)
    scripted.BEHAVIOUR = {"person1@example.org": "disconnect"}
    stats = delivery.send_pending(kinds=[KIND])
    assert stats.uncertain == 1 and stats.errors
    report = d.report()
    assert (report["sent"], report["uncertain"], report["pending"]) == (1, 1, 2)
    scripted.BEHAVIOUR = {}
    assert delivery.send_pending(kinds=[KIND]).sent == 2
    assert "person1@example.org" not in scripted.accepted


def test_an_unreachable_server_leaves_everything_pending(kind, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    d = make(2)
    stats = delivery.send_pending(kinds=[KIND])
    assert stats.sent == 0 and stats.errors
    assert d.report()["pending"] == 2


def test_a_recipient_the_kind_skips_is_not_sent(kind, scripted):
    d = make(2)
    kind.skip = {"person0@example.org"}
    assert delivery.send_pending(kinds=[KIND]).skipped == 1
    assert d.report()["skipped"] == 1 and scripted.accepted == ["person1@example.org"]


def test_only_the_kinds_and_deliveries_asked_for_are_sent(kind):
    make(2, reference="a")
    other = make(2, reference="b")
    assert delivery.send_pending(kinds=["flash"]).sent == 0
    assert delivery.send_pending(kinds=[KIND], delivery_ids=[other.pk]).sent == 2
    assert Delivery.objects.get(reference="a").report()["pending"] == 2
    assert len(mail.outbox) == 2
