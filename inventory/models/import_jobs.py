"""A secretariat's inventory upload, imported in the background (inventory/contract/import_jobs.py runs it).

The upload view stores the file and queues the job; the worker imports it (all or nothing, as the
command does) and records its progress and outcome here; the job's page shows them. The file is kept
under a private path of the default storage (`PRIVATE_PREFIX`, never under a URL the web server or the
portal serves) only until the job ends: the runner deletes it then, and `forget_old_import_files`
deletes what a job that never ended left behind after `IMPORT_FILE_DAYS`.
"""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PRIVATE_PREFIX = "private/inventory-imports"
IMPORT_FILE_DAYS = 2  # a file left by a job that never ended is deleted after this many days


def _private_path(job, filename: str) -> str:
    # The file's own name is not part of the path (it is kept in `file_name`): the job's id and the suffix.
    suffix = PurePosixPath(filename).suffix.lower()
    return f"{PRIVATE_PREFIX}/{job.public_id}{suffix if suffix in ('.csv', '.xlsx') else ''}"


class ImportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    class Phase(models.TextChoices):
        WAITING = "waiting", _("waiting for the worker")
        READING = "reading", _("reading and checking the rows")
        WRITING = "writing", _("writing the returns")
        FINISHED = "finished", _("finished")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    file_name = models.CharField(_("file name"), max_length=255)
    file = models.FileField(upload_to=_private_path, max_length=255, blank=True)
    check_only = models.BooleanField(default=False)
    language = models.CharField(max_length=10, blank=True)  # the uploader's: the problems are worded in it
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.WAITING)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)  # None while the file is being read
    # Where the upload came from, for the import's audit entry written by the worker ({"address": …}).
    origin = models.JSONField(default=dict, blank=True)
    report = models.JSONField(null=True, blank=True)  # counts and warnings when done
    problems = models.JSONField(null=True, blank=True)  # every problem when failed
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inventory import")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.state})"

    @property
    def active(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
