"""The dates of the campaign tests (test_campaign.py, test_campaign_emails.py) — `YEAR` is last year,
a year whose figures a campaign may collect — and the secretariat member who opens the campaigns."""

import datetime

import pytest
from django.utils import timezone

from portal.accounts.roles import Role
from tests.factories import UserFactory

TODAY = timezone.localdate()
YEAR = TODAY.year - 1
DAY = datetime.timedelta(days=1)


@pytest.fixture
def secretariat():
    return UserFactory(roles=[Role.SECRETARIAT])
