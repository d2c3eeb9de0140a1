"""Whether a frozen release holds a cell that a spreadsheet would run as a formula.

Releases published before the portal's writers neutralised formula-like text
(`portal.core.spreadsheets`) may hold one: a text typed as `=HYPERLINK(…)` written raw to the CSV, or
as a live formula to the workbook. This command only reads: a release is never rewritten (its files
and checksums are what people cite); what to do about one found is the secretariat's decision (a
new version, a notice on the release's page).

Read: each release's CSV files, its XLSX workbook, and the same files inside its zip (the workbook
inside the zip too). Printed: release, file, sheet (workbooks), row (1 is the header), column (its
name in a CSV, the cell's reference in a workbook) and the cell's start. The exit status is 1 when a
cell is found, 0 otherwise.
"""

import io
import zipfile

from django.core.management.base import BaseCommand, CommandError

from inventory.models import Release
from portal.core.spreadsheets import csv_formula_cells, xlsx_formula_cells

PREVIEW = 60  # characters of a found cell shown


class Command(BaseCommand):
    help = (
        "Report every cell of the frozen releases (CSV files, workbook, zip) that a spreadsheet would "
        "run as a formula. Never rewrites a release; exits with status 1 when a cell is found."
    )

    def add_arguments(self, parser):
        parser.add_argument("--release", action="append", default=[], metavar="FOLDER",
                            help="Only this release, by its folder (e.g. inventaire-2025-v1.0); repeatable")

    def handle(self, *args, release, **options):
        releases = Release.objects.prefetch_related("files").order_by("published_at", "pk")
        if release:
            releases = [r for r in releases if r.folder in release]
            if not releases:
                raise CommandError(f"No release among: {', '.join(release)}")
        found = files = 0
        for frozen in releases:
            for release_file in frozen.files.all():
                if not release_file.filename.endswith((".csv", ".xlsx", ".zip")):
                    continue
                files += 1
                with release_file.file.open("rb") as stream:
                    for where, cell in _formula_cells(release_file.filename, stream):
                        found += 1
                        sheet = f" sheet {cell.sheet}" if cell.sheet else ""
                        text = cell.text[:PREVIEW] + ("…" if len(cell.text) > PREVIEW else "")
                        self.stdout.write(
                            f"{frozen.label} [{frozen.folder}] {where}{sheet} row {cell.row} column "
                            f"{cell.column}: {text!r}"
                        )
        if found:
            raise CommandError(
                f"{found} cell(s) a spreadsheet would run as a formula, in {files} file(s) of "
                f"{len(releases)} release(s). The releases were left as they are."
            )
        self.stdout.write(self.style.SUCCESS(
            f"No formula-like cell in {files} file(s) of {len(releases)} release(s)."
        ))


def _formula_cells(name: str, stream):
    """(where, FormulaCell) for the file `name` read from the binary, seekable `stream`, streamed
    (a release's files may be large); a zip's members are read too."""
    if name.endswith(".csv"):
        for cell in csv_formula_cells(io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")):
            yield name, cell
    elif name.endswith(".xlsx"):
        for cell in xlsx_formula_cells(stream):
            yield name, cell
    elif name.endswith(".zip"):
        with zipfile.ZipFile(stream) as archive:
            for member in archive.namelist():
                if member.endswith((".csv", ".xlsx")):
                    with archive.open(member) as inner:
                        for where, cell in _formula_cells(member, inner):
                            yield f"{name}:{where}", cell
