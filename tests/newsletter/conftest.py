import re
import time

import pytest
from django.urls import reverse
from django.utils import translation

from portal.newsletter import antispam


def url(name, *args, language="fr"):
    with translation.override(language):
        return reverse(name, args=args)


@pytest.fixture
def started():
    """A form shown long enough ago to pass the minimum time."""
    return antispam.started_token(time.time() - antispam.MIN_SECONDS - 1)


@pytest.fixture
def subscribe(client, started, django_capture_on_commit_callbacks):
    """POST the subscription form as a person would (the e-mails of the commit sent)."""

    def post(email, language="fr", **extra):
        data = {"email": email, "language": language, "started": started, "website": "", **extra}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url("newsletter:subscribe"), data)

    return post


def link_in(body: str, marker: str) -> str:
    """The path of the first link of a plain-text body that contains `marker`."""
    match = re.search(rf"https?://[^/\s]+(/\S*{marker}\S*)", body)
    assert match, f"no link with {marker!r} in:\n{body}"
    return match.group(1)


@pytest.fixture
def tasks_wait_in_queue(settings):
    """Tasks are queued and NOT run (django-tasks' DummyBackend, a test double of the worker's queue):
    for tests about what happens between a delivery's creation and its sending."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
