"""The cells of the portal's CSV and XLSX files: text never runs as a formula, numbers are never
altered, and a reader gets the text typed back."""

import csv
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from wagtail.admin.views.mixins import SpreadsheetExportMixin

from portal.core.spreadsheets import (
    FORMULA_STARTS,
    csv_cells,
    csv_column,
    csv_rows_text,
    csv_stream,
    csv_writer,
    typed_text,
    xlsx_row,
)

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def test_text_starting_like_a_formula_gets_a_quote_and_numbers_stay_numbers():
    values = ["=1+1", "+33", "-x", "@SUM(A1)", "\t=1", "\r=1", "'quoted", "Thiès", "",
              -3.5, Decimal("-2"), -7, True, date(2025, 1, 2), datetime(2025, 1, 2, 3, 4), None]
    assert csv_cells(values) == ["'=1+1", "'+33", "'-x", "'@SUM(A1)", "'\t=1", "'\r=1", "''quoted", "Thiès",
                                 "", "-3.5", "-2", "-7", "True", "2025-01-02", "2025-01-02 03:04:00", ""]


@given(st.lists(st.one_of(st.none(), st.text(), st.sampled_from(["=1", "a,b", 'q"q', "x\ny", "\r=2", "'"])),
                min_size=1))
def test_a_column_written_at_once_gets_the_bytes_of_the_rows(texts):
    """`csv_column` + `csv_rows_text` (a table a column at a time) write what `CsvWriter` writes."""
    out = io.StringIO()
    writer = csv_writer(out, lineterminator="\n")
    for text in texts:
        writer.writerow([text, -3.5, text])
    columns = [csv_column(texts), csv_column([-3.5] * len(texts)), csv_column(texts)]
    assert csv_rows_text(columns) == out.getvalue()


@given(st.text())
def test_a_reader_gets_the_text_typed_back(text):
    cell = csv_cells([text])[0]
    assert not cell.startswith(FORMULA_STARTS)
    assert typed_text(cell) == text


@given(st.lists(st.text(alphabet=st.sampled_from("=+-@\t\r\n\",'ab")), min_size=1, max_size=4))
def test_no_text_starts_a_row_or_a_cell_a_spreadsheet_runs(texts):
    out = io.StringIO()
    csv_writer(out, lineterminator="\n").writerow(texts)
    # A spreadsheet ends a row at a bare \r or \n: read the line as it would, outside quotes.
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 1 and [typed_text(cell) for cell in rows[0]] == texts
    assert not any(cell.startswith(FORMULA_STARTS) for cell in rows[0])


def test_a_streamed_csv_is_sent_one_line_at_a_time_with_the_same_rules():
    """The streamed downloads (the overview's figures, the live datasets) write their lines with
    the portal's writer, one record at a time, never the whole file at once."""
    written = []

    def records():
        for record in (["name", "amount"], ["=SUM(A1:A9)", -3.5], ["Thiès\r=1+1", None]):
            written.append(record)
            yield record

    lines = csv_stream(records(), lineterminator="\n")
    assert next(lines) == "name,amount\n" and len(written) == 1
    assert list(lines) == ["'=SUM(A1:A9),-3.5\n", '"Thiès\r=1+1",\n']


@pytest.mark.parametrize("write_only", [True, False])
def test_every_text_is_a_string_cell_of_a_workbook(write_only):
    texts = ["=1+1", "#REF!", "=2", "#N/A", "+1", "-x", "@y", "plain"]
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s", 0)  # the first sheet (sheet1.xml)
    sheet.append(xlsx_row(sheet, [*texts, -3.5, None, 7]))
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        path = next(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet"))
        xml = ElementTree.fromstring(archive.read(path))
    cells = list(xml.iter(f"{MAIN}c"))
    # openpyxl would guess formulas and error values: string cells instead, holding the text typed.
    assert xml.find(f".//{MAIN}f") is None
    assert [c.get("t") for c in cells] == ["inlineStr"] * len(texts) + ["n", "n"]
    assert ["".join(t.text for t in c.iter(f"{MAIN}t")) for c in cells[: len(texts)]] == texts
    assert [c.find(f"{MAIN}v").text for c in cells[len(texts):]] == ["-3.5", "7"]


# --- Wagtail's admin exports (snippet listings, reports, the contact form's submissions) ---------------

class MutualExport(SpreadsheetExportMixin):
    """Wagtail's own export mixin, as the admin's listings use it, over two text columns."""

    list_export = ["name", "locality", "year_created"]


@pytest.mark.django_db
def test_wagtail_admin_exports_carry_no_live_formula():
    from inventory.models import Mutual
    from tests.factories import MutualFactory

    MutualFactory(name='=HYPERLINK("http://evil.example","Click")', locality="#REF!", year_created=2001)
    queryset = Mutual.objects.all()
    lines = b"".join(MutualExport().stream_csv(queryset)).decode("utf-8")
    rows = list(csv.reader(io.StringIO(lines, newline="")))
    assert rows[1] == ['\'=HYPERLINK("http://evil.example","Click")', "#REF!", "2001"]

    out = io.BytesIO()
    MutualExport().write_xlsx(queryset, out)
    with zipfile.ZipFile(out) as archive:
        xml = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    assert xml.find(f".//{MAIN}f") is None
    cells = list(xml.iter(f"{MAIN}c"))[3:]
    assert [c.get("t") for c in cells] == ["inlineStr", "inlineStr", "n"]


@pytest.mark.parametrize("write_only", [True, False])
def test_a_control_character_cannot_stop_a_workbook_from_being_written(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s", 0)
    sheet.append(xlsx_row(sheet, ["Mutuelle\x01 de Thiès", "=\x02", "tab\tand\nline"]))
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        xml = ElementTree.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    texts = ["".join(t.text for t in c.iter(f"{MAIN}t")) for c in xml.iter(f"{MAIN}c")]
    assert texts == ["Mutuelle\ufffd de Thiès", "=\ufffd", "tab\tand\nline"]
