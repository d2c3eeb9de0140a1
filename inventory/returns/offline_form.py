"""A mutual's return for one year as an XLSX form to fill offline, and that form read back.

The workbook holds three sheets:

- `return`: the returns table's header (the contract's column names, computed indicators,
  `validation_status` and `last_updated` left out) and one row: the mutual's identity and the
  year's figures — the return's current ones, or, before it exists, the figures a new return starts
  from (`services.prefill`: last year's);
- `codebook`: each column's French and English title, type, allowed values and constraints;
- `portal` (very hidden): the mutual, the year and the return's version the file was made from,
  so that an upload after someone else's save is refused instead of overwriting it.

Reading back goes through the import's own code (`reading.read_table`, `check_table`): the file
must hold exactly that mutual and year; the identity columns other than `mutual_id` and `country`
are not read (identity is the secretariat's to change), the figures are saved as a draft.
"""

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from io import BytesIO
from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.permissions import can
from portal.core.archives import limits
from portal.core.spreadsheets import xlsx_row
from portal.core.workbooks import CellCount

from ..contract import schema
from ..contract.choices import ENUM_CHOICES
from ..contract.imports import model_value
from ..contract.reading import (
    IDENTITY_COLUMNS,
    MAX_COLUMNS,
    ImportFailed,
    ReadingBounds,
    RowProblem,
    check_table,
    open_workbook,
    read_table,
)
from ..models import YearlyReturn
from ..opendata.exports import return_row
from . import services
from .validation import plausibility_warnings

DATA_SHEET = "return"
CODEBOOK_SHEET = "codebook"
META_SHEET = "portal"
FORM_KIND = "mutual-return-form/1"
# The key of the row: must match the mutual and year the form is for.
KEY_COLUMNS = ("mutual_id", "country", "year")
# Identity columns the upload does not read: the mutual's identity is changed by the secretariat.
IGNORED_COLUMNS = tuple(c for c in IDENTITY_COLUMNS if c not in KEY_COLUMNS) + (
    "validation_status", "last_updated",
)
FIGURE_COLUMNS = [
    c for c in schema.column_names()
    if c in set(YearlyReturn.data_field_names()) and c != "warning_comments"
]
FORM_COLUMNS = ["mutual_id", *IDENTITY_COLUMNS, "year", *FIGURE_COLUMNS]
# The form holds one row; a few more let us name the extra ones in the error. Blank rows count too: a
# sheet declaring a million rows is refused after these.
MAX_ROWS = 50
# Cells parsed (empty ones too) in a sheet of the form: its rows, each as wide as a row may be read.
MAX_CELLS = MAX_ROWS * MAX_COLUMNS


def form_bounds() -> ReadingBounds:
    """The bounds of reading an uploaded form: a few rows, a few thousand cells, the uploads' deadline."""
    return ReadingBounds(rows=MAX_ROWS, cells=MAX_CELLS, seconds=limits().seconds)


def _cell(value):
    """A row value as the workbook holds it: booleans as the contract's `true`/`false` text (a
    French spreadsheet would show VRAI/FAUX), decimals as numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def form_values(mutual, year: int) -> tuple[dict, int]:
    """The form's row for `mutual` and `year`, and the return's version it reflects (0: the return
    does not exist yet and the figures are those a new return starts from)."""
    ret = YearlyReturn.objects.filter(mutual=mutual, year=year).first()
    if ret is None:
        data, _source = services.prefill(mutual, year)
        ret, version = YearlyReturn(mutual=mutual, year=year, **data), 0
    else:
        version = ret.version
    row = return_row(ret)
    return {c: row.get(c) for c in FORM_COLUMNS}, version


def _type_label(field_def) -> str:
    return {
        "string": _("text"), "integer": _("whole number"), "number": _("number"),
        "boolean": _("true or false"), "datetime": _("date and time"),
    }.get(field_def["type"], field_def["type"])


def _allowed(name) -> str:
    if name in ENUM_CHOICES:
        return "\n".join(f"{code} = {label}" for code, label in ENUM_CHOICES[name].choices)
    if schema.field(name)["type"] == "boolean":
        return "true, false"
    return ""


def _constraints(field_def) -> str:
    c = field_def.get("constraints", {})
    parts = []
    if c.get("required"):
        parts.append(_("required"))
    if "minimum" in c:
        parts.append(_("at least %(n)s") % {"n": c["minimum"]})
    if "maximum" in c:
        parts.append(_("at most %(n)s") % {"n": c["maximum"]})
    if "pattern" in c:
        parts.append(_("form: %(pattern)s") % {"pattern": c["pattern"]})
    return "; ".join(parts)


def _role(name) -> str:
    if name in KEY_COLUMNS:
        return _("key: must stay as it is")
    if name in IGNORED_COLUMNS:
        return _("identity: not read back (ask the secretariat to change it)")
    return _("figure: saved as a draft")


def build_workbook(mutual, year: int) -> bytes:
    """The offline form of `mutual` for `year`, as XLSX bytes (labels in the active language)."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    values, version = form_values(mutual, year)
    book = Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    sheet.append(FORM_COLUMNS)
    sheet.append(xlsx_row(sheet, [_cell(values[c]) for c in FORM_COLUMNS]))
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="E5E8EA")
    for index, name in enumerate(FORM_COLUMNS, start=1):
        header = sheet.cell(row=1, column=index)
        header.font = bold
        note = f"{schema.title(name)}\n{_type_label(schema.field(name))}. {_role(name)}."
        header.comment = Comment(note, "Concertation", width=260, height=110)
        if name not in FIGURE_COLUMNS:
            header.fill = grey
            sheet.cell(row=2, column=index).fill = grey
        width = max(len(name), len(str(values[name] or "")), 10) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(width, 40)
        allowed = ENUM_CHOICES[name].values if name in ENUM_CHOICES else (
            ["true", "false"] if schema.field(name)["type"] == "boolean" else None
        )
        if allowed and name in FIGURE_COLUMNS:
            rule = DataValidation(type="list", formula1='"{}"'.format(",".join(allowed)), allow_blank=True,
                                  showErrorMessage=True, errorTitle=schema.title(name),
                                  error=_("Choose one of the listed values."))
            rule.add(sheet.cell(row=2, column=index))
            sheet.add_data_validation(rule)
    sheet.freeze_panes = "C2"  # the header and the mutual's identifier and name stay in view

    codebook = book.create_sheet(CODEBOOK_SHEET)
    codebook.append([_("column"), _("title (French)"), _("title (English)"), _("type"),
                     _("allowed values"), _("constraints"), _("in this form"), _("description")])
    for name in FORM_COLUMNS:
        f = schema.field(name)
        codebook.append(xlsx_row(codebook, [name, f.get("title_fr", f["title"]), f["title"], _type_label(f),
                                             _allowed(name), _constraints(f), _role(name),
                                             f.get("description", "")]))
    for cell in codebook[1]:
        cell.font = bold
    for letter, width in zip("ABCDEFGH", (28, 40, 40, 16, 36, 28, 34, 60), strict=True):
        codebook.column_dimensions[letter].width = width
    for row in codebook.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    codebook.freeze_panes = "B2"

    meta = book.create_sheet(META_SHEET)
    for key, value in (("form", FORM_KIND), ("mutual_id", mutual.mutual_id), ("year", year),
                       ("base_version", version), ("generated", timezone.now().isoformat())):
        meta.append(xlsx_row(meta, [key, value]))
    meta.sheet_state = "veryHidden"  # not even listed by Excel's "Unhide"
    book.active = 0
    book.properties.title = f"{mutual.mutual_id} {year}"
    book.properties.creator = "Concertation"
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def read_meta(file) -> dict:
    """The hidden `portal` sheet of an offline form, as {key: value}; {} when there is none. Read within
    the bounds of `reading.open_workbook` (ImportFailed beyond them)."""
    book = open_workbook(file)
    try:
        if META_SHEET not in book.sheetnames:
            return {}
        rows = islice(book.rows(META_SHEET, max_columns=2, cells=CellCount(MAX_CELLS)), 20)
        return {str(row[0]): (row[1] if len(row) > 1 else None) for row in rows if row and row[0] is not None}
    except ImportFailed:
        raise
    except Exception as error:  # a value beyond column B, or a damaged sheet
        reason = getattr(error, "message", None) or _("The file is not a readable XLSX workbook.")
        raise ImportFailed([RowProblem("", "", reason, row=0)]) from error
    finally:
        book.close()
        file.seek(0)


@dataclass
class OfflineForm:
    """What an uploaded offline form holds for the return."""

    figures: dict
    base_version: int
    ignored: list = field(default_factory=list)  # (column, value in the file, value kept)


def read_offline_form(file, *, mutual, year: int) -> OfflineForm:
    """The figures of an offline form of `mutual` for `year`; ImportFailed lists every problem."""
    meta = read_meta(file)
    if meta.get("form") != FORM_KIND:
        reason = _("This is not the portal's offline form (its hidden “portal” sheet is missing): download "
                   "the form of this mutual and year, fill it in and upload it.")
        raise ImportFailed([RowProblem("", "", reason, row=0)])
    try:
        base_version = int(meta.get("base_version"))
    except (TypeError, ValueError):
        base_version = -1
    if meta.get("mutual_id") != mutual.mutual_id or str(meta.get("year")) != str(year) or base_version < 0:
        reason = _("This form was downloaded for %(mutual_id)s and %(year)s, not for %(this_id)s and "
                   "%(this_year)s.") % {"mutual_id": meta.get("mutual_id"), "year": meta.get("year"),
                                        "this_id": mutual.mutual_id, "this_year": year}
        raise ImportFailed([RowProblem("", "", reason, row=0)])

    header, body = read_table(file, "form.xlsx", sheet=DATA_SHEET, bounds=form_bounds())
    # A draft may leave any figure empty, the contract's required `status` too: submission checks it.
    rows, problems = check_table(header, body, ignored=IGNORED_COLUMNS, optional=FIGURE_COLUMNS)
    expected = {"mutual_id": mutual.mutual_id, "country": mutual.country_id, "year": year}
    for number, row in rows:
        for column, value in expected.items():
            if row.get(column) is not None and row.get(column) != value:
                problems.append(RowProblem(column, row.get(column), _(
                    "This form is for %(mutual_id)s and %(year)s only; this row is for another mutual "
                    "or year."
                ) % {"mutual_id": mutual.mutual_id, "year": year}, row=number))
    if not rows and not problems:
        problems.append(RowProblem("", "", _("The sheet holds no row of figures."), row=2))
    if len(rows) > 1:
        for number, _row in rows[1:]:
            problems.append(RowProblem("", "", _("The form holds one row: the figures of %(mutual_id)s for "
                                                 "%(year)s.") % {"mutual_id": mutual.mutual_id, "year": year},
                                       row=number))
    if problems:
        raise ImportFailed(sorted(problems, key=lambda p: p.row))
    number, row = rows[0]
    figures = {name: _stored(name, row[name]) for name in FIGURE_COLUMNS if name in row}
    raw = next(r for n, r in body if n == number)
    current = return_row(YearlyReturn(mutual=mutual, year=year))
    ignored = []
    for column in IGNORED_COLUMNS:
        if column in raw and column in current and _text(raw[column]) != _text(current[column]):
            ignored.append((column, raw[column], current[column]))
    return OfflineForm(figures=figures, base_version=base_version, ignored=ignored)


def _stored(name, value):
    """The value as the return's field holds it; decimals to the field's places, so that 9000000
    read from the file is not taken for a change of the stored 9000000.00."""
    value = model_value(name, value)
    if isinstance(value, Decimal):
        places = YearlyReturn._meta.get_field(name).decimal_places
        with suppress(InvalidOperation):  # too many digits: the model's check names the field
            value = value.quantize(Decimal(1).scaleb(-places))
    return value


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


@dataclass
class UploadResult:
    ret: YearlyReturn
    changed: list
    ignored: list
    warnings: list


def return_upload(*, mutual, year: int, file, user) -> UploadResult:
    """Save an offline form's figures as the year's draft (creating the return if needed), never
    submitting it. Raises ImportFailed with every problem, or services.ConcurrentEdit when the return
    changed since the form was downloaded; nothing is saved then."""
    if not can(user, "edit_return", mutual=mutual):
        raise PermissionDenied
    services.check_reporting_year(year)
    form = read_offline_form(file, mutual=mutual, year=year)
    with transaction.atomic():
        ret = YearlyReturn.objects.filter(mutual=mutual, year=year).first()
        base = form.base_version
        if ret is None:
            ret = services.return_start(mutual=mutual, year=year, user=user)
            base = ret.version if base == 0 else base
        elif base == 0:
            raise services.ConcurrentEdit(current=ret, submitted=form.figures)
        try:
            ret = services.return_save_draft(
                ret=ret, data=form.figures, user=user, base_version=base,
                note=_("Uploaded from the offline form"),
            )
        except ValidationError as error:
            raise ImportFailed(_problems(error, form.figures)) from error
    latest = ret.revisions.order_by("-number").first()
    previous = services.previous_validated(ret)
    warnings = plausibility_warnings(return_row(ret, previous), return_row(previous) if previous else None)
    saved = latest is not None and ret.version > base  # an unchanged file writes nothing
    return UploadResult(ret=ret, changed=latest.changed_fields if saved else [], ignored=form.ignored,
                        warnings=warnings)


def _problems(error: ValidationError, figures) -> list[RowProblem]:
    if not hasattr(error, "error_dict"):
        return [RowProblem("", "", message, row=2) for message in error.messages]
    return [
        RowProblem(column if column != "__all__" else "", figures.get(column, ""), message, row=2)
        for column, messages in error.message_dict.items() for message in messages
    ]
