"""The secretariat's inventory upload runs as a background job (inventory/contract/import_jobs.py): the upload
leads to the job's page, which shows the progress (reloading itself, no JavaScript) and then the report
or every problem; only the uploader and the secretariat see it; the file is kept privately until the
job ends; the audit entry names the uploader even when the worker runs the import."""

import io
import os
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from wagtail.models import ModelLogEntry

from inventory.contract import import_jobs
from inventory.management.progress import PhaseBars
from inventory.models import ImportJob, YearlyReturn
from inventory.models.import_jobs import PRIVATE_PREFIX
from portal.accounts.roles import Role
from tests.factories import UserFactory
from tests.inventory import test_uploads
from tests.inventory.test_uploads import counts, good_rows, imported, inventory_csv, url

pytestmark = pytest.mark.django_db
secretariat = test_uploads.secretariat  # a secretariat member, logged in


def job_url(job):
    return url("import_job", job.public_id)


def test_an_upload_leads_to_its_job_page_with_the_report(client, secretariat, settings):
    response = client.post(url("import_upload"), {"file": inventory_csv(good_rows())})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_url(job)
    assert (job.user, job.file_name, job.state) == (secretariat, "inventory.csv", "done")
    page = client.get(job_url(job))
    assert page.status_code == 200
    assert "Imported" in page.content.decode() and 'http-equiv="refresh"' not in page.content.decode()
    assert page.context["report"].returns_created == 3
    # The upload page lists the user's recent jobs, linking to each.
    listing = client.get(url("import_upload")).content.decode()
    assert job_url(job) in listing and "inventory.csv" in listing


def test_the_file_is_kept_privately_and_deleted_when_the_job_ends(client, secretariat, settings, tmp_path):
    client.post(url("import_upload"), {"file": inventory_csv(good_rows())})
    job = ImportJob.objects.get()
    assert job.file.name == ""
    private = tmp_path / "media" / PRIVATE_PREFIX
    assert not private.exists() or not any(private.iterdir())


@pytest.mark.parametrize("role,allowed", [
    ("owner", True), (Role.SECRETARIAT, True), (Role.MUTUAL_MANAGER, False), (Role.FOCAL_POINT, False),
    (Role.MEMBER, False),
])
def test_only_the_uploader_and_the_secretariat_see_a_job(client, secretariat, role, allowed):
    client.post(url("import_upload"), {"file": inventory_csv(good_rows())})
    job = ImportJob.objects.get()
    if role != "owner":
        client.force_login(UserFactory(roles=[role], focal_countries=["SN"]))
    response = client.get(job_url(job))
    assert response.status_code == (200 if allowed else 404)
    if not allowed:
        assert "SN-0100" not in response.content.decode()


def test_anonymous_visitors_log_in_first_and_unknown_jobs_are_404(client, secretariat):
    client.post(url("import_upload"), {"file": inventory_csv(good_rows())})
    job = ImportJob.objects.get()
    assert client.get(url("import_job", uuid.uuid4())).status_code == 404
    client.logout()
    response = client.get(job_url(job))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_page_of_a_running_import_reloads_itself_and_shows_the_progress(client, secretariat):
    job = ImportJob.objects.create(user=secretariat, file_name="big.xlsx", state="running", phase="reading",
                                   rows_done=1200)
    page = client.get(job_url(job)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<progress" in page and "1200 rows read and checked" in page.replace(",", "").replace("\u202f", "")
    ImportJob.objects.filter(pk=job.pk).update(phase="writing", rows_done=250, rows_total=1000)
    page = client.get(job_url(job)).content.decode()
    assert '<progress id="import-progress" max="100" value="25">' in page
    assert "250 of 1000 returns written" in page.replace(",", "").replace("\u202f", "")
    queued = ImportJob.objects.create(user=secretariat, file_name="next.csv")
    page = client.get(job_url(queued)).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "Waiting for the worker" in page


def test_the_content_security_policy_leaves_the_reload_alone(client, secretariat):
    """CSP has no directive over a page reloading itself: the policy sent is the site's own."""
    job = ImportJob.objects.create(user=secretariat, file_name="big.xlsx", state="running")
    response = client.get(job_url(job))
    policy = response.headers.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "navigate-to" not in policy


def test_a_failed_import_lists_every_problem_on_its_page(client, secretariat):
    rows = good_rows()
    rows[0]["members"] = "beaucoup"
    rows[2]["mutual_id"] = "SN-12"
    before = counts()
    response = imported(client, inventory_csv(rows))
    assert response.context["job"].state == "failed"
    page = response.content.decode()
    assert "2 problem(s): nothing was imported." in page
    assert '<td class="num">2</td><td>members</td><td>beaucoup</td>' in page
    assert '<td class="num">4</td><td>mutual_id</td><td>SN-12</td>' in page
    assert 'http-equiv="refresh"' not in page
    assert counts() == before


def test_a_check_only_job_saves_nothing(client, secretariat):
    before = counts()
    response = imported(client, inventory_csv(good_rows()), check_only="on")
    assert response.context["report"].dry_run and response.context["report"].returns_created == 3
    assert "nothing was saved" in response.content.decode()
    assert counts() == before
    assert not ModelLogEntry.objects.filter(action="portal.inventory.imported").exists()


def test_a_job_run_by_the_worker_is_audited_in_the_uploader_s_name(client, secretariat, settings):
    """The tests' DummyBackend (a test double of the queue: it records tasks without running them) stands
    for the database queue; the job then runs as the worker runs it, outside any request."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = client.post(url("import_upload"), {"file": inventory_csv(good_rows())},
                           REMOTE_ADDR="198.51.100.7")
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.state == "queued" and job.file.name.startswith(PRIVATE_PREFIX)
    page = client.get(job_url(job)).content.decode()
    assert 'http-equiv="refresh"' in page and "Waiting for the worker" in page
    assert not YearlyReturn.objects.exists()

    assert import_jobs.run_import_job(str(job.public_id)) == "done"
    assert import_jobs.run_import_job(str(job.public_id)) == "skipped"  # run once
    job.refresh_from_db()
    assert job.state == "done" and job.file.name == "" and YearlyReturn.objects.count() == 3
    entry = ModelLogEntry.objects.get(action="portal.inventory.imported")
    assert entry.user_id == secretariat.pk
    assert entry.data["origin"] == {"address": "198.51.100.7"}
    assert entry.data["returns_created"] == 3


def test_files_of_jobs_that_never_ended_are_deleted_after_their_days(secretariat, settings):
    job = ImportJob(user=secretariat, file_name="lost.csv", language="en")
    job.file.save("lost.csv", ContentFile(b"mutual_id\n"), save=False)
    job.save()
    path = job.file.path
    ImportJob.objects.filter(pk=job.pk).update(created_at=job.created_at - import_jobs.timedelta(days=3))
    assert import_jobs.forget_old_import_files() == 1
    job.refresh_from_db()
    assert job.state == "failed" and job.file.name == ""
    assert "did not finish" in import_jobs.failure_of(job).problems[0].reason
    assert not os.path.exists(path)


@pytest.mark.django_db(transaction=True)
def test_progress_is_its_own_write_outside_the_import_s_transaction():
    """Outside a transaction (the worker reading the file) each record is committed at once; inside the
    import's transaction on SQLite nothing is written (the import holds the only write lock)."""
    job = ImportJob.objects.create(file_name="big.csv", state="running")
    progress = import_jobs.JobProgress(job, every=0)
    progress("reading", 500, None)
    job.refresh_from_db()
    assert (job.phase, job.rows_done, job.rows_total) == ("reading", 500, None)
    with transaction.atomic():
        progress("writing", 10, 20)
    job.refresh_from_db()
    if connection.vendor == "sqlite":
        assert (job.phase, job.rows_done) == ("reading", 500)
    else:  # a second connection recorded it, committed at once
        assert (job.phase, job.rows_done, job.rows_total) == ("writing", 10, 20)
    progress.close()


def test_the_command_shows_a_progress_bar_per_phase(tmp_path):
    path = tmp_path / "inventory.csv"
    path.write_bytes(inventory_csv(good_rows()).read())
    from inventory.contract.imports import import_returns

    stream = io.StringIO()
    bars = PhaseBars(stream, disable=False)
    import_returns(path, progress=bars)
    bars.close()
    shown = stream.getvalue()
    assert "Reading and checking" in shown and re.search(r"Writing: 100%.*3/3", shown)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_inventory", str(path), "--check", stdout=out, stderr=err)
    assert "Returns: 0 created, 0 updated, 3 unchanged" in out.getvalue()
