"""A secretariat's inventory upload run in the worker (`tasks.run_inventory_import`), with its progress.

The upload view stores the file in an `ImportJob` and queues the task; `run_import_job` imports the file
with `imports.import_returns` (all or nothing, check-only as before), records the outcome (the report's
counts and warnings, or every problem) in the job as JSON, and deletes the file. The job's page reads
the row; `report_of` and `failure_of` turn the JSON back into what the page's templates show.

How progress is recorded, on SQLite as on PostgreSQL (`JobProgress`): each record is its own short
write, at most once a second and at each change of phase, never part of the import's transaction
(whose work must stay all or nothing, and whose rows no other connection sees before it commits).

- While the file is read and checked (the longest part of a large import) the worker runs in
  autocommit: the record is an ordinary UPDATE of the job's row, committed at once, on either database.
- The phase "writing" and the number of returns to write are recorded just before the transaction
  begins, and the outcome just after it ends.
- Inside the transaction, on PostgreSQL, a second connection records the returns written (row locks:
  the import's transaction does not hold the job's row). On SQLite the import's transaction holds the
  database's only write lock: a second connection would wait for the import, i.e. for itself, until the
  busy timeout. So nothing is recorded there and the page shows "writing the returns" without a
  moving count until the outcome (the cache is no way out: the embedded default's cache is per process).

A failed progress record (a busy database) is skipped, never a failed import.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..models import ImportJob
from ..models.import_jobs import IMPORT_FILE_DAYS
from ..returns.validation import PlausibilityWarning
from .imports import ImportReport, import_returns
from .reading import ImportFailed, RowProblem

logger = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 1.0
FORGET_JOBS_AFTER = timedelta(days=90)


class JobProgress:
    """The `progress(phase, done, total)` callable of `import_returns` for one job (see the module)."""

    def __init__(self, job: ImportJob, every: float = PROGRESS_EVERY_SECONDS):
        self.job_id = job.pk
        self.every = every
        self.phase = None
        self.last = 0.0
        self._side = None  # the second connection (PostgreSQL), opened on first need

    def __call__(self, phase: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if phase == self.phase and now - self.last < self.every:
            return
        self.phase, self.last = phase, now
        self.record(phase=phase, rows_done=done, rows_total=total, progress_at=timezone.now())

    def record(self, **fields) -> None:
        try:
            if not connection.in_atomic_block:
                ImportJob.objects.filter(pk=self.job_id).update(**fields)
            elif connection.vendor != "sqlite":
                self._record_aside(fields)
        except DatabaseError:
            logger.warning("Progress of import job %s not recorded", self.job_id, exc_info=True)

    def _record_aside(self, fields: dict) -> None:
        if self._side is None:
            self._side = connections.create_connection(DEFAULT_DB_ALIAS)  # autocommit: one commit per UPDATE
        quote = self._side.ops.quote_name
        columns = ", ".join(f"{quote(name)} = %s" for name in fields)
        with self._side.cursor() as cursor:
            cursor.execute(f"UPDATE {quote(ImportJob._meta.db_table)} SET {columns} WHERE {quote('id')} = %s",
                           [*fields.values(), self.job_id])

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


# --- The outcome as JSON, and back ---------------------------------------------------------------

_COUNTS = ("mutuals_created", "mutuals_updated", "returns_created", "returns_updated", "returns_unchanged")


def _plain(value):
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def report_json(report: ImportReport) -> dict:
    return {**{name: getattr(report, name) for name in _COUNTS}, "dry_run": report.dry_run,
            "warnings": [[number, {"code": w.code, "columns": list(w.columns), "message": str(w.message)}]
                         for number, w in report.warnings]}


def report_of(job: ImportJob) -> ImportReport | None:
    if job.state != ImportJob.State.DONE or not job.report:
        return None
    data = job.report
    return ImportReport(**{name: data.get(name, 0) for name in _COUNTS}, dry_run=data.get("dry_run", False),
                        warnings=[(number, PlausibilityWarning(w["code"], tuple(w["columns"]), w["message"]))
                                  for number, w in data.get("warnings", [])])


def problems_json(problems) -> list[dict]:
    return [{"row": getattr(p, "row", 0), "column": p.column, "value": _plain(p.value),
             "reason": str(p.reason)} for p in problems]


def failure_of(job: ImportJob) -> ImportFailed | None:
    if job.state != ImportJob.State.FAILED:
        return None
    return ImportFailed([RowProblem(p["column"], p["value"], p["reason"], row=p["row"])
                         for p in job.problems or []])


# --- Running a job -------------------------------------------------------------------------------

def run_import_job(public_id: str) -> str:
    """Import the job's file (once: a job no longer queued is left alone); its final state."""
    claimed = ImportJob.objects.filter(public_id=public_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, phase=ImportJob.Phase.READING, started_at=timezone.now())
    if not claimed:
        return "skipped"
    job = ImportJob.objects.select_related("user").get(public_id=public_id)
    progress = JobProgress(job)
    outcome: dict = {}
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE), job.file.open("rb") as handle:
            try:
                report = import_returns(handle, job.file_name, user=job.user, dry_run=job.check_only,
                                        progress=progress, origin=job.origin or None)
            except ImportFailed as failure:
                outcome = {"state": ImportJob.State.FAILED, "problems": problems_json(failure.problems)}
                logger.info("Inventory upload %s by user %s refused: %s problem(s)", job.file_name,
                            job.user_id, len(failure.problems))
            else:
                outcome = {"state": ImportJob.State.DONE, "report": report_json(report)}
                logger.info(
                    "Inventory upload %s by user %s%s: mutuals %s created, %s updated; returns %s created, "
                    "%s updated, %s unchanged", job.file_name, job.user_id,
                    " (check only)" if report.dry_run else "", report.mutuals_created, report.mutuals_updated,
                    report.returns_created, report.returns_updated, report.returns_unchanged)
    except Exception:
        logger.exception("Inventory import job %s stopped on an error", public_id)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            outcome = {"state": ImportJob.State.FAILED, "problems": [{
                "row": 0, "column": "", "value": "",
                "reason": _("The import stopped on an unexpected error: nothing was imported. The error "
                            "is in the worker's log."),
            }]}
    finally:
        progress.close()
        _delete_file(job)
    ImportJob.objects.filter(pk=job.pk).update(**outcome, phase=ImportJob.Phase.FINISHED, file="",
                                               finished_at=timezone.now())
    return outcome["state"]


def _delete_file(job: ImportJob) -> None:
    if job.file:
        try:
            job.file.storage.delete(job.file.name)
        except Exception:  # a storage error (disk, object storage) must not leave the job running
            logger.warning("The file of import job %s could not be deleted", job.public_id, exc_info=True)


def forget_old_import_files(now=None) -> int:
    """Delete the files that jobs older than IMPORT_FILE_DAYS still hold (a job the worker never ran, or
    one stopped half-way by a crash: it is marked failed), and jobs older than FORGET_JOBS_AFTER.
    The number of files deleted."""
    now = now or timezone.now()
    deleted = 0
    stale = ImportJob.objects.filter(created_at__lt=now - timedelta(days=IMPORT_FILE_DAYS))
    for job in stale.exclude(file=""):
        _delete_file(job)
        deleted += 1
    for job in stale.filter(state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]):
        with translation.override(job.language or settings.LANGUAGE_CODE):
            reason = _("The import did not finish within %(days)s days: nothing was imported. Upload the "
                       "file again.") % {"days": IMPORT_FILE_DAYS}
        ImportJob.objects.filter(pk=job.pk, state=job.state).update(
            state=ImportJob.State.FAILED, phase=ImportJob.Phase.FINISHED, finished_at=now,
            problems=[{"row": 0, "column": "", "value": "", "reason": reason}])
    stale.exclude(file="").update(file="")
    ImportJob.objects.filter(created_at__lt=now - FORGET_JOBS_AFTER).delete()
    return deleted
