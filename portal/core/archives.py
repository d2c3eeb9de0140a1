"""Reading uploaded files within bounds: zip-based files (DOCX, XLSX, ODT, PPTX, ZIP) and PDFs.

What it guarantees, whoever sent the file:

- a zip-based file is measured before any of it is inflated: the number of members (read from the
  archive's end record, before the central directory is parsed), each member's declared size, the
  total declared size once inflated, and the compression ratio of every member declaring more than
  `RATIO_GRACE_BYTES`. Over any bound it is refused with `LimitExceeded`, whose message names the bound;
- members are then inflated through `BoundedArchive.open()`, in chunks, counting the bytes actually
  produced: a central directory that lies about sizes stops at the same bound (Python's zipfile also
  stops a member at its declared size and then fails its checksum);
- a PDF is read with pypdf's own limits (`pdf_limits()`): every stream's declared and inflated size and
  the page tree are bounded, and `check_pdf_pages` bounds the number of pages;
- `Deadline` bounds the time a reader spends, checked between chunks, rows or pages.

The bounds are settings (`UPLOAD_MAX_*`, defaults below); `limits()` reads them at each call, so a test
or a deployment changes them without touching code. Callers turn `LimitExceeded` into a form error, an
import problem or a command's error: never a 500, never an unbounded read.
"""

from __future__ import annotations

import io
import struct
import time
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MB = 1024 * 1024
DEFAULTS = {
    "UPLOAD_MAX_ARCHIVE_MEMBERS": 2000,
    "UPLOAD_MAX_INFLATED_BYTES": 200 * MB,  # a whole archive once inflated
    "UPLOAD_MAX_COMPRESSION_RATIO": 100,  # Apache POI's default too (its MIN_INFLATE_RATIO 0.01)
    "UPLOAD_MAX_PDF_PAGES": 5000,
    "UPLOAD_MAX_PDF_STREAM_BYTES": 32 * MB,  # one PDF stream once inflated (held in memory by pypdf)
    "UPLOAD_MAX_TEXT_CHARS": 500_000,
    "UPLOAD_MAX_SECONDS": 30,
}
# Small members may be very compressible (a run of spaces): the ratio matters only for large ones.
RATIO_GRACE_BYTES = 1 * MB
CHUNK = 64 * 1024
_END_RECORD = struct.Struct("<4s4H2LH")  # the zip "end of central directory" record, 22 bytes
_END_SIGNATURE = b"PK\x05\x06"


class LimitExceeded(Exception):
    """The file goes beyond one of the bounds; `message` says which, for the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    members: int
    inflated_bytes: int
    ratio: int
    pdf_pages: int
    pdf_stream_bytes: int
    text_chars: int
    seconds: float


def limits() -> Limits:
    """The bounds as the settings have them now (each setting falls back to `DEFAULTS`)."""
    value = {name: getattr(settings, name, default) for name, default in DEFAULTS.items()}
    return Limits(
        members=value["UPLOAD_MAX_ARCHIVE_MEMBERS"], inflated_bytes=value["UPLOAD_MAX_INFLATED_BYTES"],
        ratio=value["UPLOAD_MAX_COMPRESSION_RATIO"], pdf_pages=value["UPLOAD_MAX_PDF_PAGES"],
        pdf_stream_bytes=value["UPLOAD_MAX_PDF_STREAM_BYTES"], text_chars=value["UPLOAD_MAX_TEXT_CHARS"],
        seconds=value["UPLOAD_MAX_SECONDS"],
    )


def inflated_message(limit: int) -> str:
    return _("Once unpacked, the file would take more than %(limit)s: it is refused.") % {
        "limit": filesizeformat(limit)}


class Deadline:
    """A time bound for reading one file: `check()` raises LimitExceeded once `seconds` have passed."""

    def __init__(self, seconds: float | None = None):
        self.seconds = limits().seconds if seconds is None else seconds
        self.end = time.monotonic() + self.seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise LimitExceeded(_("The file takes more than %(limit)s seconds to read: it is refused.") % {
                "limit": self.seconds})


def _stream(file):
    """A seekable binary stream over `file` (bytes, a path, an uploaded file or an open file)."""
    if isinstance(file, bytes | bytearray | memoryview):
        return io.BytesIO(file), True
    if isinstance(file, str | Path):
        return open(file, "rb"), True  # closed by BoundedArchive.close
    return file, False


def _declared_members(stream) -> int | None:
    """The number of members the end record announces, read without parsing the central directory
    (which a 20 MB file can fill with 200,000 entries); None when there is no end record."""
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    tail_size = min(size, _END_RECORD.size + 0xFFFF)  # the record, then a comment of up to 64 KB
    stream.seek(size - tail_size)
    tail = stream.read(tail_size)
    stream.seek(0)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return None
    # 0xFFFF means "see the zip64 record": more members than any document has, refused as such.
    return _END_RECORD.unpack_from(tail, at)[4]


class BoundedArchive:
    """A zip archive checked against the bounds when opened (LimitExceeded, or zipfile.BadZipFile when
    it is no zip), whose members are inflated counting every byte against the same bounds."""

    def __init__(self, file, *, bounds: Limits | None = None, deadline: Deadline | None = None):
        self.bounds = bounds or limits()
        self.deadline = deadline or Deadline(self.bounds.seconds)
        self.inflated = 0
        self._stream, self._owned = _stream(file)
        try:
            declared = _declared_members(self._stream)
            if declared is not None and declared > self.bounds.members:
                raise LimitExceeded(self._members_message())
            self.zip = zipfile.ZipFile(self._stream)
            self._check(self.zip.infolist())
        except BaseException:
            self.close()
            raise

    def _members_message(self) -> str:
        return _("The file holds more than %(limit)s parts: it is refused.") % {"limit": self.bounds.members}

    def _check(self, members) -> None:
        bounds = self.bounds
        if len(members) > bounds.members:
            raise LimitExceeded(self._members_message())
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > bounds.inflated_bytes or total > bounds.inflated_bytes:
                raise LimitExceeded(inflated_message(bounds.inflated_bytes))
            if member.file_size > RATIO_GRACE_BYTES and \
                    member.file_size > bounds.ratio * max(member.compress_size, 1):
                raise LimitExceeded(_(
                    "A part of the file unpacks to more than %(limit)s times its packed size: the file is "
                    "refused.") % {"limit": bounds.ratio})

    def names(self) -> list[str]:
        return self.zip.namelist()

    def stream(self):
        """The file itself, at its start, for a library that opens the archive on its own (openpyxl):
        what it inflates is bounded by the declared sizes checked here."""
        self._stream.seek(0)
        return self._stream

    def open(self, name: str) -> BoundedMember:
        """A member as a binary stream, inflated chunk by chunk; KeyError when there is no such member."""
        return BoundedMember(self, self.zip.open(name))

    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """A member's bytes (at most `max_bytes` of them: the rest is not inflated)."""
        with self.open(name) as member:
            if max_bytes is None:
                return member.read()
            return member.read(max_bytes)

    def spend(self, size: int) -> None:
        """Counts `size` inflated bytes; LimitExceeded once the archive's bound or the time is passed."""
        self.inflated += size
        if self.inflated > self.bounds.inflated_bytes:
            raise LimitExceeded(inflated_message(self.bounds.inflated_bytes))
        self.deadline.check()

    def close(self) -> None:
        zip_file = getattr(self, "zip", None)
        if zip_file is not None:
            zip_file.close()
        if self._owned:
            self._stream.close()
        elif not getattr(self._stream, "closed", False):
            self._stream.seek(0)  # the caller's file, ready for its next reader

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class BoundedMember(io.RawIOBase):
    """One member being inflated: every chunk read is counted by its archive."""

    def __init__(self, archive: BoundedArchive, handle):
        super().__init__()
        self._archive = archive
        self._handle = handle

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._handle.read(min(len(buffer), CHUNK))
        self._archive.spend(len(data))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(CHUNK), b""))
        data = self._handle.read(min(size, CHUNK))
        self._archive.spend(len(data))
        return data

    def close(self) -> None:
        self._handle.close()
        super().close()


def check_zip(file, *, bounds: Limits | None = None) -> None:
    """Refuses (LimitExceeded) a zip-based file whose members, declared sizes or compression ratio go
    beyond the bounds; zipfile.BadZipFile when it is no zip archive. Nothing is inflated."""
    with BoundedArchive(file, bounds=bounds):
        pass


# -- PDF ------------------------------------------------------------------------------------------

@contextmanager
def pdf_limits(bounds: Limits | None = None):
    """pypdf's limits set to the portal's bounds for the code in the block (a context variable: other
    threads keep theirs). pypdf raises its LimitReachedError beyond them; `pdf_refusal` words it."""
    from pypdf import apply_configuration

    bounds = bounds or limits()
    stream = bounds.pdf_stream_bytes
    with apply_configuration(
        maximum_declared_stream_length=stream, array_based_stream_maximum_output_length=stream,
        jbig2_maximum_output_length=stream, lzw_maximum_output_length=stream,
        run_length_maximum_output_length=stream, zlib_maximum_output_length=stream,
        brotli_maximum_output_length=stream, image_maximum_buffer_size=stream,
        stream_decoding_work_maximum_length=4 * stream,
        page_tree_maximum_entries=2 * bounds.pdf_pages,
    ):
        yield bounds


def pdf_refusal(bounds: Limits | None = None) -> LimitExceeded:
    """The refusal of a PDF on which pypdf reached one of the limits `pdf_limits` set."""
    bounds = bounds or limits()
    return LimitExceeded(_("A part of the PDF unpacks to more than %(limit)s, or its structure is too "
                           "large: it is refused.") % {"limit": filesizeformat(bounds.pdf_stream_bytes)})


def check_pdf_pages(count: int, bounds: Limits | None = None) -> None:
    bounds = bounds or limits()
    if count > bounds.pdf_pages:
        raise LimitExceeded(_("The PDF has more than %(limit)s pages: it is refused.") % {
            "limit": bounds.pdf_pages})
