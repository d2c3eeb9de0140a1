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


def project_profile(parent, **fields):
    """A published project profile under `parent` (a library index), in its language; `themes`,
    `countries`, `indicators`, `updates` and `lessons` (lists of dicts) as the editor fills them."""
    from library.models import ProjectIndicator, ProjectLesson, ProjectProfilePage, ProjectUpdate

    themes = fields.pop("themes", [])
    countries = fields.pop("countries", [])
    indicators = fields.pop("indicators", [])
    updates = fields.pop("updates", [])
    lessons = fields.pop("lessons", [])
    values = {"title": "Projet pilote", "slug": fields.get("ref", "projet-pilote"),
              "project_name": "Projet pilote", "locale": parent.locale}
    values.update(fields)
    page = ProjectProfilePage(**values)
    page.themes = themes
    page.countries = countries
    page.indicators = [ProjectIndicator(**indicator) for indicator in indicators]
    page.updates = [ProjectUpdate(**update) for update in updates]
    page.lessons = [ProjectLesson(**lesson) for lesson in lessons]
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def first_hit_download(client, search_html: str) -> bytes:
    """The file a visitor downloads by following the first hit of a library search page to its
    resource page, then that page's download button (asserting the download answers 200)."""
    import re

    page_url = re.search(r'<h3><a href="([^"]*)">', search_html.split('class="library-hits"', 1)[1]).group(1)
    page = client.get(page_url).content.decode()
    link = re.search(r'<a class="button" href="([^"]*)" download>', page).group(1)
    response = client.get(link)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content
