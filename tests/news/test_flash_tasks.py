"""Flash news need no cron: publishing queues the sending with the delivery (run at once by the tests'
task backend, by the worker in `make run`), and the worker's schedule builds the weekly digest."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal.core.tasks import run_due
from portal.news.flash import digest_reference
from portal.news.models import FlashNews, Frequency
from portal.news.services import flash_subscription_update
from portal.newsletter.delivery import Delivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def subscriber(email, frequency):
    user = UserFactory(email=email, username=email.split("@")[0], languages=["fr"])
    flash_subscription_update(user=user, frequency=frequency, countries=[], themes=[])
    return user


def publish(capture, title):
    flash = FlashNews.objects.create(title_fr=title, text_fr=f"Texte de {title}")
    with capture(execute=True):  # the publishing's transaction commits
        flash.save_revision().publish()
    return flash


def test_a_published_flash_reaches_its_subscribers_without_any_command(django_capture_on_commit_callbacks):
    subscriber("tout-de-suite@example.org", Frequency.IMMEDIATE)
    subscriber("chaque-semaine@example.org", Frequency.WEEKLY)
    publish(django_capture_on_commit_callbacks, "Grève à Bamako")
    assert [m.to for m in mail.outbox] == [["tout-de-suite@example.org"]]
    assert "Grève à Bamako" in mail.outbox[0].subject


def test_the_schedule_builds_and_sends_the_weekly_digest_once(django_capture_on_commit_callbacks):
    subscriber("chaque-semaine@example.org", Frequency.WEEKLY)
    publish(django_capture_on_commit_callbacks, "Atelier à Dakar")
    assert mail.outbox == []
    now = timezone.now()
    assert "portal.news.tasks.build_flash_digest" in run_due(now)
    (digest,) = [m for m in mail.outbox if m.to == ["chaque-semaine@example.org"]]
    assert "Atelier à Dakar" in digest.body
    assert Delivery.objects.filter(reference=digest_reference(timezone.localdate())).exists()
    run_due(now + datetime.timedelta(days=1))  # the next day: the week's digest exists, nobody added
    assert len([m for m in mail.outbox if m.to == ["chaque-semaine@example.org"]]) == 1
