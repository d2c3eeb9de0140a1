"""`manage.py import_inventory`: the returns table imported from a file, all or nothing (the web
upload's code: inventory/contract/imports.py), with a progress bar on a terminal."""

from django.core.management.base import BaseCommand, CommandError

from inventory.contract.imports import import_returns
from inventory.contract.reading import ImportFailed
from inventory.management.progress import PhaseBars, error_stream


class Command(BaseCommand):
    help = "Import returns (CSV or XLSX with the returns columns): all or nothing, idempotent."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .csv (UTF-8) or .xlsx file")
        parser.add_argument(
            "--check", action="store_true",
            help="Check the file and report what the import would do, then roll everything back.",
        )

    def handle(self, *args, path, check=False, **options):
        bars = PhaseBars(error_stream(self))
        try:
            report = import_returns(path, dry_run=check, progress=bars)
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except ImportFailed as failure:
            bars.close()
            for p in failure.problems:
                self.stderr.write(f"row {p.row}, column {p.column or '-'}, value {p.value!r}: {p.reason}")
            raise CommandError(str(failure)) from failure
        finally:
            bars.close()
        for number, warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"row {number}: {warning.message}"))
        self.stdout.write(self.style.SUCCESS(
            f"Mutuals: {report.mutuals_created} created, {report.mutuals_updated} updated. "
            f"Returns: {report.returns_created} created, {report.returns_updated} updated, "
            f"{report.returns_unchanged} unchanged. Warnings: {len(report.warnings)}."
            + (" Checked only: nothing was saved." if report.dry_run else "")
        ))
