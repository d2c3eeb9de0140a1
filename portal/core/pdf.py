"""`pdf_bytes`: a small valid PDF written by hand (no PDF library), for the demo's case study and the
tests' uploads. Its first page's text layer holds the given lines (Helvetica, WinAnsi encoding: French
accents), which pypdf and the library's text extraction read back; more pages are blank. With `inflate`,
the first page's content is compressed and followed by that many blanks once inflated (a stream bomb:
a few KB on disk per 10 MB inflated), for the tests of the upload bounds."""

import io
import zlib
from collections.abc import Sequence

A4 = b"[0 0 595 842]"


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _content(lines: Sequence[str], inflate: int) -> tuple[bytes, bytes]:
    """The first page's content stream and the options of its dictionary."""
    text = "\n".join(["BT /F1 11 Tf 15 TL 56 780 Td", *(f"({_escape(line)}) Tj T*" for line in lines), "ET"])
    stream = text.encode("cp1252")
    if not inflate:
        return stream, b""
    packer = zlib.compressobj(9)
    blanks = b" " * (1024 * 1024)
    stream = packer.compress(stream) + b"".join(
        packer.compress(blanks) for _ in range(-(-inflate // len(blanks)))) + packer.flush()
    return stream, b" /Filter /FlateDecode"


def pdf_bytes(text: str | Sequence[str] = (), *, pages: int = 1, inflate: int = 0) -> bytes:
    """A PDF of `pages` A4 pages whose first one holds `text` (a line, or a list of lines)."""
    lines = [text] if isinstance(text, str) else list(text)
    stream, options = _content(lines, inflate)
    first_page = 5
    kids = " ".join(f"{first_page + n} 0 R" for n in range(pages)).encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count " + str(pages).encode() + b" >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + options + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    for number in range(pages):
        contents = b" /Contents 4 0 R" if number == 0 else b""
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox " + A4 + contents
                       + b" /Resources << /Font << /F1 3 0 R >> >> >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()
