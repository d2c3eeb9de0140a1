"""The workbook's returns sheet written column-wise as XML (`XlsxSheet.write_frame`) holds what
openpyxl wrote cell by cell for the same rows (`XlsxSheet.write`, the old writer of that sheet and
still the writer of the small ones): the same XML, and, read back by openpyxl and pandas, the same
sheets, cells, types and number formats; every XML part well-formed. Over awkward data: texts that
look like formulas, quotes, `<`, `&`, control characters XML cannot hold, line breaks, accents,
emoji, blanks around, texts beyond a cell's 32,767 characters; negative, huge, tiny, infinite and
missing numbers; datetimes before 1 March 1900 and with microseconds; chunks of 1, 7 and 5,000
(written 1,000, 3 and 100 rows at a time)."""

import random
import zipfile
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from xml.etree import ElementTree

import numpy as np
import openpyxl
import pandas as pd
import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.contract import schema
from inventory.models import Mutual, YearlyReturn
from inventory.opendata import datasets
from inventory.opendata.exports import (
    BOOLEAN,
    DATETIME,
    DECIMAL,
    EXACT_LIMIT,
    INTEGER,
    RATIO,
    TEXT,
    column_kinds,
    returns_frames,
    returns_rows,
)
from tests.inventory.test_export_frames import inventory  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db

AWKWARD = [
    "=1+1", "-2", "+3", "@A1", "\t=tab", "\r=cr", "#N/A", "=", "'quoted", "Thiès \"centre\" l'été",
    "a < b & c > d", "<t>&amp;</t>", "nul\x00 and bell\x07 and \x1f", "ligne 1\nligne 2\r\nligne 3",
    "Ségou — Mopti œ", "🏥 santé 👩🏾‍⚕️", "  around  ", " ", "\u00a0nbsp", "]]>", "",
]


def stored(text: str) -> str:
    """`text` as the database can hold it: PostgreSQL refuses NUL in text, so there another character
    the workbook's XML forbids stands for it."""
    return text.replace("\x00", "\x01") if connection.vendor == "postgresql" else text


@pytest.fixture
def awkward(inventory):  # noqa: F811 (the fixture imported above)
    """The export tests' inventory, with more texts and datetimes a workbook finds hard."""
    rng = random.Random(17)
    for n, mutual in enumerate(Mutual.objects.order_by("pk")):
        Mutual.objects.filter(pk=mutual.pk).update(
            name=stored(AWKWARD[n % len(AWKWARD)] + f" {n}"),
            region=stored(AWKWARD[(n + 2) % len(AWKWARD)][:60]),
        )
    stamps = [datetime(1900, 1, 15, 12, 0, 0, 1, tzinfo=UTC), datetime(1900, 3, 1, tzinfo=UTC),
              datetime(2026, 12, 7, 23, 59, 59, 999999, tzinfo=UTC),
              datetime(2024, 2, 29, 6, 30, tzinfo=timezone(timedelta(hours=-5))),
              datetime(1970, 1, 1, tzinfo=UTC)]
    for n, ret in enumerate(YearlyReturn.objects.order_by("pk")):
        changes = {"software": stored(AWKWARD[(n + 4) % len(AWKWARD)])}
        if n % 5 == 0:
            changes["updated_at"] = stamps[(n // 5) % len(stamps)]
        else:
            changes["updated_at"] = datetime(2025, 1, 1, tzinfo=UTC) + timedelta(
                seconds=rng.randint(0, 10**8), microseconds=rng.randint(0, 999999))
        if n % 9 == 0:
            changes["reserves"] = Decimal("-0.00")
            changes["covers_lab"] = None
        YearlyReturn.objects.filter(pk=ret.pk).update(**changes)
    return inventory


def write_book(path, frames: bool, chunk_size: int = 5000):
    """The workbook of a build's returns (and a small second sheet, then the codebook): the returns
    sheet by its rows through openpyxl (`write`), or by the frames (`write_frame`)."""
    published = schema.published("returns")
    small = {"fields": [{"name": "table", "type": "string"}, {"name": "rows", "type": "integer"}]}
    book = datasets.XlsxWorkbook(path)
    sheet = book.sheet("returns", published)
    for item in returns_frames(YearlyReturn.objects.all(), chunk_size) if frames \
            else returns_rows(YearlyReturn.objects.all()):
        sheet.write_frame(item) if frames else sheet.write(item)
    other = book.sheet("synthesis", small)
    other.write({"table": "=returns", "rows": sheet.close()})
    book.close({"returns": published, "synthesis": small})
    return sheet.count


def assert_same_workbooks(old_path, new_path):
    """Every sheet, cell value, type and number format, and what else a sheet can set, alike."""
    old, new = openpyxl.load_workbook(old_path), openpyxl.load_workbook(new_path)
    assert new.sheetnames == old.sheetnames
    for name in old.sheetnames:
        a, b = old[name], new[name]
        assert (b.max_row, b.max_column, b.dimensions) == (a.max_row, a.max_column, a.dimensions)
        assert b.freeze_panes == a.freeze_panes
        assert {k: v.width for k, v in b.column_dimensions.items()} == \
            {k: v.width for k, v in a.column_dimensions.items()}
        for row_a, row_b in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for cell_a, cell_b in zip(row_a, row_b, strict=True):
                assert (cell_b.coordinate, cell_b.value, cell_b.data_type, cell_b.number_format) == \
                    (cell_a.coordinate, cell_a.value, cell_a.data_type, cell_a.number_format)


def assert_well_formed(path):
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                ElementTree.fromstring(archive.read(name))  # raises on malformed XML


def sheet_xml(path, number=1) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{number}.xml")


@pytest.mark.parametrize(("chunk_size", "rows_at_a_time"), [(1, 1000), (7, 3), (5000, 100)])
def test_the_returns_sheet_holds_what_openpyxl_wrote(awkward, tmp_path, monkeypatch, chunk_size,
                                                     rows_at_a_time):
    monkeypatch.setattr(datasets, "XLSX_SLICE", rows_at_a_time)
    count = write_book(tmp_path / "old.xlsx", frames=False)
    assert write_book(tmp_path / "new.xlsx", frames=True, chunk_size=chunk_size) == count > 300
    for n in (1, 2, 3):
        assert sheet_xml(tmp_path / "new.xlsx", n) == sheet_xml(tmp_path / "old.xlsx", n)
    assert_well_formed(tmp_path / "new.xlsx")
    assert_same_workbooks(tmp_path / "old.xlsx", tmp_path / "new.xlsx")
    xml = sheet_xml(tmp_path / "new.xlsx").decode()
    assert "<f>" not in xml and "&lt;t&gt;&amp;amp;&lt;/t&gt;" in xml and "\ufffd" in xml
    assert 's="1" t="n"><v>15.50000000001157</v>' in xml  # 15 January 1900, 12:00:00.000001


def test_the_workbook_reads_back_as_the_rows(awkward, tmp_path):
    """pandas reads the sheets the frames wrote as those openpyxl wrote, and the cells hold the
    rows' values: typed texts (a formula-looking text stays a text), datetimes in UTC."""
    write_book(tmp_path / "old.xlsx", frames=False)
    write_book(tmp_path / "new.xlsx", frames=True, chunk_size=7)
    for sheet in ("returns", "synthesis", "codebook"):
        pd.testing.assert_frame_equal(pd.read_excel(tmp_path / "new.xlsx", sheet_name=sheet),
                                      pd.read_excel(tmp_path / "old.xlsx", sheet_name=sheet))
    book = openpyxl.load_workbook(tmp_path / "new.xlsx")
    sheet = book["returns"]
    header = [c.value for c in sheet[1]]
    rows = list(returns_rows(YearlyReturn.objects.all()))
    column = header.index("mutual_name")
    names = [r[column].value for r in sheet.iter_rows(min_row=2)]
    assert "=1+1 0" in names and "#N/A 6" in names
    stamps = [r[header.index("last_updated")] for r in sheet.iter_rows(min_row=2)]
    assert stamps[0].number_format == datasets.XLSX_DATETIME_FORMAT
    assert [abs(s.value - r["last_updated"].astimezone(UTC).replace(tzinfo=None)) < timedelta(milliseconds=1)
            for s, r in zip(stamps, rows, strict=True)] == [True] * len(rows)


def test_rows_and_frames_do_not_mix_in_a_sheet(awkward, tmp_path):
    book = datasets.XlsxWorkbook(tmp_path / "book.xlsx")
    sheet = book.sheet("returns", schema.published("returns"))
    sheet.write_frame(next(returns_frames(chunk_size=3)))
    with pytest.raises(ValueError, match="rows and frames"):
        sheet.write(next(returns_rows()))


# --- Any values, without the database ------------------------------------------------------------

KINDS = column_kinds()
COLUMNS = {kind: next(name for name, k in KINDS.items() if k == kind)
           for kind in (TEXT, INTEGER, DECIMAL, RATIO, BOOLEAN, DATETIME)}

TEXTS = st.one_of(st.sampled_from(AWKWARD), st.text(max_size=12), st.just("x" * 40000 + "<&>"))
NUMBERS = st.one_of(
    st.floats(allow_nan=False),  # ±inf too
    st.integers(-(10**12), 10**12).map(lambda n: n / 100),
    st.sampled_from([0.0, -0.0, 1e-07, 1e16, 2.0**53 + 2, -1234.56, 9.999999999999998e15]),
)
STAMPS = st.datetimes(min_value=datetime(1899, 12, 30), max_value=datetime(9999, 1, 1),
                      timezones=st.sampled_from([UTC, timezone(timedelta(hours=3))]))


def _python(value, kind):
    """A frame's value as `returns_rows` holds it: an int when whole (but for a ratio)."""
    if value is None or kind in (TEXT, BOOLEAN, DATETIME, RATIO):
        return value
    return int(value) if value == int(value) and abs(value) < 2**53 else value


def _frame(rows: list[dict]) -> pd.DataFrame:
    """The frame `returns_frames` makes of such rows: numbers as floats (NaN when missing), the rest
    as Python values; a decimal beyond `EXACT_LIMIT` keeps its Python values."""
    columns = {}
    for kind, name in COLUMNS.items():
        values = [row[name] for row in rows]
        numeric = kind in (INTEGER, DECIMAL, RATIO)
        if numeric and not (kind == DECIMAL and any(v is not None and abs(v) >= EXACT_LIMIT for v in values)):
            columns[name] = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
        else:
            column = np.empty(len(values), dtype=object)
            column[:] = values
            columns[name] = column
    return pd.DataFrame(columns)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    COLUMNS[TEXT]: st.one_of(st.none(), TEXTS),
    COLUMNS[INTEGER]: st.one_of(st.none(), st.integers(-(2**60), 2**60).map(float)),
    COLUMNS[DECIMAL]: st.one_of(st.none(), NUMBERS.filter(lambda v: abs(v) != float("inf"))),
    COLUMNS[RATIO]: st.one_of(st.none(), NUMBERS),
    COLUMNS[BOOLEAN]: st.one_of(st.none(), st.booleans()),
    COLUMNS[DATETIME]: st.one_of(st.none(), STAMPS),
}), max_size=12), st.integers(1, 5))
def test_any_values_give_the_cells_openpyxl_writes(tmp_path_factory, rows, chunk):
    table = {"fields": [{"name": name, "type": "string"} for name in COLUMNS.values()]}
    rows = [{name: _python(row[name], kind) for kind, name in COLUMNS.items()} for row in rows]
    directory = tmp_path_factory.mktemp("book")
    for which in ("old", "new"):
        book = datasets.XlsxWorkbook(directory / f"{which}.xlsx")
        sheet = book.sheet("returns", table)
        if which == "old":
            for row in rows:
                sheet.write(row)
        else:
            for start in range(0, len(rows), chunk):
                sheet.write_frame(_frame(rows[start:start + chunk]))
        book.close({"returns": table})
    assert sheet_xml(directory / "new.xlsx") == sheet_xml(directory / "old.xlsx")
    assert_well_formed(directory / "new.xlsx")
    assert_same_workbooks(directory / "old.xlsx", directory / "new.xlsx")
