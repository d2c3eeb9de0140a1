"""`manage.py run_worker` on the Redis queue (TASK_QUEUE_URL=redis://…) runs a task queued by another
process: the RQ worker must use django-tasks-rq's job class (RQ's own failed every task with "'Task'
object is not callable"). Real processes and a real Redis; the database is an empty SQLite file, which
neither the queue nor this task touches."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent.parent


def test_a_task_queued_in_redis_runs_in_the_rq_worker(redis_url, tmp_path):
    token = uuid.uuid4().hex
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "TASK_QUEUE_URL": f"{redis_url}/7",
        "CACHE_URL": f"{redis_url}/8",
    }
    queue = redis.Redis.from_url(f"{redis_url}/7")
    cache = redis.Redis.from_url(f"{redis_url}/8")
    queue.flushdb()
    manage = [sys.executable, str(ROOT / "manage.py")]
    queued = subprocess.run(
        [*manage, "shell", "-c",
         f"from tests.deployment.probe import record_probe; print(record_probe.enqueue({token!r}).status)"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert queued.returncode == 0, queued.stderr[-3000:]
    assert "READY" in queued.stdout
    try:
        worked = subprocess.run(
            [*manage, "run_worker", "--batch", "--no-schedule", "--skip-checks"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=180,
        )
        assert worked.returncode == 0, worked.stderr[-3000:]
        assert "not callable" not in worked.stderr + worked.stdout
        assert cache.get(f":1:deployment-probe:{token}") is not None, worked.stderr[-3000:]
    finally:
        queue.flushdb()
        cache.delete(f":1:deployment-probe:{token}")
