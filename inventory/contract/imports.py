"""Import of the returns table (CSV or XLSX), as `../shared/inventory/README.md` defines it.

All-or-nothing: the whole file is read and checked first; one invalid cell and nothing is written,
and every problem is listed (row number as in the file — the header is row 1 —, column, value,
reason). Rows are matched on `mutual_id` + `year`, so importing the same file again changes nothing.
Plausibility warnings are reported, never blocking. The command and the web upload share this code.

Reading is bounded (`portal.core.archives`, `portal.core.workbooks`): an XLSX file is measured before it
is inflated and its rows are read as the file holds them, never padded to a declared dimension; a CSV
file's lines, fields and columns are bounded as it is read; every row read counts toward the row limit,
blank ones too; every cell parsed (empty ones too) counts toward the cell limit; reading and checking
stop at a deadline. A file beyond a bound is refused with a problem naming the bound (`ReadingBounds`).

Progress: `import_returns` and `read_table` take a `progress(phase, done, total)` callable, called at
every row read ("reading", total None: a file's row count is known once it is read) and at every return
written ("writing"); the caller decides how often to record it (inventory/contract/import_jobs.py).
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from portal.core import audit
from portal.core.archives import Deadline, LimitExceeded
from portal.core.spreadsheets import FORMULA_STARTS, QUOTE, typed_text
from portal.core.workbooks import BoundedWorkbook, CellCount, csv_rows
from portal.reference.models import Country

from ..models import Mutual, ReturnTransition, Union, YearlyReturn
from ..returns.services import record_revision
from ..returns.validation import Problem, check_value, plausibility_warnings
from . import schema
from .choices import RegistrationState, ReturnState

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Columns read from a spreadsheet row: the contract has about 70; a value further right is refused.
MAX_COLUMNS = 256
IDENTITY_COLUMNS = [
    "mutual_name", "acronym", "country", "region", "locality", "year_created", "mutual_type",
    "legal_status", "union",
]
# Identity columns -> Mutual fields (the union is matched by name separately).
_MUTUAL_FIELDS = {"mutual_name": "name", "acronym": "acronym", "region": "region",
                  "locality": "locality", "year_created": "year_created",
                  "mutual_type": "mutual_type", "legal_status": "legal_status"}
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


@dataclass
class ImportReport:
    mutuals_created: int = 0
    mutuals_updated: int = 0
    returns_created: int = 0
    returns_updated: int = 0
    returns_unchanged: int = 0
    warnings: list = field(default_factory=list)  # (row number, PlausibilityWarning)
    dry_run: bool = False  # checked only: nothing was kept


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


def import_returns(
    path_or_file, filename: str | None = None, *, user=None, dry_run: bool = False, progress=None,
    origin: dict | None = None,
) -> ImportReport:
    """Check the whole file, then write it in one transaction; raises ImportFailed otherwise.

    With `dry_run`, everything is written and then rolled back: the report says what an import
    would do (the database is left as it was). `progress(phase, done, total)` is called at each row
    read and each return written (see the module); it is called outside the transaction while the file
    is read, inside it while the returns are written. `origin` is the audit entry's origin when the
    import runs away from the request that asked for it (a worker): {"address": …} of the uploader.
    """
    shape_problems: list[RowProblem] = []
    header, body = read_table(path_or_file, filename, problems=shape_problems, bounds=import_bounds(),
                              progress=progress)
    try:
        rows, problems = check_table(header, body)
    finally:
        body.close()  # a header problem leaves the rows unread: let go of the file now
    problems = sorted(shape_problems + problems, key=lambda p: p.row)
    if problems:
        raise ImportFailed(problems)
    source = Path(filename or str(path_or_file)).name
    if progress is not None:
        progress("writing", 0, len(rows))  # before the transaction: recorded wherever the database is
    with transaction.atomic():
        with audit.quiet():  # one audit entry for the import, not one per return it moves
            report = _apply(rows, user=user, source=source, progress=progress)
        report.dry_run = dry_run
        if dry_run:
            transaction.set_rollback(True)
        else:
            _audit(report, source=source, user=user, origin=origin)
    return report


def _audit(report: ImportReport, *, source: str, user, origin: dict | None = None) -> None:
    """The import's audit entry (on the returns' type: an import has no object of its own)."""
    from django.contrib.contenttypes.models import ContentType

    audit.log(ContentType.objects.get_for_model(YearlyReturn), "portal.inventory.imported", user=user,
              title=source, data={"file": source, **({"origin": origin} if origin else {}), **{
                  name: getattr(report, name) for name in (
                      "returns_created", "returns_updated", "returns_unchanged", "mutuals_created",
                      "mutuals_updated")}})


def max_rows() -> int:
    """The most rows an imported file may hold after its header, blank ones included."""
    return getattr(settings, "INVENTORY_IMPORT_MAX_ROWS", 100_000)


def _apply(rows, *, user, source, progress=None) -> ImportReport:
    report = ImportReport()
    data_fields = [f for f in YearlyReturn.data_field_names() if f != "warning_comments"]
    countries = {c.code: c for c in Country.objects.all()}
    unions = {(u.name, u.country_id): u for u in Union.objects.all()}
    mutual_ids = {r["mutual_id"] for _, r in rows}
    mutuals = {m.mutual_id: m for m in Mutual.objects.filter(mutual_id__in=mutual_ids)}
    existing = {
        (r.mutual.mutual_id, r.year): r
        for r in YearlyReturn.objects.filter(mutual__mutual_id__in=mutual_ids).select_related("mutual")
    }
    note = _("Imported from %(file)s") % {"file": source}
    done_mutuals = set()
    ordered = sorted(rows, key=lambda item: (item[1]["mutual_id"], item[1]["year"]))
    for written, (_number, row) in enumerate(ordered, start=1):
        if progress is not None:
            progress("writing", written, len(ordered))
        code = row["country"]
        if code not in countries:
            # A fresh database knows no country yet: the secretariat completes names and currency.
            countries[code] = Country.objects.create(
                code=code, name_fr=code, name_en=code, currency=row.get("currency") or "XXX",
                in_network=False,
            )
        mutual = mutuals.get(row["mutual_id"])
        if row["mutual_id"] not in done_mutuals:
            done_mutuals.add(row["mutual_id"])
            mutual = _apply_mutual(mutual, row, countries[code], unions, report)
            mutuals[row["mutual_id"]] = mutual
        ret = existing.get((row["mutual_id"], row["year"]))
        created = ret is None
        if created:
            ret = YearlyReturn(mutual=mutual, year=row["year"], state=ReturnState.DRAFT)
        changed = [
            name for name in data_fields
            if name in row and _differs(getattr(ret, name), model_value(name, row[name]))
        ]
        # A row without validation_status is imported as submitted (the contract's rule).
        validated = row.get("validation_status") == "validated"
        target = ReturnState.VALIDATED if validated else ReturnState.SUBMITTED
        if not created and not changed and ret.state == target:
            report.returns_unchanged += 1
            continue
        for name in changed:
            setattr(ret, name, model_value(name, row[name]))
        # The file says what the return is now (figures and state): a restored version awaiting
        # validation is withdrawn, since validating it later would silently undo the import (the
        # history keeps it).
        ret.pending_revision = None
        if not created:
            ret.version += 1
        previous_state = ret.state
        ret.state = target
        ret.save()
        if changed or created:
            record_revision(ret, user=user, changed=changed, note=note)
        if previous_state != target:
            # Figures validated by an import are the secretariat's (or the command line's) own act:
            # recorded as an override of the separation of duties, the file being the reason.
            ReturnTransition.objects.create(
                yearly_return=ret, from_state=previous_state, to_state=target, user=user, comment=note,
                override_reason=note if target == ReturnState.VALIDATED else "",
            )
        if created:
            report.returns_created += 1
        else:
            report.returns_updated += 1
    for number, row in rows:
        for warning in plausibility_warnings(row):
            report.warnings.append((number, warning))
    return report


def _apply_mutual(mutual, row, country, unions, report):
    union = None
    if row.get("union"):
        key = (row["union"], country.code)
        union = unions.get(key) or Union.objects.create(name=row["union"], country=country)
        unions[key] = union
    values = {attr: row[column] or ("" if column not in ("year_created",) else None)
              for column, attr in _MUTUAL_FIELDS.items() if column in row}
    if mutual is None:
        mutual = Mutual(mutual_id=row["mutual_id"], country=country,
                        registration_state=RegistrationState.APPROVED, union=union, **values)
        mutual.save()
        report.mutuals_created += 1
        return mutual
    updates = {k: v for k, v in values.items() if getattr(mutual, k) != v}
    if mutual.country_id != country.code:
        updates["country"] = country
    if "union" in row and mutual.union_id != (union.pk if union else None):
        updates["union"] = union
    if updates:
        for key, value in updates.items():
            setattr(mutual, key, value)
        mutual.save()
        report.mutuals_updated += 1
    return mutual


def model_value(name, value):
    """A typed cell as the return's field stores it (an empty text field is "", not None)."""
    if value is None:
        field_def = YearlyReturn._meta.get_field(name)
        return "" if field_def.get_internal_type() == "CharField" else None
    return value


def _differs(current, new) -> bool:
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        if current is None or new is None:
            return current is not new
        return Decimal(current) != Decimal(new)
    return current != new
