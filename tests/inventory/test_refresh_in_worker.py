"""No request waits for a synthesis recompute or a dataset build (issue #12): after a change, pages
and downloads show the previous figures until the worker has refreshed them, and the refresh is
queued once; the worker builds the files and the next request serves them.

Three task backends, each said where used: django-tasks' DummyBackend (a test double that records
the tasks queued and runs none: the worker has not come by yet), the ImmediateBackend of the test
settings (tasks run inside the call that queues them: figures are computed in place), and the real
database queue run by `manage.py run_worker --batch`.
"""

import hashlib
import io
import re

import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from django.utils import translation
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks_db.models import DBTaskResult

from inventory.contract.choices import ReturnState
from inventory.models import Release
from inventory.opendata.refresh import refresh
from portal.accounts.roles import Role
from portal.reference.models import Country
from tests.factories import MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
REFRESH = "inventory.tasks.refresh_computed"


def url(name, *args, language="en"):
    with translation.override(language):
        return reverse(f"inventory:{name}", args=args)


def validated(members, year=2024):
    return ReturnFactory(mutual=MutualFactory(country=Country.objects.get(code="SN")), year=year,
                         state=ReturnState.VALIDATED, status="functional", members=members)


def change(capture, members):
    """A committed change: one more validated return (and what follows the commit: the bump)."""
    with capture(execute=True):
        validated(members)


def overview_members(client) -> str:
    response = client.get(url("overview"))
    assert response.status_code == 200
    return {item["name"]: item["value"] for item in response.context["key_figures"]}["members"]


def home_members(client) -> str:
    html = client.get("/fr/").content.decode()
    found = re.search(r"<strong>([^<]+)</strong> <a href=\"/fr/inventaire/glossaire/#members\"", html)
    return found.group(1).replace("\u202f", " ").replace("\xa0", " ")


def parquet_rows(client, filename="returns.parquet") -> int:
    response = client.get(url("dataset_file", filename))
    assert response.status_code == 200, response.status_code
    return len(pq.read_table(io.BytesIO(b"".join(response.streaming_content))))


def synthesis_members(client) -> list[str]:
    """The members column of the synthesis CSV (SN then ALL for 2024)."""
    response = client.get(url("dataset_file", "synthesis.csv"))
    lines = b"".join(response.streaming_content).decode().splitlines()
    header = lines[0].split(",")
    return [line.split(",")[header.index("members")] for line in lines[1:]]


def queued(backend) -> list[str]:
    """The inventory's tasks queued (Wagtail queues its own reference-index updates beside them)."""
    return [r.task.module_path for r in backend.results if r.task.module_path.startswith("inventory.")]


# --- The worker has not come by yet (DummyBackend) ----------------------------------------------------

def test_after_a_change_every_page_shows_the_previous_figures_and_one_refresh_is_queued(
        client, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY  # test double: records queued tasks, runs none
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    validated(1200)
    refresh()  # what the worker did after that return was validated
    assert overview_members(client) == "1,200" and parquet_rows(client) == 1
    backend.clear()

    change(django_capture_on_commit_callbacks, 300)

    assert queued(backend) == [REFRESH]  # the change asked the worker for a refresh
    # Nothing recomputed in the requests: the previous figures everywhere, the new return nowhere.
    assert overview_members(client) == "1,200"
    assert home_members(client) == "1 200"
    country = client.get(url("country", "SN")).content.decode()
    assert "1,200" in country and "1,500" not in country
    assert synthesis_members(client) == ["1200", "1200"]
    assert parquet_rows(client) == 1 and parquet_rows(client, "synthesis.parquet") == 2
    assert queued(backend) == [REFRESH]  # every reader found the refresh already queued: not twice

    next(r for r in backend.results if r.task.module_path == REFRESH).task.call()  # the worker's run
    assert overview_members(client) == "1,500"
    assert home_members(client) == "1 500"
    assert synthesis_members(client) == ["1500", "1500"]
    assert parquet_rows(client) == 2


def test_before_the_first_build_a_download_is_a_503_with_retry_after_and_queues_it(
        client, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DUMMY  # test double: records queued tasks, runs none
    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    validated(1200)

    # A GET runs in autocommit; the test's own transaction holds the queueing until "commit".
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url("dataset_file", "inventory.xlsx"))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "being written for the first time" in response.content.decode()
    assert queued(backend) == [REFRESH]
    assert client.get(url("datasets")).status_code == 200  # the page keeps working
    assert client.get(url("dataset_file", "returns.csv")).status_code == 200  # streamed, no build
    assert client.get(url("dataset_file", "inventory.zip")).status_code == 503
    assert queued(backend) == [REFRESH]


# --- Tasks run at once (the test settings' ImmediateBackend) ---------------------------------------------

def test_with_tasks_run_at_once_the_new_figures_appear_at_once(client, django_capture_on_commit_callbacks):
    validated(1200)
    assert overview_members(client) == "1,200" and parquet_rows(client) == 1
    change(django_capture_on_commit_callbacks, 300)
    assert overview_members(client) == "1,500"
    assert home_members(client) == "1 500"
    assert parquet_rows(client) == 2


# --- The real database queue and worker ----------------------------------------------------------------

def run_worker():
    from django.core.management import call_command

    call_command("run_worker", "--batch", verbosity=0)


def test_the_worker_builds_the_files_and_the_next_request_serves_them(
        client, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_QUEUE  # the real queue: tasks wait for run_worker
    validated(1200)
    assert client.get(url("dataset_file", "returns.parquet")).status_code == 503

    run_worker()  # the queued build, and the schedule's safety net (a worker just started)
    assert parquet_rows(client) == 1
    assert overview_members(client) == "1,200"

    change(django_capture_on_commit_callbacks, 300)
    assert DBTaskResult.objects.ready().filter(task_path=REFRESH).count() == 1
    assert overview_members(client) == "1,200" and parquet_rows(client) == 1  # until the worker runs
    assert DBTaskResult.objects.ready().filter(task_path=REFRESH).count() == 1

    run_worker()
    assert not DBTaskResult.objects.ready().exists()
    assert overview_members(client) == "1,500"
    assert parquet_rows(client) == 2


def test_a_release_is_prepared_by_the_worker_and_its_page_says_so_until_then(
        client, settings, django_capture_on_commit_callbacks):
    settings.TASKS = DATABASE_QUEUE  # the real queue: tasks wait for run_worker
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    validated(1200)
    form = {"name": "Inventaire 2024", "version": "1.0", "changelog": ""}

    # The files of the inventory as it is are not written yet: nothing can be published.
    confirmation = client.post(url("release_publish"), {**form, "step": "check"})
    shown = confirmation.context["contents"].inventory_version
    assert "still being written" in confirmation.content.decode()
    assert "Publish Inventaire 2024 v1.0 now" not in confirmation.content.decode()
    early = client.post(url("release_publish"), {**form, "step": "publish", "inventory_version": shown})
    assert early.status_code == 503 and not Release.objects.exists()

    run_worker()
    confirmation = client.post(url("release_publish"), {**form, "step": "check"})
    assert "Publish Inventaire 2024 v1.0 now" in confirmation.content.decode()
    published = client.post(url("release_publish"), {**form, "step": "publish", "inventory_version": shown})
    assert published.status_code == 302
    release = Release.objects.get()
    assert release.returns_count == 1 and not release.files.exists()
    page = client.get(published["Location"]).content.decode()
    assert "is published: its files are being prepared" in page
    assert "The files of this release are being prepared" in page
    zip_url = url("release_file", "inventaire-2024", "1.0", "inventory.zip")
    waiting = client.get(zip_url)
    assert waiting.status_code == 503 and waiting["Retry-After"] == "30"
    assert "(being prepared)" in client.get(url("datasets")).content.decode()

    change(django_capture_on_commit_callbacks, 300)  # the inventory moves on before the worker runs
    run_worker()
    page = client.get(published["Location"]).content.decode()
    assert "being prepared" not in page
    stored = release.files.get(filename="inventory.zip")
    assert stored.sha256 in page
    data = b"".join(client.get(zip_url).streaming_content)
    assert hashlib.sha256(data).hexdigest() == stored.sha256
    frozen = pq.read_table(release.files.get(filename="returns.parquet").file.path)
    assert frozen.num_rows == 1  # what was confirmed, not the return validated since
    assert parquet_rows(client) == 2  # while the current data moved on


def test_downloads_counted_in_the_cache_while_the_database_was_busy_reach_it_with_the_worker():
    """While an import holds SQLite's write lock, a download is counted in the cache instead of
    waiting (`downloads.count_live_download`); the worker's next run adds those counts."""
    from django.core.cache import cache

    from inventory.models import DatasetDownloadCount
    from inventory.opendata import downloads

    downloads.count_live_download("inventory.zip")  # the database free: counted at once
    cache.set(downloads.PENDING_DOWNLOADS_KEY.format(filename="inventory.zip"), 3, timeout=None)
    refresh()
    assert DatasetDownloadCount.objects.get(filename="inventory.zip").downloads == 4
    refresh()  # counted once
    assert DatasetDownloadCount.objects.get(filename="inventory.zip").downloads == 4
