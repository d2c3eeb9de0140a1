"""Small files and pages for the library's tests."""

import io
import zipfile

from django.core.files.base import ContentFile
from wagtail.documents import get_document_model


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
