"""`manage.py backup <file>`: the database and the uploaded files in one archive (portal/core/backup.py,
docs/operations.md). The portal may keep running meanwhile."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from tqdm import tqdm

from portal.core.backup import ENGINE_NAMES, BackupError, write_backup


def progress_bar(description, total):
    """A progress bar on the terminal (none when the output is not one: cron, logs)."""
    return tqdm(desc=description, total=total, unit=_("files") if total else "B", unit_scale=not total,
                disable=None, file=sys.stderr, leave=False)


class Command(BaseCommand):
    help = _("Write a backup of the database and the uploaded files into one archive (.tar.gz).")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The archive to write, e.g. backup-2026-01-31.tar.gz"))

    def handle(self, *args, file, **options):
        try:
            manifest = write_backup(file, progress=progress_bar)
        except BackupError as error:
            raise CommandError(str(error)) from error
        files = manifest["files"]
        self.stdout.write(self.style.SUCCESS(
            _("Backup written to %(file)s: the %(engine)s database and %(count)s uploaded files "
              "(%(size)s).") % {
                "file": file, "engine": ENGINE_NAMES[manifest["database"]["engine"]],
                "count": files["count"],
                "size": filesizeformat(files["bytes"]),
            }
        ))
        if files["skipped"]:
            self.stdout.write(_("Left out (rebuilt by the portal): %(folders)s") % {
                "folders": ", ".join(files["skipped"])})
