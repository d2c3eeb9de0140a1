"""A newsletter send killed halfway, then resumed (by two processes at once): every subscriber gets
exactly one copy, counted at a real SMTP server, and the report says what happened.

`send_newsletters` runs in real subprocesses against the test database: on PostgreSQL the test database
itself; on SQLite (an in-memory test database no other process can open) a file copy of it, made
with SQLite's backup API and copied back afterwards for the assertions.
"""

import collections
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.newsletter import delivery, services
from portal.newsletter.models import Subscriber
from tests import smtp

pytestmark = pytest.mark.django_db(transaction=True)
smtp_server = smtp.smtp_server  # the fixture

ROOT = Path(settings.BASE_DIR)
SUBSCRIBERS = 30


@pytest.fixture
def issue_delivery(issues, readers, tasks_wait_in_queue):  # the subprocesses send, not the task queued
    for n in range(SUBSCRIBERS - Subscriber.objects.count()):
        Subscriber.objects.create(email=f"reader{n:02d}@example.org", language="en" if n % 3 else "fr")
    d, _ = services.issue_send_to_subscribers(issue=issues[41], user=None)
    assert d.recipients.count() == SUBSCRIBERS
    return d


class Database:
    """What a subprocess needs to reach the test database, and bringing its writes back."""

    def __init__(self, tmp_path):
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = tmp_path / "crash-test.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.path) as copy:
                connection.connection.backup(copy)
            self.url = f"sqlite:///{self.path}"  # an absolute path: four slashes in all
        else:
            s = connection.settings_dict
            self.url = f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{s['NAME']}"

    def bring_back(self):
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.path) as copy:
                copy.backup(connection.connection)


def command(db: Database, smtp, *args, **environ):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DATABASE_URL": db.url,
           "SECRET_KEY": settings.SECRET_KEY, "WAGTAILADMIN_BASE_URL": "http://testserver",
           "CACHE_URL": "locmemcache://", "DEBUG": "false"}
    env.pop(delivery.TEST_HOOK_EXIT_AFTER_SENDS, None)
    env.update(smtp.environ())
    env.update(environ)
    return subprocess.Popen([sys.executable, "manage.py", "send_newsletters", "--batch-size", "4", *args],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(process, timeout=120):
    out, err = process.communicate(timeout=timeout)
    return process.returncode, out + err


def test_a_send_killed_at_the_worst_moment_resumes_without_a_second_copy(issue_delivery, smtp_server,
                                                                          tmp_path):
    db = Database(tmp_path)
    # The test hook kills the process right after the server accepted its 11th message, before the
    # process could record it: the worst moment.
    code, output = finish(command(db, smtp_server, **{delivery.TEST_HOOK_EXIT_AFTER_SENDS: "11"}))
    assert code == 70, output
    assert len(smtp_server.recipients()) == 11

    # Resumed by two processes at once (cron may start one while another runs).
    resumers = [command(db, smtp_server), command(db, smtp_server)]
    for process in resumers:
        code, output = finish(process)
        assert code == 0, output
    db.bring_back()

    received = collections.Counter(smtp_server.recipients())
    addresses = set(issue_delivery.recipients.values_list("address", flat=True))
    assert set(received) == addresses
    assert set(received.values()) == {1}, received.most_common(3)
    report = issue_delivery.report()
    # The message in flight when the process died did arrive, but nothing could know it: it is
    # reported as uncertain, and was not sent again.
    assert (report["sent"], report["uncertain"], report["waiting"]) == (SUBSCRIBERS - 1, 1, 0)
    uncertain = issue_delivery.recipients.get(state="uncertain")
    assert received[uncertain.address] == 1
    # Each copy is the subscriber's: one recipient per message, in their language.
    languages = dict(issue_delivery.recipients.values_list("address", "language"))
    for message in smtp_server.messages:
        (address,) = [a.lower() for a in message.get_all("To")]
        assert message["Content-Language"] == languages[address]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_a_send_killed_from_outside_halfway_never_sends_twice(issue_delivery, smtp_server, tmp_path):
    db = Database(tmp_path)
    smtp_server.handler.delay = 0.05  # slow enough for the kill to land mid-send
    process = command(db, smtp_server)
    deadline = time.monotonic() + 60
    while len(smtp_server.recipients()) < SUBSCRIBERS // 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    killed_after = len(smtp_server.recipients())
    assert 0 < killed_after < SUBSCRIBERS
    smtp_server.handler.delay = 0

    code, output = finish(command(db, smtp_server))
    assert code == 0, output
    db.bring_back()

    received = collections.Counter(smtp_server.recipients())
    assert set(received.values()) == {1}  # nobody got two copies
    report = issue_delivery.report()
    assert report["waiting"] == 0 and report["uncertain"] <= 1
    assert report["sent"] + report["uncertain"] == SUBSCRIBERS
    sent = set(issue_delivery.recipients.filter(state="sent").values_list("address", flat=True))
    assert sent <= set(received)  # every row recorded as sent did arrive
