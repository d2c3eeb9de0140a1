"""Campaign e-mails need no cron: the worker's schedule (`portal.core.tasks.run_due`) queues
`inventory.tasks.send_campaign_emails` every hour, which sends the due invitations and reminders once."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from inventory.campaign.schedule import campaign_open
from inventory.models import CampaignMessage
from portal.accounts.roles import Role
from portal.core.tasks import run_due
from tests.factories import MutualFactory, UserFactory

pytestmark = pytest.mark.django_db

TASK = "inventory.tasks.send_campaign_emails"


def test_the_schedule_sends_the_campaign_emails_once():
    manager = UserFactory(email="gerant.thies@example.org", roles=[Role.MUTUAL_MANAGER], languages=["fr"])
    mutual = MutualFactory(name="Mutuelle de Thiès", managers=[manager])
    today = timezone.localdate()
    campaign = campaign_open(year=today.year - 1, deadline=today + datetime.timedelta(days=30),
                             user=UserFactory(roles=[Role.SECRETARIAT]))
    now = timezone.now()

    assert TASK in run_due(now)  # the worker's schedule; the tests' backend runs the task at once

    invitations = [m for m in mail.outbox if m.to == [manager.email]]
    assert len(invitations) == 1
    row = CampaignMessage.objects.get(campaign=campaign, mutual=mutual)
    assert row.kind == CampaignMessage.Kind.INVITATION and row.sent_at
    # The same hour again (another worker), then the next hours: nothing twice.
    assert TASK not in run_due(now)
    for hours in (1, 2):
        assert TASK in run_due(now + datetime.timedelta(hours=hours))
    assert len([m for m in mail.outbox if m.to == [manager.email]]) == 1


def test_the_cron_command_still_works_beside_the_schedule():
    from django.core.management import call_command

    manager = UserFactory(email="gerant.kolda@example.org", roles=[Role.MUTUAL_MANAGER])
    MutualFactory(managers=[manager])
    today = timezone.localdate()
    campaign_open(year=today.year - 1, deadline=today + datetime.timedelta(days=30),
                  user=UserFactory(roles=[Role.SECRETARIAT]))
    call_command("send_reminders", stdout=open("/dev/null", "w"))
    run_due(timezone.now())
    assert len([m for m in mail.outbox if m.to == [manager.email]]) == 1
