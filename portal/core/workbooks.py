"""An uploaded XLSX workbook read within the bounds of `portal.core.archives`.

openpyxl's read-only mode trusts a sheet's declared `<dimension>`: a 14 KB file declaring A1:XFD1048576
is padded to seventeen billion empty cells, and it holds a whole `<row>` element in memory before
reading its cells. So here:

- the archive is measured before anything is inflated (`BoundedArchive`: members, declared sizes,
  compression ratio); openpyxl then reads only the workbook's small parts (sheet list, shared strings,
  styles), each within the sizes just checked;
- a sheet's XML is streamed here, cell by cell, every inflated byte counted against the archive's bound
  and the time against the deadline; no element is kept once read;
- rows come as the file holds them, never padded to a declared dimension; a row missing from the file
  (a jump from row 3 to row 900) comes as an empty row, so that a caller counting rows counts it;
- a row is read up to `max_columns`: a value beyond is refused (LimitExceeded), empty cells beyond are
  ignored (spreadsheets keep formatted empty cells at the right); a row holding more than
  `MAX_ROW_CELLS` cell elements, empty or not, is refused at once (16,384 formatted empty cells a row
  cost about 0.5 s each to parse: a few hundred such rows passed every other bound).

Cell values are those openpyxl gives (its cell parser: shared strings, dates from the number format,
booleans, cached results of formulas).

A CSV file is a table too: `csv_rows` reads one within the same kind of bounds (line length, field
length, columns, the deadline), and both readers count every cell they parse, empty ones included, in
a `CellCount` (a cap on rows × columns: the work of reading a table is its cells, which neither the
file's size nor its row count bounds alone).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from xml.etree.ElementTree import iterparse

from django.utils.translation import gettext as _

from .archives import BoundedArchive, Deadline, LimitExceeded, Limits, limits

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL = _MAIN + "row", _MAIN + "c"


# Cell elements one row may hold, empty ones included: LibreOffice's width (AMJ), far more than a table
# of the portal has columns. A row of 16,384 formatted empty cells is refused at once, not parsed.
MAX_ROW_CELLS = 1024


class CellCount:
    """The cells a reader has parsed (a sheet's `<c>` elements, a CSV's fields, empty ones too), counted
    against `limit` (None: no bound): LimitExceeded, naming the bound, once it is passed."""

    def __init__(self, limit: int | None):
        self.limit = limit
        self.count = 0

    def spend(self, cells: int) -> None:
        self.count += cells
        if self.limit is not None and self.count > self.limit:
            raise LimitExceeded(_("The file holds more than %(limit)s cells (rows × columns, empty ones "
                                  "included): it is refused.") % {"limit": self.limit})


def columns_refusal(limit: int, row: int) -> LimitExceeded:
    return LimitExceeded(_("A value stands beyond column %(limit)s (row %(row)s): at most %(limit)s "
                           "columns are read.") % {"limit": limit, "row": row})


class BoundedWorkbook:
    """An XLSX workbook checked against the bounds when opened (LimitExceeded; any other exception when
    it is no readable workbook), its sheets' rows streamed by `rows()`. Close it (or use `with`)."""

    def __init__(self, file, *, bounds: Limits | None = None, deadline: Deadline | None = None):
        from openpyxl import load_workbook

        bounds = bounds or limits()
        self.deadline = deadline or Deadline(bounds.seconds)
        self.archive = BoundedArchive(file, bounds=bounds, deadline=self.deadline)
        try:
            _check_parts_read_whole(self.archive)
            self.book = load_workbook(self.archive.stream(), read_only=True, data_only=True)
        except BaseException:
            self.archive.close()
            raise

    @property
    def sheetnames(self) -> list[str]:
        return self.book.sheetnames

    def rows(self, sheet: str | None = None, *, max_columns: int, cells: CellCount | None = None
             ) -> Iterator[list]:
        """The rows of `sheet` (default: the first) from row 1, each a list of cell values (None for an
        empty cell) as long as its last non-empty cell. Lazy: a caller bounding the rows stops reading
        by no longer asking. Every cell element parsed is counted in `cells` when given."""
        from openpyxl.worksheet._reader import WorkSheetParser

        worksheet = self.book[sheet] if sheet is not None else self.book.worksheets[0]
        # openpyxl's own cell parser (fed one cell at a time): values as openpyxl would give them.
        parser = WorkSheetParser(
            None, worksheet._shared_strings, data_only=True, epoch=self.book.epoch,
            date_formats=self.book._date_formats, timedelta_formats=self.book._timedelta_formats,
        )
        with self.archive.open(worksheet._worksheet_path) as source:
            yield from _rows(source, parser, max_columns, self.deadline, cells or CellCount(None))

    def close(self) -> None:
        self.book.close()
        self.archive.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _check_parts_read_whole(archive: BoundedArchive) -> None:
    """openpyxl reads the workbook's parts other than its sheets whole, into Python objects (shared
    strings into a list, styles into a tree), unpacking them itself, outside our counting and our
    deadline: a 2.5 MB file with a million shared strings, which passes the ratio and size bounds,
    cost 164 MB and 15 s. So each such part (XML, relationships) must be small once unpacked:
    `UPLOAD_MAX_WORKBOOK_PART_BYTES` (16 MB by default; an inventory of 50,000 returns has about
    2 MB of shared strings)."""
    from django.conf import settings
    from django.template.defaultfilters import filesizeformat

    limit = getattr(settings, "UPLOAD_MAX_WORKBOOK_PART_BYTES", 16 * 1024 * 1024)
    for member in archive.zip.infolist():
        name = member.filename
        if name.startswith("xl/worksheets/") and not name.startswith("xl/worksheets/_rels/"):
            continue  # streamed by `rows()`, every byte counted
        if name.endswith((".xml", ".rels")) and member.file_size > limit:
            raise LimitExceeded(_(
                "A part of the workbook (its shared texts, styles or structure) unpacks to more than "
                "%(limit)s: the file is refused.") % {"limit": filesizeformat(limit)})


def _rows(source, cells, max_columns, deadline, counted: CellCount) -> Iterator[list]:
    expected = 1  # the next row number
    values: list = []
    stack = []  # open elements; each is dropped from its parent once read, except inside a cell
    in_cell = 0
    in_row = 0  # cell elements of the current row
    place = None  # the reference of the last empty cell, whose place a cell without one follows
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            stack.append(element)
            if element.tag == _ROW:
                cells.row_counter = _row_number(element, cells.row_counter + 1)
                cells.col_counter = 0
                values = []
                in_row, place = 0, None
            elif element.tag == _CELL:
                in_cell += 1
                in_row += 1
                counted.spend(1)
                if in_row > MAX_ROW_CELLS:
                    raise LimitExceeded(_("Row %(row)s holds more than %(limit)s cells, empty ones included: "
                                          "it is refused.") % {"row": cells.row_counter,
                                                               "limit": MAX_ROW_CELLS})
            continue
        stack.pop()
        if element.tag == _CELL and len(element) == 0:
            # An empty cell (no value, no formula, no inline text): nothing to parse, only its place to
            # keep. Most of a padded sheet's cells are such; skipping openpyxl's parser for them halves
            # the time a sheet of formatted empty cells takes.
            in_cell -= 1
            if element.get("r") is not None:
                place = element.get("r")
            else:
                if place is not None:
                    cells.col_counter, place = _column(place), None
                cells.col_counter += 1
        elif element.tag == _CELL:
            in_cell -= 1
            if place is not None and element.get("r") is None:
                cells.col_counter = _column(place)
            place = None
            cell = cells.parse_cell(element)
            if cell["value"] is not None and cell["value"] != "":
                if cell["column"] > max_columns:
                    raise columns_refusal(max_columns, cell["row"])
                values.extend([None] * (cell["column"] - len(values)))
                values[cell["column"] - 1] = cell["value"]
        elif element.tag == _ROW:
            number = cells.row_counter
            while expected < number:  # rows missing from the file are empty rows
                expected += 1
                deadline.check()
                yield []
            if number >= expected:
                expected = number + 1
                deadline.check()
                yield values
        if stack and not in_cell:
            stack[-1].remove(element)


def _column(reference: str) -> int:
    from openpyxl.utils.cell import coordinate_to_tuple

    return coordinate_to_tuple(reference)[1]


def _row_number(row, default: int) -> int:
    try:
        return int(row.get("r"))
    except (TypeError, ValueError):
        return default


# -- CSV ------------------------------------------------------------------------------------------

def csv_rows(text, *, max_columns: int, max_line_chars: int, max_field_chars: int, deadline: Deadline,
             cells: CellCount | None = None) -> Iterator[list[str]]:
    """The rows of a CSV text stream (opened with newline=""), each a list of fields, within bounds:
    no physical line longer than `max_line_chars` is taken in (it is read that far, then refused), no
    field longer than `max_field_chars`, no value beyond column `max_columns` (empty fields beyond are
    ignored, as spreadsheets write them), every field counted in `cells`, the deadline checked at each
    row. LimitExceeded names the bound; csv.Error and UnicodeDecodeError come through for the caller."""
    cells = cells or CellCount(None)
    line_number = 0

    def lines():
        nonlocal line_number
        while True:
            # Two more than the bound: a line of exactly the bound and its "\r\n" is read in one piece.
            line = text.readline(max_line_chars + 2)
            if not line:
                return
            line_number += 1
            if len(line.rstrip("\r\n")) > max_line_chars:
                raise LimitExceeded(_("Line %(line)s is longer than %(limit)s characters: the file is "
                                      "refused.") % {"line": line_number, "limit": max_line_chars})
            yield line

    row = 0
    try:
        for values in csv.reader(lines()):
            row += 1
            deadline.check()
            cells.spend(max(len(values), 1))
            for position, value in enumerate(values):
                if len(value) > max_field_chars:
                    raise LimitExceeded(_("A value of row %(row)s is longer than %(limit)s characters: the "
                                          "file is refused.") % {"row": row, "limit": max_field_chars})
                if position >= max_columns and value.strip():
                    raise columns_refusal(max_columns, row)
            yield values[:max_columns]
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own bound, process-wide
            limit = min(max_field_chars, csv.field_size_limit())
            raise LimitExceeded(_("A value of row %(row)s is longer than %(limit)s characters: the file is "
                                  "refused.") % {"row": row + 1, "limit": limit}) from error
        raise
