"""The embedded default (SQLite) keeps answering readers while an import holds the write lock.

Under ATOMIC_REQUESTS every request ran in a transaction, and SQLite transactions take the write lock
when they begin: during a long import each page waited the busy timeout (20 s) and failed with
"database is locked". Now reads run in no transaction and SQLite runs in WAL mode: a reader never waits
for a writer.

The test runs the portal for real, in other processes, on a SQLite *file* (the tests' own database is
in memory, one process only): an installation built by `migrate` and `load_demo`, gunicorn with two
workers, and `import_inventory --check` of a generated valid file large enough to hold the write lock
for a while. As soon as the import holds the lock, pages are read over and over until it lets go: each
must answer 200, in seconds. Four to fifteen minutes on a shared 2-core machine (mostly the build).

`WORKER_TEST_SETTINGS=<module>` runs the installation under another settings module (how the old
configuration was checked by hand: with ATOMIC_REQUESTS and no WAL, 9 reads out of 10 failed, each
after 20 s). The reads that write are here on purpose: a synthesis read on a cache miss queues a
refresh (an INSERT into the task queue) and a download counts itself; both failed after 20 s until
they stopped waiting for the lock (`inventory.opendata.refresh.no_lock_wait`: skipped,
or counted in the cache).
"""

import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .installation import ROOT, Installation, stop

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's write lock is what is tested; PostgreSQL readers never wait for writers (MVCC)",
)]

READ_SECONDS = 5  # the slowest answer a reader gets during the import
LOCK_WAIT_SECONDS = 600  # the import reads and checks the whole file before it takes the lock
MIN_ROUNDS_UNDER_LOCK = 2  # reads of every page while the import held the lock, for the test to mean anything


def pages() -> list[str]:
    """Home, the inventory's overview, a country, the library, the open data page and its returns
    table (a download, which counts itself in the database), in French."""
    with translation.override("fr"):
        return [
            "/fr/",
            reverse("inventory:overview"),
            reverse("inventory:country", kwargs={"code": "SN"}),
            "/fr/bibliotheque/",  # a Wagtail page (the demo's slug)
            reverse("inventory:datasets"),
            reverse("inventory:dataset_file", kwargs={"filename": "returns.csv"}),
        ]


def write_lock_held(path) -> bool:
    """Whether another connection holds the database's write lock (tried without waiting)."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            return True
        raise
    finally:
        connection.close()


def read(url) -> tuple[int, float, str]:
    start = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            status, body = response.status, ""
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()[:300].decode(errors="replace")
    return status, time.monotonic() - start, body


def inventory_file(path, mutuals_per_country=60):
    """A valid returns file of the data contract: the demo's generator with more mutuals (new ones, and
    the demo's own with other figures), about 7,000 rows."""
    from portal.demo.inventory import demo_csv, demo_rows

    path.write_bytes(demo_csv(demo_rows(generated_per_country=mutuals_per_country, seed=12)).getvalue())
    return path


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    site = Installation(
        tmp_path_factory.mktemp("reads-during-import"),
        settings=os.environ.get("WORKER_TEST_SETTINGS", "portal.settings.dev"),
    )
    site.build()
    return site


def test_every_page_answers_while_an_import_holds_the_write_lock(installation, tmp_path):
    urls = [installation.base_url + path for path in pages()]
    upload = inventory_file(tmp_path / "inventory.csv")
    server = installation.start_web(workers=2)
    importer = None
    try:
        importer = subprocess.Popen(
            [sys.executable, "manage.py", "import_inventory", "--check", str(upload)], cwd=ROOT,
            env=installation.env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while not write_lock_held(installation.sqlite_path):
            assert importer.poll() is None, f"the import ended before the lock: {importer.stdout.read()}"
            assert time.monotonic() < deadline, "the import never took the write lock"
            time.sleep(0.1)

        answers, rounds_under_lock = [], 0
        while importer.poll() is None:
            round_answers = [(url, *read(url)) for url in urls]
            answers += round_answers
            if write_lock_held(installation.sqlite_path):
                rounds_under_lock += 1  # the lock was held before and after this round's reads
            else:
                break
        output, _ = importer.communicate(timeout=600)
    finally:
        stop(importer)
        stop(server)

    assert "Checked only: nothing was saved." in output, output
    failures = [(url, status, round(seconds, 1)) for url, status, seconds, _body in answers if status != 200]
    assert not failures, f"{len(failures)} of {len(answers)} reads failed: {failures[:10]}"
    slow = [(url, round(seconds, 1)) for url, _status, seconds, _body in answers if seconds > READ_SECONDS]
    assert not slow, slow
    assert rounds_under_lock >= MIN_ROUNDS_UNDER_LOCK, (
        f"the import held the lock for {rounds_under_lock} round(s) of reads only: make its file larger"
    )
