"""`/healthz`: whether this web process can reach what it needs — the database, the cache, the task queue.

For a load balancer, an orchestrator or a monitoring probe (docs/deployment.md "Health check"). It
answers 200 with `{"database": "ok", "cache": "ok", "queue": "ok", ...}` when every check passes, 503
with the failed ones named (`"cache": "error: ConnectionError"`) otherwise. It says nothing personal and
nothing secret (no host name, no address, no exception message: only the exception's class), costs three
tiny round trips, and is never cached.

The queue's check also reports how long its oldest ready task has been waiting
(`queue_oldest_ready_seconds`): a worker that stopped shows there, without failing the check — the web
site itself still works, and a load balancer must not take it out of service for that.
"""

import datetime
import time

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


def check_database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {}


def check_cache() -> dict:
    cache = caches["default"]
    key, value = f"healthz:{get_random_string(12)}", get_random_string(12)
    cache.set(key, value, 10)
    try:
        if cache.get(key) != value:
            raise LookupError("the value written was not read back")
    finally:
        cache.delete(key)
    return {}


def check_queue() -> dict:
    """The queue's backend reachable, and the wait of its oldest ready task (None: the queue is empty)."""
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    from django_tasks_db.backend import DatabaseBackend

    oldest = None
    if isinstance(backend, DatabaseBackend):
        from django.db.models import Min
        from django_tasks_db.models import DBTaskResult

        oldest = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
    elif backend.__class__.__name__ == "RQBackend":
        import django_rq

        heads = []
        for name in sorted(backend.queues):
            queue = django_rq.get_queue(name)
            queue.connection.ping()
            heads += [job.enqueued_at for job in queue.get_jobs(0, 1) if job.enqueued_at]  # waiting longest
        heads = [timezone.make_aware(at, datetime.UTC) if timezone.is_naive(at) else at for at in heads]
        oldest = min(heads, default=None)
    waited = None if oldest is None else max(0, round((timezone.now() - oldest).total_seconds()))
    return {"queue_oldest_ready_seconds": waited}


CHECKS = {"database": check_database, "cache": check_cache, "queue": check_queue}


def run_checks() -> tuple[bool, dict]:
    """Every check, each on its own (one failing does not hide the others); (all passed, report)."""
    report, healthy = {}, True
    started = time.monotonic()
    for name, check in CHECKS.items():
        try:
            details = check()
        except Exception as error:  # noqa: BLE001 - any failure is the answer, never a 500
            healthy = False
            report[name] = f"error: {error.__class__.__name__}"
        else:
            report[name] = "ok"
            report.update(details)
    report["seconds"] = round(time.monotonic() - started, 3)
    return healthy, report


@never_cache
@require_safe
def healthz(request):
    healthy, report = run_checks()
    return JsonResponse(report, status=200 if healthy else 503)
