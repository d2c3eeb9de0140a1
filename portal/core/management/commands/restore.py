"""`manage.py restore <file>`: a backup written by `manage.py backup` into an empty installation
(portal/core/restore.py, docs/operations.md). Stop the portal and its worker first."""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.core.backup import ENGINE_NAMES, BackupError
from portal.core.restore import restore_backup

from .backup import progress_bar


class Command(BaseCommand):
    requires_system_checks = []  # the checks read the database, which may not exist yet
    help = _("Restore a backup archive (database and uploaded files) into an empty installation, then "
             "migrate it. The whole archive is checked before anything is changed.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The archive written by `manage.py backup`"))
        parser.add_argument(
            "--force", action="store_true",
            help=_("Restore even if the installation holds content: its database is replaced and its "
                   "files of the same names are overwritten."),
        )

    def handle(self, *args, file, force=False, **options):
        verbosity = options["verbosity"]
        try:
            manifest = restore_backup(
                file, force=force, progress=progress_bar,
                migrate=lambda: call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0)),
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(
            _("Restored the backup of %(created)s: the %(engine)s database and %(count)s uploaded files. "
              "Start the portal and its worker again.") % {
                "created": manifest["created_at"], "engine": ENGINE_NAMES[manifest["database"]["engine"]],
                "count": manifest["files"]["count"],
            }
        ))
