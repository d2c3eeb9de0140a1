"""The campaign e-mails (`send_reminders`): invitations and reminders sent once, never twice, only
the latest due, none after submitting or closing; in the reader's language, with a working link; the
log row written before the e-mail goes, failures recorded and retried for a day; a dry run."""

import datetime
import re
import smtplib
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.formats import date_format

from inventory.campaign.schedule import campaign_close, campaign_open, send_due_messages
from inventory.contract.choices import ReturnState
from inventory.models import Campaign, CampaignMessage, SupportingOrganization
from portal.accounts.roles import Role
from tests.factories import MutualFactory, ReturnFactory, UserFactory
from tests.inventory import campaigns
from tests.inventory.campaigns import DAY, TODAY, YEAR

pytestmark = pytest.mark.django_db
# The fixture of the campaign tests (tests/inventory/campaigns.py): a secretariat member.
secretariat = campaigns.secretariat

Kind = CampaignMessage.Kind


@pytest.fixture
def people():
    """Reporters in French, in English, in Portuguese and a supporting organization's
    staff member; a mutual nobody reports for and one that has submitted already."""
    fr = UserFactory(username="awa", roles=[Role.MUTUAL_MANAGER], languages=["fr", "en"])
    en = UserFactory(username="john", roles=[Role.MUTUAL_MANAGER], languages=["en"], first_name="John")
    pt = UserFactory(username="ana", roles=[Role.MUTUAL_MANAGER], languages=["pt", "en"])
    staff = UserFactory(username="appui", roles=[Role.SUPPORTING_ORGANIZATION], languages=[])
    organization = SupportingOrganization.objects.create(name="Appui Santé")
    organization.staff.add(staff)
    thies = MutualFactory(name="Mutuelle de Thiès", managers=[fr])
    kolda = MutualFactory(name="Mutuelle de Kolda", managers=[en, pt])
    kolda.supporting_organizations.add(organization)
    orphan = MutualFactory(name="Mutuelle sans gérant")
    done = MutualFactory(name="Mutuelle exemplaire", managers=[UserFactory(roles=[Role.MUTUAL_MANAGER])])
    ReturnFactory(mutual=done, year=YEAR, state=ReturnState.SUBMITTED)
    draft = ReturnFactory(mutual=thies, year=YEAR, state=ReturnState.DRAFT)
    return {"fr": fr, "en": en, "pt": pt, "staff": staff, "thies": thies, "kolda": kolda,
            "orphan": orphan, "done": done, "draft": draft}


@pytest.fixture
def campaign(secretariat):
    return campaign_open(year=YEAR, deadline=TODAY + 30 * DAY, message="Les chiffres de l'année, svp.",
                         user=secretariat)


def run(day=None, *options):
    out = StringIO()
    args = [*options] + (["--date", day.isoformat()] if day else [])
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_invitations_go_once_to_every_reporter_of_mutuals_still_to_report(people, campaign):
    output = run()
    addresses = sorted(m.to[0] for m in mail.outbox)
    assert addresses == sorted(people[k].email for k in ("fr", "en", "pt", "staff"))
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert "invitation: 2" in output
    assert "without a reporter (no e-mail): 1: " + people["orphan"].mutual_id in output
    rows = CampaignMessage.objects.filter(campaign=campaign)
    assert {(r.mutual, r.kind) for r in rows} == {(people["thies"], Kind.INVITATION),
                                                  (people["kolda"], Kind.INVITATION)}
    assert all(r.sent_at and not r.error for r in rows)
    assert sorted(rows.get(mutual=people["kolda"]).recipients) == sorted(
        people[k].email for k in ("en", "pt", "staff"))

    run()
    run()
    assert len(mail.outbox) == 4


def test_reminders_around_the_deadline_never_twice_and_only_the_latest_due(people, campaign):
    run()
    mail.outbox.clear()
    deadline = campaign.deadline
    thies, kolda = people["thies"].mutual_id, people["kolda"].mutual_id

    def sent_on(day):
        """The addresses e-mailed on `day`, the command running twice (the hourly cron)."""
        mail.outbox.clear()
        run(day)
        run(day)
        return sorted(m.to[0] for m in mail.outbox)

    everyone = sorted(people[k].email for k in ("fr", "en", "pt", "staff"))
    assert sent_on(deadline - 15 * DAY) == []
    assert sent_on(deadline - 14 * DAY) == everyone
    reminder = ("reminder", "rappel", "lembrete")  # English, French, Portuguese
    assert all(any(word in m.subject.lower() for word in reminder) for m in mail.outbox)
    assert sent_on(deadline - 13 * DAY) == []
    assert sent_on(deadline - 4 * DAY) == []
    # Kolda submits: no more reminders for it; Thiès's return is still a draft.
    ReturnFactory(mutual=people["kolda"], year=YEAR, state=ReturnState.SUBMITTED)
    assert sent_on(deadline - 3 * DAY) == [people["fr"].email]
    assert sent_on(deadline) == []
    assert sent_on(deadline + DAY) == [people["fr"].email]
    assert "overdue" in mail.outbox[0].subject or "retard" in mail.outbox[0].subject
    assert sent_on(deadline + 20 * DAY) == []
    logged = sorted(CampaignMessage.objects.values_list("mutual__mutual_id", "kind"))
    assert logged == sorted([
        (thies, Kind.INVITATION), (thies, Kind.REMINDER_14), (thies, Kind.REMINDER_3),
        (thies, Kind.OVERDUE), (kolda, Kind.INVITATION), (kolda, Kind.REMINDER_14),
    ])
    assert all(r.sent_at for r in CampaignMessage.objects.all())


def test_a_mutual_past_several_reminder_dates_gets_only_the_latest(people, campaign):
    run()
    mail.outbox.clear()
    run(campaign.deadline + 2 * DAY)
    kinds = set(CampaignMessage.objects.exclude(kind=Kind.INVITATION).values_list("kind", flat=True))
    assert kinds == {Kind.OVERDUE}
    assert len(mail.outbox) == 4
    mail.outbox.clear()
    run(campaign.deadline + 3 * DAY)
    assert mail.outbox == []


def test_a_campaign_opened_close_to_its_deadline_sends_no_invitation_and_reminder_together(people,
                                                                                         secretariat):
    campaign = campaign_open(year=YEAR, deadline=TODAY + 10 * DAY, message="", user=secretariat)
    run()
    run()
    assert set(CampaignMessage.objects.values_list("kind", flat=True)) == {Kind.INVITATION}
    run(campaign.deadline - 3 * DAY)
    assert set(CampaignMessage.objects.values_list("kind", flat=True)) == {Kind.INVITATION,
                                                                         Kind.REMINDER_3}


def test_no_reminder_to_mutuals_that_submitted_nor_after_closing(people, campaign, secretariat):
    run()
    assert people["done"].managers.get().email not in {m.to[0] for m in mail.outbox}
    ReturnFactory(mutual=people["kolda"], year=YEAR, state=ReturnState.VALIDATED)
    people["draft"].state = ReturnState.RETURNED  # sent back to the mutual: still needs a reminder
    people["draft"].save()
    mail.outbox.clear()
    run(campaign.deadline - 14 * DAY)
    assert {m.to[0] for m in mail.outbox} == {people["fr"].email}

    campaign_close(campaign=campaign, user=secretariat)
    mail.outbox.clear()
    output = run(campaign.deadline + 5 * DAY)
    assert mail.outbox == []
    assert "No open campaign" in output
    assert send_due_messages(campaign, today=campaign.deadline + 5 * DAY).closed


def test_each_message_is_in_the_readers_language_with_a_working_link(client, people, campaign):
    run()
    by_address = {m.to[0]: m for m in mail.outbox}
    english = by_address[people["en"].email]
    french = by_address[people["fr"].email]
    portuguese_reader = by_address[people["pt"].email]
    no_language = by_address[people["staff"].email]
    assert english.subject == (
        f"[Concertation] Inventory {YEAR}: please update the figures of Mutuelle de Kolda"
    )
    assert english.extra_headers["Content-Language"] == "en"
    assert portuguese_reader.subject == (
        f"[Concertation] Inventário {YEAR}: atualize os números de Mutuelle de Kolda"
    )
    assert portuguese_reader.extra_headers["Content-Language"] == "pt"
    for message in french, no_language:
        assert message.extra_headers["Content-Language"] == "fr"
    assert "Hello John Diop," in english.body
    assert "Les chiffres de l'année, svp." in english.body  # the secretariat's message
    deadline = campaign.deadline
    with translation.override("en"):
        assert date_format(deadline, "DATE_FORMAT") in english.body

    with translation.override("pt"):
        assert date_format(deadline, "DATE_FORMAT") in portuguese_reader.body

    for message, language, mutual in [(english, "en", people["kolda"]), (french, "fr", people["thies"]),
                                      (portuguese_reader, "pt", people["kolda"])]:
        links = re.findall(r"https?://\S+", message.body)
        assert len(links) == 1
        link = urlparse(links[0])
        assert link.netloc == "testserver" and link.path.startswith(f"/{language}/")
        with translation.override(language):
            match = resolve(link.path)
        assert (match.namespace, match.url_name) == ("inventory", "return_edit")
        assert match.kwargs == {"mutual_id": mutual.mutual_id, "year": YEAR}
        reader = {"en": people["en"], "fr": people["fr"], "pt": people["pt"]}[language]
        client.force_login(reader)
        assert client.get(link.path).status_code == 200


class FailingConnection:
    """A mail connection whose every send fails, as an unreachable or refusing SMTP server would."""

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        raise smtplib.SMTPRecipientsRefused({m.to[0]: (550, b"no such user") for m in messages})


class CheckingConnection:
    """A mail connection that checks the message's log row is committed before each e-mail goes."""

    def __init__(self):
        self.seen = []

    def open(self):
        return True

    def close(self):
        pass

    def send_messages(self, messages):
        logged = CampaignMessage.objects.values_list("recipients", flat=True)
        for message in messages:
            assert any(message.to[0] in recipients for recipients in logged)
            self.seen.append(message.to[0])
        return len(messages)


def test_the_log_row_is_written_before_the_e_mail_goes(people, campaign):
    connection = CheckingConnection()
    report = send_due_messages(campaign, today=TODAY, connection=connection)
    assert report.sent[Kind.INVITATION] == 2
    assert len(connection.seen) == 4


def test_a_message_another_run_has_taken_is_not_sent_again(people, campaign):
    # Another run wrote Thiès's invitation row and is sending it (or died while sending it).
    CampaignMessage.objects.create(campaign=campaign, mutual=people["thies"], kind=Kind.INVITATION)
    run()
    assert people["fr"].email not in {m.to[0] for m in mail.outbox}
    assert len(mail.outbox) == 3


def test_a_failed_send_is_recorded_retried_for_a_day_then_given_up(people, campaign):
    report = send_due_messages(campaign, today=TODAY, connection=FailingConnection())
    assert report.total_sent == 0
    assert sorted(f[0] for f in report.failures) == sorted([people["thies"].mutual_id,
                                                            people["kolda"].mutual_id])
    rows = CampaignMessage.objects.filter(kind=Kind.INVITATION)
    assert rows.count() == 2
    assert all(r.sent_at is None and "550" in r.error for r in rows)
    assert mail.outbox == []

    # The next run, within the day: tried again and sent, once.
    thies_row = rows.get(mutual=people["thies"])
    CampaignMessage.objects.filter(mutual=people["kolda"]).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    output = run()
    assert [m.to[0] for m in mail.outbox] == [people["fr"].email]
    thies_row.refresh_from_db()
    assert thies_row.sent_at and thies_row.error == ""
    # Kolda's failed a day ago: given up, still listed as failed on the campaign page.
    assert "invitation: 1" in output
    kolda_row = rows.get(mutual=people["kolda"])
    assert kolda_row.sent_at is None and kolda_row.error
    run()
    assert len(mail.outbox) == 1
    # ...but Kolda's next reminder still goes when it is due.
    run(campaign.deadline - 14 * DAY)
    assert people["en"].email in {m.to[0] for m in mail.outbox}


def test_an_unreachable_mail_server_stops_the_run_before_anything_is_recorded(people, campaign):
    class Unreachable(FailingConnection):
        def open(self):
            raise ConnectionRefusedError("connection refused")

    report = send_due_messages(campaign, today=TODAY, connection=Unreachable())
    assert "mail server unreachable" in report.failures[0][2]
    assert not CampaignMessage.objects.exists()
    run()
    assert len(mail.outbox) == 4


def test_a_partial_failure_is_recorded_and_not_retried():
    class RefusesJohn(CheckingConnection):
        def send_messages(self, messages):
            if messages[0].to[0].startswith("john"):
                raise smtplib.SMTPRecipientsRefused({"john@example.org": (550, b"no")})
            return super().send_messages(messages)

    john = UserFactory(username="john", roles=[Role.MUTUAL_MANAGER])
    awa = UserFactory(username="awa", roles=[Role.MUTUAL_MANAGER])
    mutual = MutualFactory(managers=[john, awa])
    campaign = Campaign.objects.create(year=YEAR, deadline=TODAY + 30 * DAY)
    report = send_due_messages(campaign, today=TODAY, connection=RefusesJohn())
    row = CampaignMessage.objects.get(mutual=mutual)
    assert row.sent_at is not None and "john@example.org" in row.error
    assert report.sent[Kind.INVITATION] == 1 and len(report.failures) == 1
    run()
    assert mail.outbox == []  # Awa had it; a retry would send it to her twice


def test_dry_run_lists_and_sends_nothing(people, campaign):
    output = run(None, "--dry-run")
    assert "dry run" in output
    assert f"would send invitation to {people['kolda'].mutual_id}" in output
    assert mail.outbox == [] and not CampaignMessage.objects.exists()


def test_the_command_without_campaign_and_with_a_bad_date():
    assert "No open campaign" in run()
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--date", "31/12/2025", stdout=StringIO())
