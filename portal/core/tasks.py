"""Background work: what leaves the web request, and when it runs.

The portal's long work (imports, dataset builds, synthesis recomputes, text extraction, e-mail
sending) runs as tasks of Django's task framework (`django-tasks`), in the worker that `make run`
starts beside the web server (`manage.py run_worker`). The queue is chosen by `TASK_QUEUE_URL`
(settings): the database by default (`django-tasks-db`: SQLite or PostgreSQL, no other service), Redis
through RQ in larger deployments (docs/worker.md). Tests run tasks at once (`ImmediateBackend`).

- `enqueue(task, *args, **kwargs)` queues a task so that it sees the data of the transaction that
  asked for it: on the database queue the task's row is part of that transaction (it exists if and only
  if the change commits); on Redis it is sent once the transaction commits.
- `periodic(every, name)` puts a task on the worker's schedule (flash news, reminders, the safety-net
  refresh of computed tables): no cron is needed, and cron stays possible through the commands.
  `run_due(now)` enqueues each task whose slot has come, once across all the workers (a claim row
  per slot, `PeriodicClaim`).
"""

import datetime
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task, task_backends
from django_tasks.backends.immediate import ImmediateBackend

logger = logging.getLogger(__name__)


def enqueue(task, *args, **kwargs):
    """Queue `task(*args, **kwargs)`, atomically with the current transaction (see the module)."""
    backend = task.get_backend()
    from django_tasks_db.backend import DatabaseBackend

    in_transaction = transaction.get_connection().in_atomic_block
    if isinstance(backend, DatabaseBackend | ImmediateBackend) or not in_transaction:
        return task.enqueue(*args, **kwargs)
    transaction.on_commit(lambda: task.enqueue(*args, **kwargs))
    return None


def runs_immediately() -> bool:
    """Whether tasks run inside the call that queues them (the tests' backend), not in a worker."""
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: object
    every: datetime.timedelta


_SCHEDULE: dict[str, Periodic] = {}


def periodic(*, every: datetime.timedelta, name: str | None = None):
    """Decorator for a task (`@periodic(every=…)` above `@task()`): the worker enqueues it every
    `every`, counted in fixed slots from the epoch, once per slot whatever the number of workers."""

    def register(task):
        key = name or task.module_path
        _SCHEDULE[key] = Periodic(key, task, every)
        return task

    return register


def schedule() -> list[Periodic]:
    autodiscover_modules("tasks")  # each app's tasks.py declares its periodic tasks
    return sorted(_SCHEDULE.values(), key=lambda entry: entry.name)


def run_due(now: datetime.datetime | None = None) -> list[str]:
    """Enqueue the periodic tasks whose current slot nobody has claimed yet; their names."""
    from .models import PeriodicClaim

    now = now or timezone.now()
    started = []
    for entry in schedule():
        seconds = max(int(entry.every.total_seconds()), 1)
        slot = int(now.timestamp()) // seconds
        try:
            with transaction.atomic():
                PeriodicClaim.objects.create(name=entry.name, slot=slot)
                enqueue(entry.task)
        except IntegrityError:
            continue  # another worker has this slot
        started.append(entry.name)
    PeriodicClaim.objects.filter(claimed_at__lt=now - datetime.timedelta(days=7)).delete()
    return started


# --- The core's own periodic work ------------------------------------------------------------------

TASK_RESULTS_KEPT = datetime.timedelta(days=7)
FAILED_TASK_RESULTS_KEPT = datetime.timedelta(days=30)


@periodic(every=datetime.timedelta(days=1))
@task()
def prune_task_results() -> int:
    """Forget the database queue's finished tasks after a week (failed ones after a month)."""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    results = DBTaskResult.objects
    removed, _by_model = (
        results.successful().filter(finished_at__lt=now - TASK_RESULTS_KEPT)
        | results.failed().filter(finished_at__lt=now - FAILED_TASK_RESULTS_KEPT)
    ).delete()
    return removed
