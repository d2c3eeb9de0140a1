"""The returns table written a chunk of columns at a time (`exports.returns_frames`,
`returns_csv_text`) gives the bytes of the row-by-row writer (`returns_rows`, `write_returns_csv`):
formula-looking texts, negative and huge numbers, empty values, decimals, accents, quotes and line
breaks, currencies with and without a rate, chunks of every size."""

import io
import random
import zipfile
from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.contract import schema
from inventory.contract.choices import ReturnState
from inventory.models import ExchangeRate, Mutual, Union, YearlyReturn
from inventory.opendata import datasets
from inventory.opendata.exports import (
    DECIMAL,
    RATIO,
    csv_cells_of,
    format_cell,
    returns_frames,
    returns_rows,
    write_returns_csv,
    write_returns_frames_csv,
)
from portal.core.spreadsheets import csv_cells, csv_quoted
from tests.inventory.test_import_export import random_inventory, write_csv

pytestmark = pytest.mark.django_db

TEXTS = [
    "=HYPERLINK(\"http://x\",\"Click\")", "+221 77", "-x", "@SUM(A1)", "\t=1", "\r=2", "'déjà",
    "Thiès, \"centre\"", "ligne 1\nligne 2", "a\rb", "Ségou — Mopti", "", " espace", "#REF!", "'",
]


def old_csv(queryset=None) -> str:
    out = io.StringIO()
    write_returns_csv(returns_rows(queryset), out)
    return out.getvalue()


def new_csv(queryset=None, chunk_size=10_000) -> str:
    out = io.StringIO()
    count = write_returns_frames_csv(returns_frames(queryset, chunk_size), out)
    assert count == (queryset if queryset is not None else YearlyReturn.objects.public()).count()
    return out.getvalue()


@pytest.fixture
def inventory(tmp_path):
    rng = random.Random(16)
    path = write_csv(tmp_path / "inventory.csv", random_inventory(rng, mutuals=40))
    call_command("import_inventory", str(path), stdout=io.StringIO())
    union = Union.objects.create(name="=Union \"des\" mutuelles,\nde Thiès")
    for n, mutual in enumerate(Mutual.objects.order_by("pk")):
        Mutual.objects.filter(pk=mutual.pk).update(
            name=TEXTS[n % len(TEXTS)] + f" {n}", locality=TEXTS[(n + 3) % len(TEXTS)],
            acronym=TEXTS[(n + 5) % len(TEXTS)][:40], union=union if n % 3 == 0 else None,
        )
    returns = list(YearlyReturn.objects.order_by("pk"))
    ExchangeRate.objects.create(currency="GHS", year=2020, rate=Decimal("13.456789"))
    ExchangeRate.objects.create(currency="GNF", year=2021, rate=Decimal("10000"))
    currencies = ["XOF", "GHS", "GNF", "EUR", "", "xaf", "NGN"]
    for n, ret in enumerate(returns):
        changes = {"software": TEXTS[n % len(TEXTS)], "currency": currencies[n % len(currencies)]}
        if n % 7 == 0:
            changes["reserves"] = Decimal("-1234.56")  # not accepted by the forms, written all the same
        if n % 11 == 0:
            changes["benefits_paid"] = Decimal("0.01")  # ratios with exponents: 1e-05 and the like
            changes["care_episodes"] = 1000
        if n % 13 == 0:
            changes["contributions_due"] = Decimal("123456789012345.67")  # beyond a float's cents
            changes["other_income"] = Decimal("5000000000000")
        if n % 17 == 0:
            changes["contributions_collected"] = Decimal("655.96")  # XOF → 1.00000… EUR, near a half cent
            changes["contribution_amount"] = Decimal("3.28")  # 0.005000… EUR: a half cent
        if n % 19 == 0:
            changes["state"] = ReturnState.SUBMITTED
        YearlyReturn.objects.filter(pk=ret.pk).update(**changes)
    return returns


def test_the_frames_write_the_bytes_of_the_rows(inventory):
    old = old_csv()
    assert old.count("\n") > 300
    assert "'=HYPERLINK" in old and "'\t=1" in old and "\"ligne 1\nligne 2\"" in old
    assert new_csv() == old


@pytest.mark.parametrize("chunk_size", [1, 7, 500])
def test_every_chunk_size_and_every_state_gives_the_same_bytes(inventory, chunk_size):
    everything = YearlyReturn.objects.all()  # submitted and draft returns too (validation_status)
    assert new_csv(everything, chunk_size) == old_csv(everything)


def test_an_empty_table_is_its_header():
    assert new_csv() == old_csv() == old_csv().splitlines(keepends=True)[0]
    assert new_csv(YearlyReturn.objects.none()) == old_csv()


def test_the_frames_hold_the_rows_values(inventory):
    frame = pd.concat(returns_frames(chunk_size=50), ignore_index=True)
    rows = list(returns_rows())
    assert len(frame) == len(rows)
    for column in ("mutual_name", "union", "validation_status", "eur_rate_source", "last_updated"):
        assert frame[column].tolist() == [row[column] for row in rows]
    for column in ("members", "collection_rate", "reserves_eur", "growth_rate"):
        expected = [np.nan if row[column] is None else float(row[column]) for row in rows]
        np.testing.assert_array_equal(frame[column].astype(float).to_numpy(), np.array(expected))


FLOATS = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**12), 10**12).map(lambda n: n / 100),
    st.sampled_from([0.0, -0.0, 1e-05, 0.0001, 1e16, 9.999999999999998e15, 1.5, -3.5]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), FLOATS), max_size=30), st.sampled_from([DECIMAL, RATIO]))
def test_a_column_of_numbers_is_written_as_format_cell_writes_each(values, kind):
    """Ratios are floats (`1.0`); a decimal's whole value is an integer (`_number`, `_plain`)."""
    def python(v):
        if v is None or kind == RATIO:
            return v
        return int(v) if v == int(v) and abs(v) < 2**53 else v

    column = pd.Series([np.nan if v is None else v for v in values], dtype=float)
    expected = csv_cells([python(v) for v in values], format_cell)
    assert csv_cells_of(column, kind) == [csv_quoted(c) for c in expected]


def write_tables(directory, frames: bool):
    """The returns table's CSV, Parquet file and workbook sheet, by the rows or by the frames."""
    published = schema.published("returns")
    book = datasets.XlsxWorkbook(directory / "inventory.xlsx")
    sinks = [datasets.CsvFile(directory / "returns.csv", datasets.column_names(published)),
             datasets.ParquetFile(directory / "returns.parquet", published), book.sheet("returns", published)]
    for item in returns_frames(chunk_size=37) if frames else returns_rows():
        for sink in sinks:
            sink.write_frame(item) if frames else sink.write(item)
    counts = [sink.close() for sink in sinks]
    book.close({"returns": published})
    return counts


def test_the_files_of_a_build_are_those_the_rows_gave(inventory, tmp_path, monkeypatch):
    """CSV: the same bytes; Parquet: the same bytes (same values, nulls, row groups); the workbook's
    sheet: the same cells (its XML)."""
    monkeypatch.setattr(datasets, "PARQUET_BATCH", 100)  # several row groups, across the chunks
    (tmp_path / "rows").mkdir()
    (tmp_path / "frames").mkdir()
    counts = write_tables(tmp_path / "rows", frames=False)
    assert write_tables(tmp_path / "frames", frames=True) == counts
    assert counts[0] == YearlyReturn.objects.public().count() > 300
    for name in ("returns.csv", "returns.parquet"):
        assert (tmp_path / "frames" / name).read_bytes() == (tmp_path / "rows" / name).read_bytes()
    parquet = pq.ParquetFile(tmp_path / "frames" / "returns.parquet")
    assert parquet.metadata.num_row_groups == -(-counts[0] // 100)
    table = parquet.read()
    assert table.column("locality").null_count > 0  # an empty text is a null, as the rows made it
    with zipfile.ZipFile(tmp_path / "rows" / "inventory.xlsx") as rows, \
            zipfile.ZipFile(tmp_path / "frames" / "inventory.xlsx") as frames:
        sheet = "xl/worksheets/sheet1.xml"
        assert frames.read(sheet) == rows.read(sheet)
        assert b'<dimension ref="A1:BQ' in frames.read(sheet)
