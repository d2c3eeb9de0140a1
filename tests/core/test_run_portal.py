"""`make run`'s command, `manage.py run_portal`: the web server and the worker start together, the
worker really runs the queue, and Ctrl-C stops both (real processes on a fresh SQLite installation)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.smtp import free_port

ROOT = Path(__file__).resolve().parent.parent.parent


def _environment(database: Path, port: int) -> dict:
    environment = {key: value for key, value in os.environ.items() if key not in {
        "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SITE_URL", "WAGTAILADMIN_BASE_URL", "TASK_QUEUE_URL",
        "EMAIL_URL", "CACHE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS",
    }}
    return {**environment, "DATABASE_URL": f"sqlite:///{database}", "PORT": str(port),
            "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "PYTHONUNBUFFERED": "1"}


def _children(pid: int) -> list[str]:
    listing = subprocess.run(["ps", "-o", "args=", "--ppid", str(pid)], capture_output=True, text=True)
    return listing.stdout.splitlines()


def _answers(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.mark.slow
@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="make run's embedded default is SQLite; this test builds its own")
def test_run_portal_serves_runs_the_queue_and_stops_both_on_ctrl_c(tmp_path):
    database, port = tmp_path / "db.sqlite3", free_port()
    environment = _environment(database, port)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=environment, cwd=ROOT, check=True,
                   timeout=600)

    portal = subprocess.Popen([*manage, "run_portal", "--port", str(port)], env=environment, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        status = None
        while time.monotonic() < deadline and status is None:
            time.sleep(0.5)
            status = _answers(f"http://127.0.0.1:{port}/admin/login/")
        assert status is not None and status < 500, "the web server never answered"
        children = _children(portal.pid)
        assert any("runserver" in args for args in children), children
        assert any("run_worker" in args for args in children), children

        # The worker takes its schedule at start and runs it: the daily clean-up has run, in the worker.
        finished = []
        while time.monotonic() < deadline and not finished:
            time.sleep(0.5)
            with sqlite3.connect(database, timeout=5) as connection:
                finished = connection.execute(
                    "SELECT status FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path = 'portal.core.tasks.prune_task_results'").fetchall()
        assert finished and finished[0][0] in {"SUCCESSFUL", "RUNNING", "READY"}, finished
    finally:
        portal.send_signal(signal.SIGINT)
        try:
            output, _errors = portal.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            portal.kill()
            output, _errors = portal.communicate()
            pytest.fail("Ctrl-C did not stop run_portal within 30 s")
    assert portal.returncode is not None
    assert _children(portal.pid) == []
    assert f"http://127.0.0.1:{port}/" in output  # the start-up output says where the portal is
    assert _answers(f"http://127.0.0.1:{port}/admin/login/") is None  # the web server is gone too
