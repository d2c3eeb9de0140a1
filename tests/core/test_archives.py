"""Bounded reading of uploaded files (portal/core/archives.py, portal/core/workbooks.py): a zip-based
file is measured before it is inflated, a lying archive never gives more than the bounds, a workbook's
rows are never padded to the dimension it declares."""

import io
import os
import struct
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from portal.core.archives import BoundedArchive, LimitExceeded, check_zip
from portal.core.workbooks import BoundedWorkbook
from tests.crafted_files import MB, declaring, docx_bomb, with_rows


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def zip_of(members: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_anything_is_inflated():
    bomb = docx_bomb(200 * MB)
    assert len(bomb) < 1 * MB
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as refused:
            check_zip(bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert refused.value.message == "Once unpacked, the file would take more than 200.0\xa0MB: it is refused."
    assert peak < 2 * MB


def test_too_many_members_are_refused_before_the_directory_is_read(settings):
    settings.UPLOAD_MAX_ARCHIVE_MEMBERS = 20
    with pytest.raises(LimitExceeded, match="more than 20 parts"):
        check_zip(zip_of({f"part{n}.xml": "<a/>" for n in range(21)}))
    check_zip(zip_of({f"part{n}.xml": "<a/>" for n in range(20)}))


def test_a_large_member_compressed_too_well_is_refused(settings):
    with pytest.raises(LimitExceeded, match="more than 100 times its packed size"):
        check_zip(zip_of({"word/document.xml": b"\0" * (4 * MB)}))
    # Small members may compress as well as they like (a run of spaces in a style sheet).
    check_zip(zip_of({"word/styles.xml": b" " * (MB // 2)}))
    settings.UPLOAD_MAX_INFLATED_BYTES = 3 * MB
    with pytest.raises(LimitExceeded, match="more than 3.0\xa0MB"):
        check_zip(zip_of({"a.bin": os.urandom(2 * MB), "b.bin": os.urandom(2 * MB)}))


def lying(data: bytes, name: str, declared: int) -> bytes:
    """`data` whose central directory and local header say `name` inflates to `declared` bytes."""
    data = bytearray(data)
    encoded = name.encode()
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46:central + 46 + length]) == encoded:
            struct.pack_into("<L", data, central + 24, declared)
            local = struct.unpack_from("<L", data, central + 42)[0]
            struct.pack_into("<L", data, local + 22, declared)
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


def test_a_lying_central_directory_gives_no_more_than_it_declares(settings):
    settings.UPLOAD_MAX_INFLATED_BYTES = 1 * MB
    honest = zip_of({"word/document.xml": b"<w/>" * (5 * MB // 4)})  # 5 MB, refused as it says so
    with pytest.raises(LimitExceeded):
        check_zip(honest)
    liar = lying(honest, "word/document.xml", 1000)  # "1000 bytes", and passes the checks
    with BoundedArchive(liar) as archive:
        member = archive.open("word/document.xml")
        read = 0
        with pytest.raises((LimitExceeded, zipfile.BadZipFile)):
            while chunk := member.read(64 * 1024):
                read += len(chunk)
        assert read <= 1 * MB


def workbook(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_rows_are_read_as_the_file_holds_them_not_as_its_dimension_declares():
    data = declaring(workbook([["a", "b"], [1, 2]]), "A1:XFD1048576")
    with BoundedWorkbook(data) as book:
        assert list(book.rows(max_columns=10)) == [["a", "b"], [1, 2]]


def test_rows_missing_from_the_file_come_as_empty_rows_and_far_values_are_refused():
    data = with_rows(workbook([["a"]]), '<row r="4"><c r="B4" t="inlineStr"><is><t>x</t></is></c></row>')
    with BoundedWorkbook(data) as book:
        assert list(book.rows(max_columns=10)) == [["a"], [], [], [None, "x"]]
    far = with_rows(workbook([["a"]]), '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>')
    with BoundedWorkbook(far) as book, pytest.raises(LimitExceeded, match="beyond column 10"):
        list(book.rows(max_columns=10))


def test_a_workbook_whose_shared_strings_openpyxl_would_hold_whole_is_refused_before_it_is_read(settings):
    """A million shared strings pass the ratio and size bounds (2.5 MB packed, ratio 8) but openpyxl
    would read them all into memory: a part other than a sheet must be small once unpacked."""
    settings.UPLOAD_MAX_WORKBOOK_PART_BYTES = 1 * MB
    strings = "".join(f"<si><t>{n:x}-{os.urandom(3).hex()}</t></si>" for n in range(100_000))
    shared = ('<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              f'2006/main" count="100000" uniqueCount="100000">{strings}</sst>')
    source = zipfile.ZipFile(io.BytesIO(workbook([["a"]])))
    members = {name: source.read(name) for name in source.namelist()}
    members["xl/sharedStrings.xml"] = shared.encode()
    tracemalloc.start()
    with pytest.raises(LimitExceeded, match="shared texts"):
        BoundedWorkbook(zip_of(members))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * MB  # refused from the directory, the strings never parsed
    with BoundedWorkbook(workbook([["a", "b"]])) as book:  # an ordinary workbook still opens
        assert list(book.rows(max_columns=5)) == [["a", "b"]]
