"""Inventory files are read within bounds (portal/core/archives.py, portal/core/workbooks.py): an XLSX
is measured before it is inflated and read as it is, never padded to the dimension it declares; blank
rows count toward the row limit; an upload over 10 MB gets a 413 with a message. The web import, the
offline form and `import_inventory` go through the same reading (inventory/contract/reading.py)."""

import functools
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation
from openpyxl import Workbook

from inventory.models import YearlyReturn
from tests.crafted_files import MB, declaring, deflate_bomb, with_rows
from tests.inventory import test_uploads
from tests.inventory.test_uploads import COLUMNS, download, fill, good_rows, inventory_csv, upload, url

pytestmark = pytest.mark.django_db
# The fixtures of the upload tests: a mutual, its manager, the secretariat logged in.
manager, mutual, secretariat = test_uploads.manager, test_uploads.mutual, test_uploads.secretariat
INFLATED = "Once unpacked, the file would take more than 200.0\xa0MB: it is refused."


def inventory_xlsx(rows) -> bytes:
    book = Workbook()
    book.active.append(COLUMNS)
    for row in rows:
        book.active.append([int(row[c]) if c in ("year",) else row[c] for c in COLUMNS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@functools.cache
def inventory_bomb() -> bytes:
    """A valid inventory whose sheet is followed by 200 MB of blanks: about 200 KB."""
    return deflate_bomb(inventory_xlsx(good_rows()), 200 * MB)


def command(path) -> str:
    err = io.StringIO()
    with translation.override("en"), pytest.raises(CommandError):
        call_command("import_inventory", str(path), stderr=err)
    return err.getvalue()


def post_import(client, data, name="inventory.xlsx", **fields):
    """The upload's answer: its job page once the import has run (at once with the tests' backend), or
    the upload page when the upload itself is refused (413, form errors)."""
    return client.post(url("import_upload"), {"file": SimpleUploadedFile(name, data), **fields}, follow=True)


# A declared dimension costs nothing ---------------------------------------------------------------

def test_a_sheet_declaring_a_million_rows_is_read_as_the_rows_it_holds(client, secretariat, tmp_path):
    rows = good_rows()
    rows[0]["members"] = "beaucoup"
    data = declaring(inventory_xlsx(rows), "A1:XFD1048576")
    response = post_import(client, data)
    assert response.context["job"].state == "failed"
    assert [(p.row, p.column, p.value) for p in response.context["failure"].problems] == [
        (2, "members", "beaucoup")]
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(data)
    assert "row 2, column members, value 'beaucoup': A whole number is expected." in command(path)
    assert not YearlyReturn.objects.exists()


def test_an_offline_form_declaring_a_million_rows_is_read_as_the_row_it_holds(client, manager, mutual):
    data = declaring(fill(download(client, manager, mutual), members=1650), "A1:XFD1048576")
    response = upload(client, mutual, data)
    assert response.status_code == 302
    assert YearlyReturn.objects.get(mutual=mutual, year=2025).members == 1650


# A deflate bomb is refused before it is inflated -------------------------------------------------

def test_a_deflate_bomb_is_refused_by_the_web_import_and_the_command(client, secretariat, tmp_path):
    response = post_import(client, inventory_bomb())
    assert response.context["job"].state == "failed"
    assert [p.reason for p in response.context["failure"].problems] == [INFLATED]
    assert INFLATED in response.content.decode()
    path = tmp_path / "inventory.xlsx"
    path.write_bytes(inventory_bomb())
    assert INFLATED in command(path)
    assert not YearlyReturn.objects.exists()


def test_a_deflate_bomb_is_refused_by_the_offline_form(client, manager, mutual):
    data = deflate_bomb(fill(download(client, manager, mutual), members=1650), 200 * MB)
    response = upload(client, mutual, data)
    assert response.status_code == 400
    assert [p.reason for p in response.context["failure"].problems] == [INFLATED]
    assert not YearlyReturn.objects.filter(year=2025).exists()


# Blank rows count --------------------------------------------------------------------------------

def test_blank_rows_count_toward_the_row_limit(client, secretariat, settings, tmp_path):
    settings.INVENTORY_IMPORT_MAX_ROWS = 10
    data = inventory_csv(good_rows()).read() + b",,,,\n" * 8
    response = post_import(client, data, name="inventory.csv")
    assert response.context["job"].state == "failed"
    assert [p.reason for p in response.context["failure"].problems] == [
        "This file may hold at most 10 row(s), blank rows included."]
    path = tmp_path / "inventory.csv"
    path.write_bytes(data)
    assert "row 12, column -, value '': This file may hold at most 10 row(s)" in command(path)
    assert not YearlyReturn.objects.exists()


def test_an_offline_form_with_more_blank_rows_than_the_limit_is_refused(client, manager, mutual):
    far = '<row r="60"><c r="B60" t="inlineStr"><is><t>x</t></is></c></row>'
    response = upload(client, mutual, with_rows(fill(download(client, manager, mutual)), far))
    assert response.status_code == 400
    assert [p.reason for p in response.context["failure"].problems] == [
        "This file may hold at most 50 row(s), blank rows included."]


# Oversized uploads: 413 --------------------------------------------------------------------------

TOO_LARGE = "The file is too large; the limit is 10.0\xa0MB."


def test_an_upload_over_10_mb_gets_a_413_and_keeps_what_else_was_typed(client, secretariat):
    response = post_import(client, b"x" * (11 * MB), name="inventory.csv", check_only="on")
    assert response.status_code == 413
    assert response.context["form"].errors["file"] == [TOO_LARGE]
    assert response.context["form"]["check_only"].value() is True
    assert TOO_LARGE in response.content.decode()


def test_an_offline_form_over_10_mb_gets_a_413(client, manager, mutual):
    client.force_login(manager)
    response = upload(client, mutual, b"PK\x03\x04" + b"x" * (11 * MB))
    assert response.status_code == 413
    assert response.context["form"].errors["file"] == [TOO_LARGE]
    assert not YearlyReturn.objects.filter(year=2025).exists()


def test_fields_over_djangos_limit_get_a_413_too(client, secretariat, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = post_import(client, inventory_csv(good_rows()).read(), name="inventory.csv",
                           check_only="x" * 2000)
    assert response.status_code == 413
    assert response.context["form"].errors["file"] == [TOO_LARGE]
    assert not YearlyReturn.objects.exists()


def test_the_upload_forms_still_check_the_csrf_token(secretariat, manager, mutual):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(secretariat)
    response = browser.post(url("import_upload"), {"file": inventory_csv(good_rows())})
    assert response.status_code == 403
    browser.force_login(manager)
    response = browser.post(url("return_upload", mutual.mutual_id, 2025),
                            {"file": SimpleUploadedFile("form.xlsx", b"PK\x03\x04")})
    assert response.status_code == 403
    assert not YearlyReturn.objects.filter(year=2025).exists()
