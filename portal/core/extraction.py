"""What is inside an uploaded file: its real type (sniffed from its first bytes, not its name) and its
text (PDF through pypdf, DOCX from `word/document.xml`): the checks of every document upload (the
library's resources and proposals, the news' attachments) and the text of the library's search.

Every read goes through `portal.core.archives`' bounds: a zip-based file is measured before anything is
inflated, a DOCX is parsed as a stream (no tree, no DTD) keeping at most `UPLOAD_MAX_TEXT_CHARS`, a PDF
is read under pypdf's limits and a page bound, all under a time bound. `check_upload` runs the same
bounded extraction, so a file beyond a bound is refused with a message naming it before it is stored.
"""

from __future__ import annotations

import hashlib
import io
import logging
import zipfile
from dataclasses import dataclass
from xml.parsers import expat

from django.conf import settings
from django.utils.translation import gettext as _

from portal.core.archives import (
    BoundedArchive,
    Deadline,
    LimitExceeded,
    Limits,
    check_pdf_pages,
    limits,
    pdf_limits,
    pdf_refusal,
)

logger = logging.getLogger(__name__)

# The extracted text is searched, not read: a cap (UPLOAD_MAX_TEXT_CHARS) keeps a 900-page monograph
# from bloating rows. Names as expat reports them with "}" between namespace and local name.
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ZIP_TYPES = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


def sniff_type(head: bytes, data: bytes | None = None) -> str | None:
    """The type the content really has ("pdf", "docx", "zip", "odt", "rtf", "text"…), from its first
    bytes (`head`) and, for zip containers, the whole content (`data`). None when unknown; a zip
    container beyond the bounds raises LimitExceeded (nothing of it is inflated)."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        if data is None:
            return "zip"
        try:
            with BoundedArchive(data) as archive:
                names = set(archive.names())
                if "mimetype" in names:
                    mimetype = archive.read("mimetype", max_bytes=200).decode("ascii", "replace")
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
    """Refuses a file over the size limit, with an extension the library does not take, whose content
    is not what its extension claims (a renamed executable called report.pdf), or that goes beyond the
    bounds of reading (`portal.core.archives`: a zip bomb, a PDF of 100,000 pages…)."""
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
    try:
        actual = sniff_type(data[:2048], data)
    except LimitExceeded as error:
        return UploadCheck(False, error.message)
    if actual not in expected:
        return UploadCheck(False, _("The file is named .%(ext)s but its content is not a %(kind)s file.") % {
            "ext": extension, "kind": extension.upper()})
    refusal = extract_text(data).refusal
    if refusal:
        return UploadCheck(False, refusal)
    return UploadCheck(True)


@dataclass(frozen=True)
class Extraction:
    text: str
    note: str = ""  # why there is no text, shown to editors
    refusal: str = ""  # the bound the file goes beyond (check_upload refuses it)


# The last extraction, by content digest: the form's check and the page's save read the same upload in
# one request, and a long PDF is not worth extracting twice.
_last: tuple[tuple, Extraction] | None = None


def extract_text(data: bytes) -> Extraction:
    """The text of a PDF or DOCX file; other types give no text and no note. A file that cannot be
    read gives a note instead of an error: the resource is kept, only its text is not searched. A file
    beyond the bounds gives no text, its `refusal` as the note too."""
    global _last
    bounds = limits()
    key = (hashlib.sha256(data).digest(), bounds)
    last = _last
    if last is not None and last[0] == key:
        return last[1]
    result = _extract(data, bounds)
    _last = (key, result)
    return result


def _extract(data: bytes, bounds: Limits) -> Extraction:
    deadline = Deadline(bounds.seconds)
    try:
        kind = sniff_type(data[:2048], data)
        if kind == "pdf":
            text = _pdf_text(data, bounds, deadline)
        elif kind == "docx":
            text = _docx_text(data, bounds, deadline)
        else:
            return Extraction("")
    except LimitExceeded as error:
        return Extraction("", error.message, error.message)
    except Exception:
        logger.warning("Text extraction failed", exc_info=True)
        return Extraction("", _("The text of this file could not be extracted (damaged or protected file)."))
    text = " ".join(text.split())[: bounds.text_chars]
    if not text and kind == "pdf":
        return Extraction("", _("This PDF holds no text (a scan?): only its description is searched."))
    return Extraction(text)


def _pdf_text(data: bytes, bounds: Limits, deadline: Deadline) -> str:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        with pdf_limits(bounds):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                reader.decrypt("")
            count = len(reader.pages)
            check_pdf_pages(count, bounds)
            if count == 0:
                raise ValueError("a PDF without pages")
            parts, size = [], 0
            for page in reader.pages:
                deadline.check()
                part = page.extract_text() or ""
                parts.append(part[: bounds.text_chars - size + 1])
                size += len(part)
                if size > bounds.text_chars:
                    break
    except LimitReachedError as error:
        raise pdf_refusal(bounds) from error
    return "\n".join(parts)


class _NoDeclarations(ValueError):
    """A DOCX part never declares a DTD or entities; one that does is refused (billion laughs)."""


def _docx_text(data: bytes, bounds: Limits, deadline: Deadline) -> str:
    """The text of `word/document.xml`, paragraphs on lines, parsed as a stream: no tree is built, at
    most `bounds.text_chars` characters are kept and reading stops there."""
    parts: list[str] = []
    kept = 0
    in_text = False

    def start(name, _attrs):
        nonlocal in_text
        in_text = name == WORD_NS + "t"

    def end(name):
        nonlocal in_text, kept
        if name == WORD_NS + "t":
            in_text = False
        elif name == WORD_NS + "p" and kept < bounds.text_chars:
            parts.append("\n")
            kept += 1

    def characters(text):
        nonlocal kept
        if in_text and kept < bounds.text_chars:
            piece = text[: bounds.text_chars - kept]
            parts.append(piece)
            kept += len(piece)

    def refuse(*_args):
        raise _NoDeclarations("a DTD in a DOCX part")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = refuse
    with BoundedArchive(data, bounds=bounds, deadline=deadline) as archive, \
            archive.open("word/document.xml") as xml:
        while kept < bounds.text_chars:
            chunk = xml.read(64 * 1024)
            parser.Parse(chunk, not chunk)
            if not chunk:
                break
    return "".join(parts)
