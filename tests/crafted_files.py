"""Hostile files for the tests and the benchmark of bounded reading (bench/uploads.py): small on disk,
huge once inflated or once padded to what they declare. Each is built here with zipfile, in chunks, so
that building one never holds its inflated size in memory."""

import io
import re
import zipfile

MB = 1024 * 1024
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _write_repeated(archive, name, head: bytes, filler: bytes, size: int, tail: bytes) -> None:
    chunk = filler * (MB // len(filler))
    with archive.open(name, "w", force_zip64=False) as member:
        member.write(head)
        for _ in range(-(-size // len(chunk))):  # at least `size` bytes
            member.write(chunk)
        member.write(tail)


def docx_bomb(inflated: int = 200 * MB) -> bytes:
    """A DOCX of about 200 KB whose `word/document.xml` inflates to `inflated` bytes of one paragraph."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        head = f'<w:document xmlns:w="{WORD_NS}"><w:body><w:p><w:r><w:t>'.encode()
        _write_repeated(archive, "word/document.xml", head, b"mutuelle ", inflated,
                        b"</w:t></w:r></w:p></w:body></w:document>")
    return out.getvalue()


def replace_members(data: bytes, replacements: dict) -> bytes:
    """A copy of the zip `data` where each member named in `replacements` is replaced: by bytes, or by
    a function called with the archive being written and the member's name (to write it in chunks)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            replacement = replacements.get(info.filename)
            if replacement is None:
                target.writestr(info.filename, source.read(info.filename))
            elif callable(replacement):
                replacement(target, info.filename)
            else:
                target.writestr(info.filename, replacement)
    return out.getvalue()


def sheet_path(data: bytes, index: int = 0) -> str:
    """The archive path of the workbook's `index`-th sheet (openpyxl names them sheet1.xml, …)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    return sorted(name for name in names if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name))[index]


def declaring(data: bytes, ref: str = "A1:XFD1048576", index: int = 0) -> bytes:
    """The workbook `data` whose sheet declares the dimension `ref` (its cells unchanged)."""
    path = sheet_path(data, index)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(path).decode()
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
    return replace_members(data, {path: xml.encode()})


def deflate_bomb(data: bytes, inflated: int = 200 * MB, index: int = 0) -> bytes:
    """The workbook `data` whose sheet's rows are followed by `inflated` bytes of blanks (XML
    whitespace): a few hundred KB on disk."""
    path = sheet_path(data, index)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(path)
    head, tail = xml.split(b"</sheetData>", 1)

    def write(archive, name):
        _write_repeated(archive, name, head, b" " * 64, inflated, b"</sheetData>" + tail)
    return replace_members(data, {path: write})


def with_rows(data: bytes, rows_xml: str, index: int = 0) -> bytes:
    """The workbook `data` with `rows_xml` (`<row …>` elements) added at the end of its sheet's rows."""
    path = sheet_path(data, index)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read(path).decode()
    return replace_members(data, {path: xml.replace("</sheetData>", rows_xml + "</sheetData>").encode()})
