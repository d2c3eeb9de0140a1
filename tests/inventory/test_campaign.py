"""The yearly campaign: who is expected to report, opening and closing (every role, crafted POSTs),
and the campaign e-mails (sent once, never twice, in the reader's language, with a working link)."""

import datetime
import re
import smtplib
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import resolve, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from inventory.campaign.schedule import (
    campaign_close,
    campaign_open,
    expected_mutuals,
    reporters,
    reporters_by_mutual,
    send_due_messages,
)
from inventory.contract.choices import RegistrationState, ReturnState
from inventory.models import Campaign, CampaignMessage, SupportingOrganization
from portal.accounts.roles import Role
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = TODAY.year - 1
DAY = datetime.timedelta(days=1)
Kind = CampaignMessage.Kind


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"inventory:{name}", args=args)


@pytest.fixture
def secretariat():
    return UserFactory(roles=[Role.SECRETARIAT])


# --- Who is expected -------------------------------------------------------------------------

def test_expected_mutuals_follow_the_contracts_mutuals_known_rule():
    ml = CountryFactory(code="ML")
    expected = {
        "no creation year": MutualFactory(year_created=None),
        "created that year": MutualFactory(year_created=YEAR),
        "created before": MutualFactory(year_created=YEAR - 5),
        "closed the same year": MutualFactory(),
        "closed but not validated": MutualFactory(),
        "closed later": MutualFactory(),
        "in Mali": MutualFactory(country=ml),
    }
    not_expected = {
        "created after": MutualFactory(year_created=YEAR + 1),
        "pending": MutualFactory(registration_state=RegistrationState.PENDING),
        "rejected": MutualFactory(registration_state=RegistrationState.REJECTED),
        "closed before": MutualFactory(),
    }
    ReturnFactory(mutual=not_expected["closed before"], year=YEAR - 2, state=ReturnState.VALIDATED,
                  status="closed")
    ReturnFactory(mutual=expected["closed the same year"], year=YEAR, state=ReturnState.VALIDATED,
                  status="closed")
    ReturnFactory(mutual=expected["closed but not validated"], year=YEAR - 1,
                  state=ReturnState.SUBMITTED, status="closed")
    ReturnFactory(mutual=expected["closed later"], year=YEAR + 1, state=ReturnState.VALIDATED,
                  status="closed")

    assert set(expected_mutuals(YEAR)) == set(expected.values())
    assert set(expected_mutuals(YEAR, countries=["ML"])) == {expected["in Mali"]}
    # The mutual closed in YEAR - 2 was still expected for that year.
    assert not_expected["closed before"] in expected_mutuals(YEAR - 2)


def test_reporters_are_active_managers_and_supporting_staff_with_an_address():
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    gone = UserFactory(roles=[Role.MUTUAL_MANAGER], is_active=False)
    staff = UserFactory(roles=[Role.SUPPORTING_ORGANIZATION])
    organization = SupportingOrganization.objects.create(name="Appui Santé")
    organization.staff.add(staff)
    mutual = MutualFactory(managers=[manager, gone])
    mutual.supporting_organizations.add(organization)
    other = MutualFactory(managers=[UserFactory()])

    assert list(reporters(mutual)) == sorted([manager, staff], key=lambda u: u.pk)
    by_mutual = reporters_by_mutual([mutual.pk, other.pk, MutualFactory().pk])
    assert by_mutual[mutual.pk] == list(reporters(mutual))
    assert by_mutual[other.pk] == list(reporters(other))
    assert len(by_mutual) == 2  # the mutual nobody reports for is absent


# --- Opening and closing ---------------------------------------------------------------------

@pytest.mark.parametrize("role", list(Role))
def test_only_the_secretariat_opens_and_closes_a_campaign(role):
    user = user_with_role(role, **({"focal_countries": ["SN"]} if role == Role.FOCAL_POINT else {}))
    if role == Role.SECRETARIAT:
        campaign = campaign_open(year=YEAR, deadline=TODAY + 30 * DAY, message="", user=user)
        assert campaign.opened_by == user
        campaign_close(campaign=campaign, user=user)
        campaign.refresh_from_db()
        assert campaign.closed_by == user and campaign.closed_at is not None
        return
    with pytest.raises(PermissionDenied):
        campaign_open(year=YEAR, deadline=TODAY + 30 * DAY, message="", user=user)
    campaign = Campaign.objects.create(year=YEAR, deadline=TODAY + 30 * DAY)
    with pytest.raises(PermissionDenied):
        campaign_close(campaign=campaign, user=user)
    campaign.refresh_from_db()
    assert campaign.is_open


def test_one_campaign_per_year_and_one_open_at_a_time(secretariat):
    with translation.override("en"):  # the messages asserted are the English ones
        first = campaign_open(year=YEAR - 1, deadline=TODAY, message=" Merci ! ", user=secretariat)
        assert first.message == "Merci !"
        with pytest.raises(ValidationError) as error:
            campaign_open(year=YEAR, deadline=TODAY + 30 * DAY, message="", user=secretariat)
        assert "still open" in str(error.value.message_dict["year"])
        campaign_close(campaign=first, user=secretariat)
        with pytest.raises(ValidationError, match="already closed"):
            campaign_close(campaign=first, user=secretariat)
        with pytest.raises(ValidationError) as error:
            campaign_open(year=YEAR - 1, deadline=TODAY + 30 * DAY, message="", user=secretariat)
        assert "already a campaign" in str(error.value.message_dict["year"])
        with pytest.raises(ValidationError) as error:
            campaign_open(year=YEAR, deadline=TODAY - DAY, message="", user=secretariat)
        assert "deadline" in error.value.message_dict
        for year in (1997, TODAY.year + 1):
            with pytest.raises(ValidationError) as error:
                campaign_open(year=year, deadline=TODAY + DAY, message="", user=secretariat)
            assert "year" in error.value.message_dict
        assert campaign_open(year=YEAR, deadline=TODAY + DAY, message="", user=secretariat).year == YEAR


def test_the_campaign_page_is_the_secretariats(client):
    campaigns_url = url("campaigns")
    response = client.get(campaigns_url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    for role in (Role.AUTHENTICATED, Role.MEMBER, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION,
                 Role.FOCAL_POINT):
        user = UserFactory(roles=[role] if role != Role.AUTHENTICATED else [], focal_countries=["SN"])
        client.force_login(user)
        assert client.get(campaigns_url).status_code == 403, role
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    response = client.get(campaigns_url)
    assert response.status_code == 200
    assert "Open a campaign" in response.content.decode()


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.MUTUAL_MANAGER, Role.SUPPORTING_ORGANIZATION,
                                  Role.MEMBER, Role.AUTHENTICATED, Role.VISITOR])
def test_crafted_campaign_posts_by_anyone_else_change_nothing(client, role):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    MutualFactory(managers=[manager])
    campaign = Campaign.objects.create(year=YEAR, deadline=TODAY + 30 * DAY)
    if role != Role.VISITOR:
        user = UserFactory(roles=[role] if role != Role.AUTHENTICATED else [], focal_countries=["SN"])
        client.force_login(user)
    posts = [
        (url("campaigns"), {"year": YEAR - 1, "deadline": (TODAY + DAY).isoformat()}),
        (url("campaign_close", YEAR), {}),
        (url("campaign_send", YEAR), {}),
    ]
    for address, data in posts:
        response = client.post(address, data)
        if role == Role.VISITOR:
            assert response.status_code == 302 and "/login/" in response["Location"]
        else:
            assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.is_open
    assert Campaign.objects.count() == 1
    assert mail.outbox == [] and not CampaignMessage.objects.exists()


def test_the_secretariat_opens_closes_and_sends_from_the_page(client, secretariat):
    manager = UserFactory(roles=[Role.MUTUAL_MANAGER])
    MutualFactory(managers=[manager])
    client.force_login(secretariat)
    response = client.post(url("campaigns"), {
        "year": YEAR, "deadline": (TODAY + 30 * DAY).isoformat(), "message": "Bon courage",
    })
    assert response.status_code == 302
    campaign = Campaign.objects.get(year=YEAR)
    assert (campaign.opened_by, campaign.message, campaign.deadline) == (
        secretariat, "Bon courage", TODAY + 30 * DAY)

    response = client.post(url("campaign_send", YEAR), follow=True)
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "1 invitations" in response.content.decode()
    client.post(url("campaign_send", YEAR))
    assert len(mail.outbox) == 1

    response = client.post(url("campaign_close", YEAR), follow=True)
    campaign.refresh_from_db()
    assert campaign.closed_by == secretariat
    assert "is closed" in response.content.decode()
    assert client.get(url("campaign_close", YEAR)).status_code == 405


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"year": "", "deadline": "2099-01-01"}, "year", "This field is required"),
    ({"year": "deux mille", "deadline": "2099-01-01"}, "year", "Enter a whole number"),
    ({"year": "1990", "deadline": "2099-01-01"}, "year", "greater than or equal to 1998"),
    ({"year": str(TODAY.year + 3), "deadline": "2099-01-01"}, "year", "between 1998 and"),
    ({"year": str(YEAR), "deadline": "hier"}, "deadline", "Enter a valid date"),
    ({"year": str(YEAR), "deadline": (TODAY - DAY).isoformat()}, "deadline", "cannot be in the past"),
])
def test_opening_form_names_the_bad_field_and_keeps_what_was_typed(client, secretariat, data, field,
                                                                   message):
    client.force_login(secretariat)
    response = client.post(url("campaigns"), {**data, "message": "Mon message à garder"})
    assert response.status_code == 400
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert "Mon message à garder" in response.content.decode()
    assert not Campaign.objects.exists()


def test_opening_a_second_year_while_one_is_open_says_so(client, secretariat):
    Campaign.objects.create(year=YEAR - 1, deadline=TODAY)
    client.force_login(secretariat)
    response = client.post(url("campaigns"), {"year": YEAR, "deadline": (TODAY + DAY).isoformat()})
    assert response.status_code == 400
    assert "still open: close it before opening another one" in response.content.decode()
    response = client.post(url("campaigns"), {"year": YEAR - 1, "deadline": (TODAY + DAY).isoformat()})
    assert "already a campaign" in " ".join(response.context["form"].errors["year"])


# --- The e-mails -----------------------------------------------------------------------------

@pytest.fixture
def people():
    """Reporters in French, in English, in Portuguese (French e-mails) and a supporting organization's
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


def sent():
    """(address, subject) of every e-mail sent so far."""
    return [(m.to[0], m.subject) for m in mail.outbox]


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
    assert all("reminder" in m.subject or "rappel" in m.subject.lower() for m in mail.outbox)
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
    for message in french, portuguese_reader, no_language:
        assert message.extra_headers["Content-Language"] == "fr"
    assert "Hello John Diop," in english.body
    assert "Les chiffres de l'année, svp." in english.body  # the secretariat's message
    deadline = campaign.deadline
    with translation.override("en"):
        assert date_format(deadline, "DATE_FORMAT") in english.body

    for message, language, mutual in [(english, "en", people["kolda"]), (french, "fr", people["thies"])]:
        links = re.findall(r"https?://\S+", message.body)
        assert len(links) == 1
        link = urlparse(links[0])
        assert link.netloc == "testserver" and link.path.startswith(f"/{language}/")
        with translation.override(language):
            match = resolve(link.path)
        assert (match.namespace, match.url_name) == ("inventory", "return_edit")
        assert match.kwargs == {"mutual_id": mutual.mutual_id, "year": YEAR}
        reader = people["en"] if language == "en" else people["fr"]
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
