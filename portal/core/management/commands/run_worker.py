"""`manage.py run_worker`: the portal's background worker (portal/core/tasks.py, docs/worker.md).

Runs the queued tasks (database queue: django-tasks-db's worker; Redis queue: an RQ worker) and, in a
thread beside them, the periodic schedule. `--batch` runs what is due and queued, then exits (a cron
line or a test can use it); Ctrl-C stops after the current task.
"""

import threading
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

from portal.core import tasks

SCHEDULE_TICK = 15  # seconds between two looks at the schedule


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, and the periodic schedule (no cron needed)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="Start what is due, run every queued task, then exit.")
        parser.add_argument("--no-schedule", action="store_true",
                            help="Run queued tasks only (another worker keeps the schedule).")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="Seconds between two looks at an empty queue (default 1).")

    def handle(self, *args, batch=False, no_schedule=False, interval=1.0, **options):
        self._log_tasks(options["verbosity"])
        if not no_schedule:
            started = self._run_due()
            if started and options["verbosity"] > 1:
                self.stdout.write("Scheduled: " + ", ".join(started))
            if not batch:
                threading.Thread(target=self._keep_schedule, daemon=True, name="schedule").start()
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        from django_tasks_db.backend import DatabaseBackend

        if isinstance(backend, DatabaseBackend):
            from django_tasks_db.management.commands.db_worker import Worker

            worker = Worker(
                queue_names=["*"], interval=interval, batch=batch, backend_name=backend.alias,
                startup_delay=not batch, max_tasks=None, worker_id=get_random_string(32),
                excluded_queue_names=[],
            )
            worker.configure_signals()
            self._run_through_locks(worker, interval)
        elif backend.__class__.__name__ == "RQBackend":
            import django_rq
            from django_tasks_rq.backend import Job

            # django-tasks-rq's job class: RQ's own cannot run a django-tasks Task ("not callable").
            django_rq.get_worker(*sorted(backend.queues), job_class=Job).work(
                burst=batch, with_scheduler=not batch)
        else:
            self.stdout.write(f"Tasks run at once with {backend.__class__.__name__}: nothing to do.")

    @staticmethod
    def _run_through_locks(worker, interval):
        """django-tasks-db's worker claims each task in an EXCLUSIVE transaction, outside its own
        error handling: on SQLite, while another process holds the write lock longer than the busy
        timeout (a demo load, an import run by the command), that claim fails with "database is
        locked" and would end the worker (and `make run` with it). It waits and tries again."""
        from django.db import OperationalError
        from django_tasks_db.utils import is_locked_database_exception

        while True:
            try:
                return worker.run()
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                tasks.logger.warning("The database is locked by another writer; the worker waits.")
                close_old_connections()
                time.sleep(max(interval, 1.0))

    def _run_due(self) -> list[str]:
        try:
            return tasks.run_due()
        except Exception:  # noqa: BLE001 - the schedule must outlive a database hiccup
            tasks.logger.exception("The periodic schedule could not run")
            return []
        finally:
            close_old_connections()

    def _keep_schedule(self):
        while True:
            time.sleep(SCHEDULE_TICK)
            self._run_due()

    def _log_tasks(self, verbosity):
        import logging

        if verbosity >= 1:
            for name in ("django_tasks", "django_tasks_db"):
                logging.getLogger(name).setLevel(logging.INFO)  # printed by the root logger's handler
