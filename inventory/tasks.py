"""The inventory's background tasks (portal/core/tasks.py): they run in the worker, never in a request."""

import datetime

from django_tasks import task

from portal.core.tasks import periodic

# --- Campaign e-mails: invitations and reminders -------------------------------------------------

@periodic(every=datetime.timedelta(hours=1))
@task()
def send_campaign_emails() -> dict:
    """The due invitations and reminders of every open campaign (what `send_reminders` does from cron).

    Hourly, as the cron line was: `send_due_messages` is idempotent (a message's row is committed
    before it is sent, so a second run sends nothing twice), the day's messages leave in the first
    hour of the day, and a message the mail server refused is tried again each hour for RETRY_FOR.
    It must run outside any transaction (each row is committed on its own before its e-mail): the
    worker runs tasks in autocommit, not inside the transaction that queued them.
    """
    from django.utils import timezone

    from inventory.campaign.schedule import send_due_messages
    from inventory.models import Campaign

    today = timezone.localdate()
    sent = {}
    for campaign in Campaign.objects.open().order_by("year"):
        report = send_due_messages(campaign, today=today)
        sent[str(campaign.year)] = {"sent": report.total_sent, "failed": len(report.failures)}
    return sent


# --- Computed tables and files: the synthesis, the current datasets, the releases ----------------

@periodic(every=datetime.timedelta(minutes=1))
@task()
def refresh_computed() -> dict:
    """Recompute the synthesis, then rebuild the current dataset files (XLSX, Parquet, zip), then
    freeze any release waiting for its files: queued once after each change (`refresh.request_refresh`),
    and every minute as a safety net that does nothing when all is up to date (`opendata/refresh.py`)."""
    from inventory.opendata.refresh import refresh

    return refresh()


@task()
def build_release_files(release_id: int) -> bool:
    """Freeze a release's files, queued by its publication (`releases.build_release`)."""
    from inventory.opendata.releases import build_release

    return build_release(release_id)


# --- The secretariat's inventory uploads ---------------------------------------------------------

@task()
def run_inventory_import(public_id: str) -> str:
    """Import an uploaded inventory file and record its progress and outcome (contract/import_jobs.py)."""
    from inventory.contract.import_jobs import run_import_job

    return run_import_job(public_id)


@periodic(every=datetime.timedelta(hours=6))
@task()
def forget_old_import_files() -> int:
    """Delete the files of inventory uploads that no import removed within their days (a crash)."""
    from inventory.contract.import_jobs import forget_old_import_files as forget

    return forget()
