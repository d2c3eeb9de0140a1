"""The cells of every file the portal writes for others to open in a spreadsheet program (CSV and
XLSX): a text typed on the portal never runs there as a formula.

Spreadsheet programs run a CSV cell that starts with `=`, `+`, `-` or `@` as a formula (a leading tab
or carriage return is skipped before they look), so a mutual's locality typed as
`=HYPERLINK("http://…","Click")` would turn into a live link, or worse, on the computer of whoever
opens the published file, and stay there in every frozen release. Every CSV and XLSX writer of the
portal goes through this module: the inventory's downloads, datasets and releases, the charts'
figures, the offline form, `export_inventory`, the events' participants lists, and Wagtail's admin
exports (`protect_wagtail_exports`). `csv_formula_cells` and `xlsx_formula_cells` find such cells
in files written before (`check_release_formulas`).

- CSV (`csv_writer`, `csv_stream` for a streamed download, `csv_cells`; `csv_column` and
  `csv_rows_text` for a table written a column at a time, the same bytes): a text cell starting with
  one of `FORMULA_STARTS` gets a single quote `'` in front, as OWASP recommends ("CSV Injection"). A
  spreadsheet shows it as text. So that a reader can always tell, a text typed with a leading `'`
  gets one more too: the rule for a program is then simply "a text cell starting with `'` had one
  added" (`typed_text` removes it). Only text is touched: numbers, booleans, dates and datetimes are
  written as they are, so a negative number (-3.5) stays a number. A cell holding a line break is
  always quoted (`CsvWriter`), so no text can start a row of its own.
- XLSX (`xlsx_cell`, `xlsx_row` for openpyxl; `xlsx_string_end`, `xlsx_column_ends` and
  `xlsx_rows_xml` for a sheet's XML written a column at a time, the same bytes): every text is a
  typed string cell (`t="inlineStr"`), never a formula (`<f>`) nor an error value, whatever its
  first character; the cell holds exactly the text typed, nothing added (but a control character
  XML cannot hold, shown as U+FFFD).
- Not touched: the JSON API and the Parquet files. Programs read them, spreadsheets do not run
  them: their texts are the texts typed (strings in JSON, string columns in Parquet), which is what
  a program asking for data wants. A CSV text cell and the same API value therefore differ by the
  leading `'` exactly when `typed_text` says so.
"""

import csv
import numbers
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from xml.etree import ElementTree

# What makes a spreadsheet run a cell: the formula signs, and the blanks it skips before them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The mark put in front of such a text (and of a text typed with it in front, so it stays readable).
QUOTE = "'"
_QUOTED = (*FORMULA_STARTS, QUOTE)
# Values that are not text: written as they are (never a formula, and never to be altered).
NOT_TEXT = (numbers.Number, date, datetime, time)


def csv_text(text: str) -> str:
    """`text` as a CSV cell a spreadsheet will not run: a `'` in front when it starts like a formula
    (or with a `'`)."""
    return QUOTE + text if text.startswith(_QUOTED) else text


def typed_text(cell: str) -> str:
    """The text typed, from a CSV text cell that `csv_text` wrote (its inverse): without the
    leading `'`, if any."""
    return cell.removeprefix(QUOTE)


def looks_like_formula(cell: str) -> bool:
    """Whether a spreadsheet would run this CSV cell (one `csv_text` never writes)."""
    return cell.startswith(FORMULA_STARTS)


def plain(value) -> str:
    """A value as `csv.writer` writes it: empty for None, else `str`."""
    return "" if value is None else str(value)


# The usual types, looked up first: `isinstance` against the abstract `numbers.Number` is slow, and a
# table of returns has millions of cells.
_PLAIN_TYPES = frozenset({int, float, bool, Decimal, date, datetime, time, type(None)})


def csv_cells(values: Iterable, format_value: Callable[[object], str] = plain) -> list[str]:
    """One CSV record: a text (`str`) through `csv_text`; any other value through `format_value`,
    then, unless it is a number, a boolean, a date or None, through `csv_text` too (a lazy
    translation, a model instance: their text is text)."""
    return [
        (QUOTE + value if value.startswith(_QUOTED) else value) if type(value) is str
        else format_value(value) if type(value) in _PLAIN_TYPES or isinstance(value, NOT_TEXT)
        else csv_text(format_value(value))
        for value in values
    ]


class Echo:
    """A file-like sink whose `write` hands back what it is given: a CSV writer over it returns each
    line instead of storing it (for a `StreamingHttpResponse`)."""

    def write(self, text):
        return text


class CsvWriter:
    """`csv.writer` whose `writerow` neutralises text cells (`csv_cells`) and quotes every cell
    holding a line break; `writerow` returns what the stream's `write` returned, as `csv.writer`'s
    does (a streamed line for a line sink).

    Python's writer quotes a cell only for the characters of its own line ending: with `\\n` line
    ends, a text holding a carriage return went out bare, and spreadsheets start a new row there, so
    "Thiès\\r=HYPERLINK(…)" smuggled a formula to the start of a row of its own. The line is
    therefore made with `\\r\\n` (which quotes both breaks), then ends as asked."""

    def __init__(self, stream, format_value: Callable[[object], str] = plain, **fmtparams):
        self._end = fmtparams.pop("lineterminator", "\r\n")
        self._stream, self._format = stream, format_value
        self._writer = csv.writer(Echo(), lineterminator="\r\n", **fmtparams)

    def writerow(self, values: Iterable):
        line = self._writer.writerow(csv_cells(values, self._format))
        return self._stream.write(line[:-2] + self._end)


def csv_writer(stream, *, format_value: Callable[[object], str] = plain, **fmtparams) -> CsvWriter:
    """The portal's CSV writer over `stream` (`fmtparams` as for `csv.writer`)."""
    return CsvWriter(stream, format_value, **fmtparams)


def csv_stream(records: Iterable[Iterable], *, format_value: Callable[[object], str] = plain,
               **fmtparams) -> Iterator[str]:
    """The CSV lines of `records` (the header first, if it is one of them), one at a time, written by
    the portal's writer: what a streamed download sends."""
    writer = CsvWriter(Echo(), format_value, **fmtparams)
    for record in records:
        yield writer.writerow(record)


# --- Column-wise CSV: a table written a chunk of columns at a time ------------------------------------

_CELL_WRITER = csv.writer(Echo(), lineterminator="\r\n")


def csv_quoted(cell: str) -> str:
    """`cell` as `CsvWriter` puts it in a line of several cells: quoted (its `"` doubled) when it holds
    a comma, a `"` or a line break, else as it is (the same `csv` writer decides)."""
    return _CELL_WRITER.writerow((cell, ""))[:-3]


def csv_column(values, format_value: Callable[[object], str] = plain) -> list[str]:
    """The cells of one column (any sequence: a list, a NumPy array, a pandas Series) exactly as
    `CsvWriter.writerow` writes them in its rows: through `csv_cells` (a text starting like a formula
    gets its `'`), then quoted when needed (`csv_quoted`). Each distinct value is formatted once
    (pandas' `factorize`), then the cells are taken by code: no Python work per cell beyond the hash,
    for the short repeated texts of a table's columns. Missing values (None, NaN) are empty cells.

    Values that compare equal but print differently (1, 1.0, True) must not share a column: a
    column holds one kind of value (texts, booleans, datetimes…)."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    cells = [csv_quoted(cell) for cell in csv_cells(uniques.tolist(), format_value)]
    cells.append("")  # code -1: a missing value
    return np.array(cells, dtype=object)[codes].tolist()


def csv_rows_text(columns: list[list[str]], lineterminator: str = "\n") -> str:
    """The CSV lines of a chunk whose cells are written already, column by column (`csv_column`):
    the rows joined, each ended by `lineterminator`."""
    if not columns or not len(columns[0]):
        return ""
    return lineterminator.join(map(",".join, zip(*columns, strict=True))) + lineterminator


def xlsx_cell(sheet, value):
    """`value` for `sheet.append` (a write-only sheet or not): text becomes a typed string cell.

    openpyxl guesses a cell's type from its value: a text starting with `=` becomes a formula, one
    such as `#REF!` an error value, any other text a string. Those texts get a cell of their own
    marked as a string; the others are left to openpyxl (which makes them strings), sparing a cell
    object per value in the long tables.

    XML cannot hold most control characters (U+0000–U+001F but tab and line breaks): openpyxl
    refuses them, and one typed in a mutual's name would stop every workbook and release from
    being written. They become U+FFFD (�), in the workbooks only (`xlsx_text`)."""
    if isinstance(value, str):
        value = xlsx_text(value)
        if value.startswith(("=", "#")):
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            return cell
    return value


def xlsx_text(text: str) -> str:
    """`text` as a workbook can hold it: the control characters XML refuses as U+FFFD."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text) if ILLEGAL_CHARACTERS_RE.search(text) else text


def xlsx_row(sheet, values: Iterable) -> list:
    """A row for `sheet.append` whose texts are typed strings (`xlsx_cell`)."""
    return [xlsx_cell(sheet, value) for value in values]


# --- Column-wise XLSX: a worksheet's rows written as XML a chunk of columns at a time ----------------

# The end of a `<c>` element (after its `r="B7"`) for a missing value: an explicit empty string cell,
# as openpyxl writes `""` (a row keeps every cell).
XLSX_EMPTY = ' t="inlineStr" />'
# A text longer than this is cut there (openpyxl does, and Excel holds no more in a cell).
XLSX_TEXT_LIMIT = 32767


def xlsx_string_end(text: str) -> str:
    """The end of the `<c>` element of a text, as openpyxl's write-only sheet writes the cell that
    `xlsx_cell` gives it: an inline string (`t="inlineStr"`), never a formula nor an error value,
    its control characters as U+FFFD (`xlsx_text`), cut at `XLSX_TEXT_LIMIT`, `&`, `<` and `>`
    escaped, `xml:space="preserve"` when it starts or ends with blanks."""
    text = xlsx_text(text)[:XLSX_TEXT_LIMIT]
    if not text:
        return XLSX_EMPTY
    stripped = text.strip()
    space = ' xml:space="preserve"' if stripped and stripped != text else ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{space}>{escaped}</t></is></c>'


def xlsx_column_ends(values, end_of: Callable[[object], str], after: str) -> list[str]:
    """The ends of the `<c>` elements of one column (any sequence), each followed by `after` (the
    next cell's opening, `xlsx_openings`): each distinct value through `end_of` once (pandas'
    `factorize`, as `csv_column`), then taken by code; a missing value (None, NaN) `XLSX_EMPTY`."""
    import numpy as np
    import pandas as pd

    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
    ends = [end_of(value) + after for value in uniques.tolist()]
    ends.append(XLSX_EMPTY + after)  # code -1: a missing value
    return np.array(ends, dtype=object)[codes].tolist()


def xlsx_openings(columns: int) -> list[str]:
    """What follows each cell of a row of `columns` cells in the sheet's XML (`xlsx_rows_xml`): the
    next cell's opening up to its column letter (`<c r="B`), and `</row>` after the last."""
    from openpyxl.utils import get_column_letter

    return [f'<c r="{get_column_letter(n)}' for n in range(2, columns + 1)] + ["</row>"]


def xlsx_rows_xml(columns: list[list[str]], first_row: int) -> Iterator[str]:
    """The `<row>` elements, one at a time, of a chunk whose cells are written already, column by
    column: each cell the end of its `<c>` element followed by the next one's opening
    (`xlsx_column_ends` with `xlsx_openings`). A row is then one `join` whose separator is its
    number, which completes every cell's reference (`r="B7"`): the bytes of openpyxl's write-only
    sheet, no object per cell."""
    for n, cells in enumerate(zip(*columns, strict=True), start=first_row):
        yield f'<row r="{n}"><c r="A{n}"' + f'{n}"'.join(cells)


# --- Finding the cells a spreadsheet would run, in files already written ---------------------------

# A CSV cell that is a plain number: a spreadsheet reads "-3.5" or "+2" as a number, not a formula.
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class FormulaCell:
    """A cell a spreadsheet would run: where it is (sheet empty for a CSV file; row 1 is the
    header), and what it holds."""

    sheet: str
    row: int
    column: str
    text: str


def csv_formula_cells(lines: Iterable[str]) -> Iterator[FormulaCell]:
    """The cells of a CSV file (text lines) that a spreadsheet would run as a formula: those
    starting with one of `FORMULA_STARTS` that are not plain numbers. `column` is the header's
    name of the column (its number from 1 beyond the header)."""
    reader = csv.reader(lines)
    header = next(reader, [])
    for row_number, record in enumerate(reader, start=2):
        for index, cell in enumerate(record):
            if looks_like_formula(cell) and not _NUMBER.fullmatch(cell):
                column = header[index] if index < len(header) else str(index + 1)
                yield FormulaCell("", row_number, column, cell)


_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def xlsx_formula_cells(file) -> Iterator[FormulaCell]:
    """The formula cells (`<c>` holding an `<f>`) of every sheet of an XLSX workbook (a path or a
    binary file). The sheets' XML is streamed, never loaded whole; `column` is the cell's reference
    (`C7`), `text` the formula."""
    with zipfile.ZipFile(file) as archive:
        for name, path in _xlsx_sheets(archive):
            with archive.open(path) as stream:
                for _event, element in ElementTree.iterparse(stream):
                    if element.tag != _MAIN + "c":
                        continue
                    formula = element.find(_MAIN + "f")
                    if formula is not None:
                        reference = element.get("r", "")
                        row = int(re.sub(r"\D", "", reference) or 0)
                        yield FormulaCell(name, row, reference, "=" + (formula.text or ""))
                    element.clear()


def _xlsx_sheets(archive) -> list[tuple[str, str]]:
    """[(sheet name, path of its XML in the archive)], in the workbook's order."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(_PACKAGE_RELS + "Relationship")}
    sheets = []
    for sheet in book.iter(_MAIN + "sheet"):
        target = targets.get(sheet.get(_RELS + "id"), "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        sheets.append((sheet.get("name", ""), path))
    return sheets


# --- Wagtail's admin exports -----------------------------------------------------------------------

def protect_wagtail_exports() -> None:
    """Make Wagtail's admin exports follow this module's rules (called once, from CoreConfig.ready).

    Every CSV/XLSX export of the admin (snippet and model listings with `list_export`, the reports,
    the contact form's submissions, which anonymous visitors type) goes through Wagtail's
    `SpreadsheetExportMixin`, which writes CSV text raw and, in XLSX, turns only formulas (not
    error values) back into strings. Wrapping its two cell methods here, rather than subclassing
    each listing, covers the listings Wagtail itself provides too. Wagtail's CSV ends lines with
    `\\r\\n`, so a line break inside a cell is quoted already.
    """
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    if getattr(SpreadsheetExportMixin, "_portal_formula_safe", False):
        return
    preprocess = SpreadsheetExportMixin.preprocess_field_value
    xlsx_cells = SpreadsheetExportMixin.generate_xlsx_row

    def preprocess_field_value(self, field, value, export_format):
        result = preprocess(self, field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(result, str) and not isinstance(value, NOT_TEXT):
            return csv_text(result)
        return result

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        row_dict = {k: xlsx_text(v) if isinstance(v, str) else v for k, v in row_dict.items()}
        for cell in xlsx_cells(self, worksheet, row_dict, date_format):
            if isinstance(cell.value, str):
                cell.data_type = "s"
            yield cell

    SpreadsheetExportMixin.preprocess_field_value = preprocess_field_value
    SpreadsheetExportMixin.generate_xlsx_row = generate_xlsx_row
    SpreadsheetExportMixin._portal_formula_safe = True
