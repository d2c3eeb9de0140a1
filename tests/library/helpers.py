"""Small files and pages for the library's tests."""

import io
import zipfile
import zlib

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model


def pdf_bytes(text: str, inflate: int = 0) -> bytes:
    """A one-page PDF whose text layer holds `text` (built by hand: pypdf reads it back). With
    `inflate`, its page's content is compressed and followed by that many blanks once inflated (a
    stream bomb: a few KB on disk per 10 MB inflated)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    options = b""
    if inflate:
        packer = zlib.compressobj(9)
        blanks = b" " * (1024 * 1024)
        stream = packer.compress(stream) + b"".join(
            packer.compress(blanks) for _ in range(-(-inflate // len(blanks)))) + packer.flush()
        options = b" /Filter /FlateDecode"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + options + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
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


def pdf_pages(count: int) -> bytes:
    """A PDF of `count` blank pages."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=612, height=792)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def docx_bytes(paragraphs: list[str]) -> bytes:
    ns = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        xml = f'<w:document xmlns:w="{ns}"><w:body>{body}</w:body></w:document>'
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


BROKEN_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def document(name: str, data: bytes):
    doc = get_document_model()(title=name)
    doc.file.save(name, ContentFile(data), save=False)
    doc.save()
    return doc


def resource(parent, **fields):
    from library.models import ResourcePage

    themes = fields.pop("themes", [])
    countries = fields.pop("countries", [])
    values = {"title": "Guide de la mutuelle", "slug": fields.get("ref", "guide"), "resource_type": "guide",
              "language": "fr", "year": 2012, "external_url": "https://example.org/guide"}
    values.update(fields)
    page = ResourcePage(**values)
    page.themes = themes
    page.countries = countries
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page
