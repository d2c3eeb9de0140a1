"""A returns table (CSV or XLSX) read and checked, as `../shared/inventory/README.md` defines it: the
import's first half (`imports.import_returns` writes what passes), shared with a mutual's offline form.

Every problem is listed (row number as in the file — the header is row 1 —, column, value, reason),
never only the first: `check_table` types every cell and checks it against the contract.

Reading is bounded (`portal.core.archives`, `portal.core.workbooks`): an XLSX file is measured before it
is inflated and its rows are read as the file holds them, never padded to a declared dimension; a CSV
file's lines, fields and columns are bounded as it is read; every row read counts toward the row limit,
blank ones too; every cell parsed (empty ones too) counts toward the cell limit; reading and checking
stop at a deadline. A file beyond a bound is refused with a problem naming the bound (`ReadingBounds`).
`read_table` takes a `progress(phase, done, total)` callable, called at every row read ("reading",
total None: a file's row count is known once it is read).
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from portal.core.archives import Deadline, LimitExceeded
from portal.core.spreadsheets import FORMULA_STARTS, QUOTE, typed_text
from portal.core.workbooks import BoundedWorkbook, CellCount, csv_rows

from ..returns.validation import Problem, check_value
from . import schema

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Columns read from a spreadsheet row: the contract has about 70; a value further right is refused.
MAX_COLUMNS = 256
IDENTITY_COLUMNS = [
    "mutual_name", "acronym", "country", "region", "locality", "year_created", "mutual_type",
    "legal_status", "union",
]
# Identity columns -> Mutual fields (the union is matched by name separately).
_TRUE = {"true", "1", "yes", "vrai", "oui"}
_FALSE = {"false", "0", "no", "faux", "non"}


class ImportFailed(Exception):
    """The file cannot be imported; `problems` lists every reason and nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(_("%(n)s problem(s): nothing was imported.") % {"n": len(problems)})
        self.problems = problems


@dataclass(frozen=True)
class RowProblem(Problem):
    row: int = 0


@dataclass(frozen=True)
class ReadingBounds:
    """How much of a table file is read before it is refused (each bound is named in the refusal).

    `rows`: rows after the header, blank ones included; `cells`: cells parsed, empty ones included (rows ×
    columns); `seconds`: reading and checking together; `line_chars` and `field_chars`: a CSV's physical
    line and one value. The settings `INVENTORY_IMPORT_MAX_*` give the import's (`import_bounds()`);
    the offline form, one row, has far smaller ones (inventory/returns/offline_form.py)."""

    rows: int
    cells: int
    seconds: float
    line_chars: int = 65_536
    field_chars: int = 10_000


def import_bounds() -> ReadingBounds:
    """The bounds of an inventory import, as the settings have them now."""
    return ReadingBounds(
        rows=max_rows(),
        cells=getattr(settings, "INVENTORY_IMPORT_MAX_CELLS", 4_000_000),
        seconds=getattr(settings, "INVENTORY_IMPORT_MAX_SECONDS", 300),
        line_chars=getattr(settings, "INVENTORY_IMPORT_MAX_LINE_CHARS", 65_536),
        field_chars=getattr(settings, "INVENTORY_IMPORT_MAX_FIELD_CHARS", 10_000),
    )


def max_rows() -> int:
    """The most rows an imported file may hold after its header, blank ones included."""
    return getattr(settings, "INVENTORY_IMPORT_MAX_ROWS", 100_000)


def read_table(
    path_or_file, filename: str | None = None, *, sheet: str | None = None, max_rows: int | None = None,
    problems: list | None = None, bounds: ReadingBounds | None = None, progress=None,
) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (row number, {column: raw value}) pairs from a .csv (UTF-8) or .xlsx file.

    A file object is read as a stream: an uploaded file is never copied into memory whole. Given a
    `problems` list, the rows come as a lazy iterator (a large file's raw rows are not all held at
    once) and the problems of a row's shape are appended to that list; otherwise the rows are a list
    and those problems raise ImportFailed. `sheet` names the XLSX worksheet to read (default: the
    first). Reading is bounded by `bounds` (default: the import's; `max_rows` overrides its rows): past
    any of them, ImportFailed names the bound. `progress("reading", rows read, None)` is called at
    every row read.
    """
    bounds = bounds or import_bounds()
    if max_rows is not None:
        bounds = replace(bounds, rows=max_rows)
    deadline = Deadline(bounds.seconds)
    cells = CellCount(bounds.cells)
    name = filename or str(path_or_file)
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path_or_file, bounds, deadline, cells)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path_or_file, sheet, deadline, cells)
    else:
        raise ImportFailed([RowProblem("", name, _("Only .csv and .xlsx files can be imported."), row=0)])
    try:
        header_values = next(rows)
    except StopIteration:
        raise ImportFailed([RowProblem("", "", _("The file is empty."), row=0)]) from None
    header = [str(h).strip() if h is not None else "" for h in header_values]
    while len(header) > 1 and header[-1] == "":
        header.pop()  # spreadsheets often carry empty formatted columns at the right
    if len(header) == 1 and ";" in header[0]:
        reason = _("Columns must be separated by commas; this file seems to use semicolons.")
        raise ImportFailed([RowProblem("", header[0][:80], reason, row=1)])
    if problems is not None:
        return header, _body(header, rows, bounds.rows, problems, progress)
    found = []
    body = list(_body(header, rows, bounds.rows, found, progress))
    if found:
        raise ImportFailed(found)
    return header, body


def _body(header, rows, max_rows, problems, progress=None):
    for number, values in enumerate(rows, start=2):
        # Blank rows count: a file of a million empty rows is not read to its end.
        if max_rows is not None and number - 1 > max_rows:
            reason = _("This file may hold at most %(n)s row(s), blank rows included.") % {"n": max_rows}
            raise ImportFailed([RowProblem("", "", reason, row=number)])
        if progress is not None:
            progress("reading", number - 1, None)
        if all(_blank(v) for v in values):
            continue  # blank lines, common at the end of spreadsheets
        # A value beyond the named columns would otherwise be dropped without a word.
        for position in range(len(header), len(values)):
            if not _blank(values[position]):
                problems.append(RowProblem(
                    "", values[position], _("This value stands in a column without a name."), row=number
                ))
        padded = list(values) + [None] * (len(header) - len(values))
        yield number, dict(zip(header, padded, strict=False))


def _blank(value) -> bool:
    return value is None or str(value).strip() == ""


def _csv_rows(path_or_file, bounds: ReadingBounds, deadline: Deadline, cells: CellCount):
    """Rows of a UTF-8 CSV file, decoded as they are read, within `bounds` (portal.core.workbooks)."""
    if isinstance(path_or_file, str | Path):
        stream = open(path_or_file, "rb")  # closed below, after the last row
        owned = True
    else:
        stream = getattr(path_or_file, "file", path_or_file)  # an UploadedFile's underlying file
        owned = False
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    number = 0  # rows read so far, for the error's row number
    try:
        for values in csv_rows(text, max_columns=MAX_COLUMNS, max_line_chars=bounds.line_chars,
                               max_field_chars=bounds.field_chars, deadline=deadline, cells=cells):
            number += 1
            yield values
    except LimitExceeded as error:
        raise ImportFailed([RowProblem("", "", error.message, row=number + 1)]) from error
    except UnicodeDecodeError as error:
        raise ImportFailed([RowProblem("", "", _("The file is not UTF-8 text."), row=number + 1)]) from error
    except csv.Error as error:
        raise ImportFailed([RowProblem("", "", _("The CSV file is malformed: %(error)s") % {"error": error},
                                      row=number + 1)]) from error
    finally:
        if owned:
            text.close()
        elif not stream.closed:
            text.detach()  # leave the caller's file open


def open_workbook(path_or_file, deadline: Deadline | None = None) -> BoundedWorkbook:
    """The XLSX workbook, measured against the bounds of reading; ImportFailed when it goes beyond one
    (the problem names it) or is no readable workbook."""
    try:
        return BoundedWorkbook(path_or_file, deadline=deadline)
    except LimitExceeded as error:
        raise ImportFailed([RowProblem("", "", error.message, row=0)]) from error
    except Exception as error:  # zipfile, XML and openpyxl errors alike
        reason = _("The file is not a readable XLSX workbook.")
        raise ImportFailed([RowProblem("", "", reason, row=0)]) from error


def _xlsx_rows(path_or_file, sheet, deadline: Deadline, cells: CellCount):
    book = open_workbook(path_or_file, deadline)
    number = 0
    try:
        if sheet is not None and sheet not in book.sheetnames:
            reason = _("The workbook has no sheet named “%(sheet)s”.") % {"sheet": sheet}
            raise ImportFailed([RowProblem("", sheet, reason, row=0)])
        rows = book.rows(sheet, max_columns=MAX_COLUMNS, cells=cells)
        while True:
            try:
                values = next(rows)
            except StopIteration:
                return
            except LimitExceeded as error:
                raise ImportFailed([RowProblem("", "", error.message, row=number + 1)]) from error
            except Exception as error:  # a damaged sheet inside a readable archive
                reason = _("The file is not a readable XLSX workbook.")
                raise ImportFailed([RowProblem("", "", reason, row=number + 1)]) from error
            number += 1
            yield list(values)
    finally:
        book.close()


def typed_csv_text(text: str) -> str:
    """A text as typed, from a cell of a CSV file the portal wrote: the `'` it puts in front of a text
    a spreadsheet would run (`portal.core.spreadsheets`) comes off again, so an exported file imports
    back unchanged. A `'` before anything else is the text's own."""
    if text.startswith(QUOTE) and text[1:].startswith((*FORMULA_STARTS, QUOTE)):
        return typed_text(text)
    return text


def parse_cell(field_def: dict, raw):
    """The typed value of a cell, or raises ValueError with the reason. Empty cells are None."""
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return None
    kind = field_def["type"]
    if kind == "string":
        return typed_csv_text(str(raw).strip())
    if kind == "integer":
        if isinstance(raw, bool):
            raise ValueError(_("A whole number is expected."))
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, int):
            return raw
        text = _ungrouped(str(raw), _("A whole number is expected."))
        if not text.lstrip("-").isdigit():
            raise ValueError(_("A whole number is expected."))
        return int(text)
    if kind == "number":
        if isinstance(raw, bool):
            raise ValueError(_("A number is expected."))
        if isinstance(raw, int | float | Decimal):
            text = str(raw)
        else:
            text = _ungrouped(str(raw), _("A number is expected.")).replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation as error:
            raise ValueError(_("A number is expected.")) from error
        if not value.is_finite():
            raise ValueError(_("A number is expected."))
        return value
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(_("true or false is expected."))
    if kind == "datetime":
        if isinstance(raw, datetime):
            return raw
        if isinstance(raw, date):
            return datetime(raw.year, raw.month, raw.day)
        value = parse_datetime(str(raw).strip())
        if value is None:
            raise ValueError(_("A date and time (ISO 8601) is expected."))
        return value
    return raw


# French formatting, as people type it: 1 234 567,5 (spaces, no-break spaces or thin no-break spaces
# between groups of three digits, a comma before the decimals). Plain 1234567.5 is the contract's.
_GROUP_SEPARATORS = " \u00a0\u202f"
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?")


def _ungrouped(text: str, message) -> str:
    """`text` without digit-group separators, or ValueError(message) when they are misplaced;
    a number may carry either a decimal comma or a decimal point, not both."""
    text = text.strip()
    if any(sep in text for sep in _GROUP_SEPARATORS):
        if not _GROUPED.fullmatch(text):
            raise ValueError(message)
        text = "".join(c for c in text if c not in _GROUP_SEPARATORS)
    if "," in text and ("." in text or text.count(",") > 1):
        raise ValueError(message)
    return text


def check_table(header: list[str], body: Iterable[tuple[int, dict]], *, ignored: Iterable[str] = (),
                optional: Iterable[str] = ()):
    """Typed rows and every problem: unknown or missing columns, cell constraints, and a mutual's
    identity disagreeing between two rows, or the same mutual and year twice.

    Columns in `ignored` (known columns the caller does not use) are neither required nor read;
    cells of `optional` columns may be empty even where the contract requires a value (a draft).
    """
    optional = set(optional)
    problems: list[RowProblem] = []
    # An exported file imports back: the portal's added columns (EUR) are computed, like the indicators.
    known = schema.published_column_names()
    ignored = set(ignored) | set(schema.indicator_names()) | set(schema.extension_names())
    for column in header:
        if column not in known:
            problems.append(RowProblem(column, column, _("Unknown column."), row=1))
    if len(set(header)) != len(header):
        problems.append(RowProblem("", "", _("A column appears twice in the header."), row=1))
    required = [f["name"] for f in schema.fields() if f.get("constraints", {}).get("required")]
    for column in required:
        if column not in header and column not in ignored:
            problems.append(RowProblem(column, "", _("This required column is missing."), row=1))
    if problems:
        return [], problems

    columns = [c for c in header if c not in ignored]
    typed_rows = []
    identities: dict[str, tuple[int, dict]] = {}
    seen: dict[tuple, int] = {}
    for number, raw in body:
        row = {}
        for column in columns:
            field_def = schema.field(column)
            try:
                value = parse_cell(field_def, raw.get(column))
            except ValueError as error:
                problems.append(RowProblem(column, raw.get(column), str(error), row=number))
                continue
            reason = None if value is None and column in optional else check_value(field_def, value)
            if reason:
                problems.append(RowProblem(column, raw.get(column), reason, row=number))
            row[column] = value
        key = (row.get("mutual_id"), row.get("year"))
        if None not in key:
            if key in seen:
                problems.append(RowProblem(
                    "year", row.get("year"),
                    _("Same mutual and year as row %(row)s.") % {"row": seen[key]}, row=number,
                ))
            seen[key] = number
            identity = {c: row.get(c) for c in IDENTITY_COLUMNS if c in row}
            first = identities.setdefault(row["mutual_id"], (number, identity))
            for column, value in identity.items():
                if first[1].get(column) != value:
                    problems.append(RowProblem(
                        column, raw.get(column),
                        _("Disagrees with row %(row)s for the same mutual.") % {"row": first[0]},
                        row=number,
                    ))
        typed_rows.append((number, row))
    return typed_rows, problems
