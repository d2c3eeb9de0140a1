"""The open-data package as researchers' tools read it (issue #15): `frictionless validate` says
VALID for every CSV and XLSX resource of the current data and of a release; every sheet of the
workbook has its dimension and every cell; the Parquet files mean what the CSV files mean (a missing
value is null in both, texts included), checked with pyarrow since frictionless reads Parquet nulls
as NaN; the workbook's datetimes are said to be UTC."""

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from django.utils import translation
from frictionless import Package

from inventory.contract import schema
from portal.accounts.roles import Role
from tests.factories import UserFactory
from tests.inventory.open_data import build_inventory, parse_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def inventory():
    return build_inventory()


def download(client, path) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def current(name):
    return reverse("inventory:dataset_file", args=[name])


def unzip(data: bytes, directory: Path) -> Path:
    """The package's files from its zip, as a researcher gets them: the folder of datapackage.json."""
    directory = directory / "unzipped"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(directory)
    (folder,) = [p for p in directory.iterdir() if p.is_dir()]
    return folder


def frictionless_report(folder: Path) -> dict[str, tuple[bool, list]]:
    """{resource name: (valid, [(error type, note)])} from `frictionless validate datapackage.json`."""
    package = Package(str(folder / "datapackage.json"))
    report = package.validate()
    return {task.name: (task.valid, [(e.type, e.note) for e in task.errors]) for task in report.tasks}


def assert_tables_valid(folder: Path):
    results = frictionless_report(folder)
    tables = {name: result for name, result in results.items() if not name.endswith("-parquet")}
    # The CSV files and each sheet of the workbook are resources of their own, with their schemas.
    sheets = {"workbook-returns", "workbook-synthesis", "workbook-codebook"}
    assert {"returns", "synthesis", *sheets} <= set(tables)
    invalid = {name: errors[:5] for name, (valid, errors) in tables.items() if not valid}
    assert invalid == {}


def test_frictionless_says_the_current_package_is_valid_for_csv_and_xlsx(client, inventory, tmp_path):
    assert_tables_valid(unzip(download(client, current("inventory.zip")), tmp_path))


def test_frictionless_says_a_release_is_valid_for_csv_and_xlsx(client, inventory, tmp_path):
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    with translation.override("en"):
        publish = reverse("inventory:release_publish")
        fields = {"name": "Inventaire 2025", "version": "1.0", "changelog": ""}
        confirmation = client.post(publish, {**fields, "step": "check"})
        assert confirmation.status_code == 200
        version = confirmation.context["contents"].inventory_version
        published = client.post(publish, {**fields, "step": "publish", "inventory_version": version})
        assert published.status_code == 302
        zip_url = reverse("inventory:release_file", args=["inventaire-2025", "1.0", "inventory.zip"])
    assert_tables_valid(unzip(download(client, zip_url), tmp_path))


def test_every_sheet_has_its_dimension_and_every_row_every_cell(client, inventory):
    """What frictionless checks, read from the XML itself: a reader need not guess a sheet's size."""
    data = download(client, current("inventory.xlsx"))
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sizes = {name: (len(list(book[name].iter_rows(values_only=True))),
                    len(next(book[name].iter_rows(values_only=True)))) for name in book.sheetnames}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for number, name in enumerate(book.sheetnames, start=1):
            xml = archive.read(f"xl/worksheets/sheet{number}.xml").decode()
            rows, columns = sizes[name]
            last = openpyxl.utils.get_column_letter(columns)
            assert f'<dimension ref="A1:{last}{rows}"' in xml, name
            cells_per_row = [len(re.findall(r"<c ", row)) for row in re.findall(r"<row [^>]*>.*?</row>", xml)]
            assert cells_per_row == [columns] * rows, name


def test_parquet_nulls_are_the_csvs_empty_cells_texts_included(client, inventory):
    for table in ("returns", "synthesis"):
        csv_rows = parse_csv(download(client, current(f"{table}.csv")), table)
        parquet = pq.read_table(io.BytesIO(download(client, current(f"{table}.parquet")))).to_pylist()
        assert len(parquet) == len(csv_rows)
        for column in schema.published_column_names(table):
            csv_nulls = [r[column] is None for r in csv_rows]
            assert [r[column] is None for r in parquet] == csv_nulls, (table, column)
            assert "" not in [r[column] for r in parquet], (table, column)
    # The inventory has texts left empty (no acronym, no union): null in Parquet, not "".
    returns = pq.read_table(io.BytesIO(download(client, current("returns.parquet"))))
    assert returns.column("union").null_count == returns.num_rows


def test_the_workbooks_datetimes_are_said_to_be_utc(client, inventory):
    book = openpyxl.load_workbook(io.BytesIO(download(client, current("inventory.xlsx"))))
    header = [c.value for c in book["returns"][1]]
    cell = book["returns"].cell(row=2, column=header.index("last_updated") + 1)
    assert cell.is_date and "UTC" in cell.number_format
    codebook = {(r[0], r[1]): r for r in book["codebook"].iter_rows(min_row=2, values_only=True)}
    assert "Times in UTC" in codebook[("returns", "last_updated")][6]
    assert "UTC" in download(client, current("codebook.html")).decode()
