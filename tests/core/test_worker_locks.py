"""The worker outlives a SQLite write lock held by another process (a demo load, an import run by the
command): it waits and goes on, instead of dying (and taking `make run`'s web server with it)."""

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="SQLite's single write lock; PostgreSQL has row locks")
def test_the_worker_waits_for_a_write_lock_held_by_another_process(tmp_path):
    database = tmp_path / "db.sqlite3"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(DATABASE_URL=f"sqlite:///{database}", DJANGO_SETTINGS_MODULE="portal.settings.dev",
                       SQLITE_BUSY_TIMEOUT="1", CACHE_URL=f"filecache://{tmp_path / 'cache'}",
                       EMAIL_URL="consolemail://")
    manage = [sys.executable, str(ROOT / "manage.py")]
    # The queue's table alone (a whole migrate takes a minute; the worker needs nothing else here).
    create_queue = ("from django.db import connection; from django_tasks_db.models import DBTaskResult\n"
                    "with connection.schema_editor() as editor: editor.create_model(DBTaskResult)")
    subprocess.run([*manage, "shell", "-c", create_queue], env=environment, cwd=ROOT, check=True, timeout=300)

    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another writer, for longer than the worker's busy timeout
    worker = subprocess.Popen([*manage, "run_worker", "--batch", "--no-schedule"], env=environment,
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        started = worker.stderr.readline()  # the worker's first words: it is running, and polls now
        assert "Starting worker" in started, started
        time.sleep(3)  # three busy timeouts
        assert worker.poll() is None, worker.communicate()[1]  # still there, waiting
    finally:
        holder.execute("COMMIT")
        holder.close()
    _output, errors = worker.communicate(timeout=120)
    assert worker.returncode == 0, errors
    assert "locked by another writer" in errors
