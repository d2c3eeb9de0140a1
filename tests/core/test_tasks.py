"""The worker's foundation (portal/core/tasks.py, run_worker, WriteTransactionMiddleware)."""

import datetime

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from portal.core import tasks
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


URLS = "tests.core.write_transaction_urls"


def _written(name) -> bool:
    return PeriodicClaim.objects.filter(name=name).exists()


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_a_request_that_writes_is_all_or_nothing(client):
    client.raise_request_exception = False
    assert client.post("/fails/").status_code == 500
    assert not _written("written-then-failed")

    assert client.post("/writes/").content == b"ok"
    assert _written("written")


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_other_middlewares_still_answer_a_view_s_exception_and_its_writes_are_undone(client):
    """allauth's middleware turns its exception into its answer (here a 429), as with ATOMIC_REQUESTS:
    a two-factor page asking to re-authenticate must not become a server error."""
    response = client.post("/allauth/")
    assert response.status_code == 429 and response.content == b"too many"
    assert not _written("written-then-allauth")


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_a_write_that_cannot_get_the_lock_in_time_is_a_clear_503_and_saves_nothing(client):
    """On SQLite an import in the worker holds the write lock for its whole transaction; a form sent
    meanwhile that waits longer than the busy timeout gets a page saying nothing was saved and to send
    again (the browser's back button keeps what was typed), not a server error."""
    response = client.post("/locked/")  # in French, the default language

    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "rien n’a été enregistré" in response.content.decode()  # nothing was saved
    assert not _written("written-before-the-lock")


@pytest.mark.django_db
@pytest.mark.urls(URLS)
def test_a_read_runs_outside_any_transaction_of_its_own_a_write_inside_one(client):
    """A GET runs in autocommit (on SQLite a transaction would take the write lock for the whole page);
    a POST's queries run one transaction deeper (inside the test's own, that is one savepoint more)."""
    from django.db import connection

    depths = []

    def spy(execute, sql, params, many, context):
        if "core_periodicclaim" in sql:  # the view's own write (sessions are saved outside it)
            depths.append(len(connection.savepoint_ids))
        return execute(sql, params, many, context)

    outside = len(connection.savepoint_ids)
    with connection.execute_wrapper(spy):
        client.get("/writes/")
    assert depths == [outside]
    depths.clear()
    with connection.execute_wrapper(spy):
        client.post("/writes/?name=posted")
    assert depths == [outside + 1]
