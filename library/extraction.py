"""What is inside an uploaded file: its real type (sniffed from its first bytes, not its name) and its
text (PDF through pypdf, DOCX from `word/document.xml`), for the library's search."""

from __future__ import annotations

import io
import logging
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# The extracted text is searched, not read: a cap keeps a 900-page monograph from bloating rows.
MAX_TEXT_CHARS = 500_000
WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ZIP_TYPES = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


def sniff_type(head: bytes, data: bytes | None = None) -> str | None:
    """The type the content really has ("pdf", "docx", "zip", "odt", "rtf", "text"…), from its first
    bytes (`head`) and, for zip containers, the whole content (`data`). None when unknown."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        if data is None:
            return "zip"
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype").decode("ascii", "replace")
                    if "opendocument.text" in mimetype:
                        return "odt"
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        for kind, member in ZIP_TYPES.items():
            if member in names:
                return kind
        return "zip"
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is still text.
            if error.start < len(head) - 4:
                return None
        return "text"
    return None


# Extensions and the content type each must have (csv and txt are both plain text).
EXPECTED = {
    "pdf": {"pdf"}, "docx": {"docx"}, "xlsx": {"xlsx"}, "pptx": {"pptx"}, "odt": {"odt"},
    "zip": {"zip", "docx", "xlsx", "pptx", "odt"}, "rtf": {"rtf"}, "txt": {"text"}, "csv": {"text"},
}


@dataclass(frozen=True)
class UploadCheck:
    ok: bool
    message: str = ""


def upload_limit() -> int:
    """The largest file the library takes, in bytes."""
    return getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None) or 20 * 1024 * 1024


def check_size(size: int) -> UploadCheck:
    """Refuses a file over the size limit (before reading it)."""
    limit = upload_limit()
    if size > limit:
        return UploadCheck(False, _("The file is too large (%(size)s MB; at most %(limit)s MB).") % {
            "size": round(size / 1024 / 1024, 1), "limit": round(limit / 1024 / 1024, 1)})
    return UploadCheck(True)


def check_upload(name: str, data: bytes) -> UploadCheck:
    """Refuses a file over the size limit, with an extension the library does not take, or whose
    content is not what its extension claims (a renamed executable called report.pdf)."""
    size = check_size(len(data))
    if not size.ok:
        return size
    if not data:
        return UploadCheck(False, _("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    expected = EXPECTED.get(extension)
    if expected is None:
        return UploadCheck(False, _("Files of type “%(ext)s” are not accepted (accepted: %(list)s).") % {
            "ext": extension or "?", "list": ", ".join(sorted(EXPECTED))})
    actual = sniff_type(data[:2048], data)
    if actual not in expected:
        return UploadCheck(False, _("The file is named .%(ext)s but its content is not a %(kind)s file.") % {
            "ext": extension, "kind": extension.upper()})
    return UploadCheck(True)


@dataclass(frozen=True)
class Extraction:
    text: str
    note: str = ""  # why there is no text, shown to editors


def extract_text(data: bytes) -> Extraction:
    """The text of a PDF or DOCX file; other types give no text and no note. A file that cannot be
    read gives a note instead of an error: the resource is kept, only its text is not searched."""
    kind = sniff_type(data[:2048], data)
    try:
        if kind == "pdf":
            text = _pdf_text(data)
        elif kind == "docx":
            text = _docx_text(data)
        else:
            return Extraction("")
    except Exception:
        logger.warning("Text extraction failed", exc_info=True)
        return Extraction("", _("The text of this file could not be extracted (damaged or protected file)."))
    text = " ".join(text.split())[:MAX_TEXT_CHARS]
    if not text and kind == "pdf":
        return Extraction("", _("This PDF holds no text (a scan?): only its description is searched."))
    return Extraction(text)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        reader.decrypt("")
    if len(reader.pages) == 0:
        raise ValueError("a PDF without pages")
    parts, size = [], 0
    for page in reader.pages:
        part = page.extract_text() or ""
        parts.append(part)
        size += len(part)
        if size > MAX_TEXT_CHARS:
            break
    return "\n".join(parts)


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = ElementTree.fromstring(archive.read("word/document.xml"))
    paragraphs = []
    for paragraph in root.iter(f"{WORD_NS}p"):
        paragraphs.append("".join(node.text or "" for node in paragraph.iter(f"{WORD_NS}t")))
    return "\n".join(paragraphs)
