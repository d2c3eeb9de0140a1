"""Bounded reading of the tables people upload (inventory/contract/reading.py over portal/core/workbooks.py),
for the secretariat's import and a mutual's offline form alike: blank rows, cells (rows × columns, empty
ones included), a row's width, time, and a CSV's lines, values and columns. Each crafted file is refused
in seconds, with a message naming the bound it passed, and nothing is saved."""

import time

import pytest
from openpyxl.utils import get_column_letter

from inventory.models import YearlyReturn
from tests.crafted_files import with_rows
from tests.inventory import test_uploads
from tests.inventory.test_upload_bounds import inventory_xlsx, post_import
from tests.inventory.test_uploads import COLUMNS, download, fill, good_rows, inventory_csv, upload

pytestmark = pytest.mark.django_db
manager, mutual, secretariat = test_uploads.manager, test_uploads.mutual, test_uploads.secretariat
SECONDS = 10  # "in seconds", measured loosely on a shared machine


def empty_cells(row: int, count: int, first_column: int = 1) -> str:
    cells = "".join(f'<c r="{get_column_letter(c)}{row}" s="0"/>'
                    for c in range(first_column, first_column + count))
    return f'<row r="{row}">{cells}</row>'


def refused_import(client, data, name="inventory.xlsx") -> tuple[list[str], float]:
    start = time.monotonic()
    response = post_import(client, data, name=name)
    elapsed = time.monotonic() - start
    job = response.context["job"]
    assert job.state == "failed", job.report
    return [p.reason for p in response.context["failure"].problems], elapsed


def refused_form(client, mutual, data) -> tuple[list[str], float]:
    start = time.monotonic()
    response = upload(client, mutual, data)
    elapsed = time.monotonic() - start
    assert response.status_code == 400
    return [p.reason for p in response.context["failure"].problems], elapsed


# Rows and cells of a workbook ---------------------------------------------------------------------

def test_a_workbook_whose_last_row_is_the_millionth_is_refused_at_the_row_limit(client, secretariat):
    data = with_rows(inventory_xlsx(good_rows()), '<row r="1048576"><c r="A1048576" t="inlineStr">'
                                                  '<is><t>x</t></is></c></row>')
    reasons, elapsed = refused_import(client, data)
    assert reasons == ["This file may hold at most 100000 row(s), blank rows included."]
    assert elapsed < SECONDS
    assert not YearlyReturn.objects.exists()


def test_a_row_of_sixteen_thousand_empty_cells_is_refused_at_once(client, secretariat, manager, mutual):
    wide = empty_cells(5, 16_384)
    reasons, elapsed = refused_import(client, with_rows(inventory_xlsx(good_rows()), wide))
    assert reasons == ["Row 5 holds more than 1024 cells, empty ones included: it is refused."]
    assert elapsed < SECONDS
    form = with_rows(fill(download(client, manager, mutual), members=1650), empty_cells(3, 16_384))
    reasons, elapsed = refused_form(client, mutual, form)
    assert reasons == ["Row 3 holds more than 1024 cells, empty ones included: it is refused."]
    assert elapsed < SECONDS
    assert not YearlyReturn.objects.filter(year=2025).exists()


def test_the_import_caps_the_cells_it_reads(client, secretariat, settings):
    settings.INVENTORY_IMPORT_MAX_CELLS = 100
    rows = "".join(empty_cells(row, 20) for row in range(5, 12))  # blank rows of formatted empty cells
    reasons, elapsed = refused_import(client, with_rows(inventory_xlsx(good_rows()), rows))
    assert reasons == ["The file holds more than 100 cells (rows × columns, empty ones included): it is "
                       "refused."]
    settings.INVENTORY_IMPORT_MAX_CELLS = 50  # the CSV's 4 lines of 14 values: 56 cells
    reasons, _ = refused_import(client, inventory_csv(good_rows()).read(), name="inventory.csv")
    assert reasons == ["The file holds more than 50 cells (rows × columns, empty ones included): it is "
                       "refused."]
    assert not YearlyReturn.objects.exists()


def test_the_offline_form_caps_its_cells_far_below_the_import(client, manager, mutual):
    rows = "".join(empty_cells(row, 1000) for row in range(3, 20))  # 17,000 empty cells, 17 rows
    form = with_rows(fill(download(client, manager, mutual), members=1650), rows)
    reasons, elapsed = refused_form(client, mutual, form)
    assert reasons == ["The file holds more than 12800 cells (rows × columns, empty ones included): it is "
                       "refused."]
    assert elapsed < SECONDS
    assert not YearlyReturn.objects.filter(year=2025).exists()


def test_reading_stops_at_its_deadline(client, secretariat, manager, mutual, settings):
    settings.INVENTORY_IMPORT_MAX_SECONDS = 0
    reasons, _ = refused_import(client, inventory_xlsx(good_rows()))
    assert reasons == ["The file takes more than 0 seconds to read: it is refused."]
    reasons, _ = refused_import(client, inventory_csv(good_rows()).read(), name="inventory.csv")
    assert reasons == ["The file takes more than 0 seconds to read: it is refused."]
    settings.UPLOAD_MAX_SECONDS = 0  # the uploads' deadline, the offline form's
    reasons, _ = refused_form(client, mutual, fill(download(client, manager, mutual), members=1650))
    assert reasons == ["The file takes more than 0 seconds to read: it is refused."]
    assert not YearlyReturn.objects.filter(year=2025).exists()


# A CSV file -------------------------------------------------------------------------------------

def csv_with(extra: bytes) -> bytes:
    return inventory_csv(good_rows()).read() + extra


@pytest.mark.parametrize("extra,reason", [
    # One line of 5 MB, no line break: read to the bound, not to its end.
    (b"x" * (5 * 1024 * 1024), "Line 5 is longer than 65536 characters: the file is refused."),
    # A quoted value of 20,000 characters on one line.
    (b'SN-0102,"' + b"y" * 20_000 + b'"\n', "A value of row 5 is longer than 10000 characters: the file is "
                                            "refused."),
    # A quoted value running over 300,000 short lines (each within the line bound).
    (b'SN-0102,"' + b"z\n" * 300_000 + b'"\n', "A value of row 5 is longer than 10000 characters: the file "
                                               "is refused."),
    # A value in column 300.
    (b"SN-0102" + b"," * 299 + b"far\n", "A value stands beyond column 256 (row 5): at most 256 columns are "
                                         "read."),
])
def test_a_csv_past_a_bound_is_refused_in_seconds(client, secretariat, extra, reason):
    reasons, elapsed = refused_import(client, csv_with(extra), name="inventory.csv")
    assert reasons == [reason]
    assert elapsed < SECONDS
    assert not YearlyReturn.objects.exists()


def test_empty_columns_at_the_right_of_a_csv_are_ignored(client, secretariat):
    data = b"\n".join(line + b"," * 300 for line in inventory_csv(good_rows()).read().splitlines()) + b"\n"
    response = post_import(client, data, name="inventory.csv")
    assert response.context["report"].returns_created == 3
    assert len(COLUMNS) < 256
