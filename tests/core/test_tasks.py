"""The worker's foundation (portal/core/tasks.py, run_worker, WriteTransactionMiddleware)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone, translation
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from portal.core import tasks
from portal.core.middleware import WriteTransactionMiddleware
from portal.core.models import PeriodicClaim

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CALLS = []


@task()
def remember(value: str) -> str:
    CALLS.append(value)
    return value.upper()


@pytest.fixture
def database_queue(settings):
    """The real database queue (django-tasks-db), as in `make run`: tasks wait for the worker."""
    settings.TASKS = DATABASE_QUEUE
    CALLS.clear()
    yield
    CALLS.clear()


@pytest.mark.django_db
def test_a_queued_task_waits_for_the_worker_and_runs_there(database_queue):
    tasks.enqueue(remember, "bonjour")
    assert CALLS == []  # queueing ran nothing: the request that queued does not pay for it
    assert DBTaskResult.objects.ready().count() == 1

    call_command("run_worker", "--batch", "--no-schedule", verbosity=0)

    assert CALLS == ["bonjour"]
    assert DBTaskResult.objects.successful().get().return_value == "BONJOUR"


@pytest.mark.django_db
def test_a_task_queued_by_a_change_that_is_rolled_back_never_runs(database_queue):
    with transaction.atomic():
        tasks.enqueue(remember, "never")
        transaction.set_rollback(True)

    call_command("run_worker", "--batch", "--no-schedule", verbosity=0)
    assert CALLS == []
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_each_periodic_slot_is_taken_once_whatever_the_number_of_workers(database_queue):
    now = timezone.now()
    first = tasks.run_due(now)
    assert "portal.core.tasks.prune_task_results" in first
    assert tasks.run_due(now) == []  # a second worker at the same moment finds every slot taken
    queued = DBTaskResult.objects.ready().values_list("task_path", flat=True)
    assert sorted(queued) == sorted(entry.task.module_path for entry in tasks.schedule())
    # A day later the daily task is due again.
    assert "portal.core.tasks.prune_task_results" in tasks.run_due(now + datetime.timedelta(days=1))
    assert PeriodicClaim.objects.filter(name="portal.core.tasks.prune_task_results").count() == 2


@pytest.mark.django_db
def test_finished_task_results_are_forgotten_after_a_week(database_queue):
    tasks.enqueue(remember, "old")
    tasks.enqueue(remember, "recent")
    call_command("run_worker", "--batch", "--no-schedule", verbosity=0)
    DBTaskResult.objects.filter(args_kwargs__args=["old"]).update(
        finished_at=timezone.now() - datetime.timedelta(days=8))

    assert tasks.prune_task_results.call() == 1
    assert list(DBTaskResult.objects.values_list("args_kwargs__args", flat=True)) == [["recent"]]


def _view_that_writes_then_fails(request):
    PeriodicClaim.objects.create(name="written-by-the-view", slot=1)
    if request.GET.get("fail"):
        raise RuntimeError("the view fails after writing")
    return HttpResponse("ok")


@pytest.mark.django_db
def test_a_request_that_writes_is_all_or_nothing():
    middleware = WriteTransactionMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()

    with pytest.raises(RuntimeError):
        middleware.process_view(factory.post("/?fail=1"), _view_that_writes_then_fails, (), {})
    assert not PeriodicClaim.objects.filter(name="written-by-the-view").exists()

    response = middleware.process_view(factory.post("/"), _view_that_writes_then_fails, (), {})
    assert response.content == b"ok"
    assert PeriodicClaim.objects.filter(name="written-by-the-view").exists()


def test_a_read_runs_outside_any_transaction():
    """A GET is left to Django (autocommit): on SQLite a transaction would take the write lock."""
    middleware = WriteTransactionMiddleware(lambda request: HttpResponse())
    assert middleware.process_view(RequestFactory().get("/"), _view_that_writes_then_fails, (), {}) is None


def _view_that_writes_then_finds_the_database_locked(request):
    from django.db import OperationalError

    PeriodicClaim.objects.create(name="written-before-the-lock", slot=1)
    raise OperationalError("database is locked")  # what SQLite says after the busy timeout


@pytest.mark.django_db
def test_a_write_that_cannot_get_the_lock_in_time_is_a_clear_503_and_saves_nothing():
    """On SQLite an import in the worker holds the write lock for its whole transaction; a form sent
    meanwhile that waits longer than the busy timeout gets a page saying nothing was saved and to send
    again (the browser's back button keeps what was typed), not a server error."""
    middleware = WriteTransactionMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/fr/inventaire/")

    with translation.override("en"):
        response = middleware.process_view(request, _view_that_writes_then_finds_the_database_locked, (), {})

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "nothing was saved" in response.content.decode()
    assert not PeriodicClaim.objects.filter(name="written-before-the-lock").exists()
