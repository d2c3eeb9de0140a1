"""Resources and project profiles: validation, text extraction, pages and the search document."""

import pytest
from django.core.exceptions import ValidationError

from library.extraction import check_upload, extract_text
from library.models import LibraryIndexPage, ProjectProfilePage, ResourcePage
from library.services import library_index_get_or_create
from portal.core.pdf import pdf_bytes
from portal.reference.models import Theme
from tests.library.helpers import BROKEN_PDF, document, docx_bytes, resource

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages asserted here are the English ones (the portal's default language is French)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def index_fr():
    return library_index_get_or_create(language="fr")


def test_one_library_index_per_language_tree():
    fr = library_index_get_or_create(language="fr")
    en = library_index_get_or_create(language="en")
    assert (fr.locale.language_code, en.locale.language_code) == ("fr", "en")
    assert en.translation_key == fr.translation_key
    assert library_index_get_or_create(language="fr").pk == fr.pk
    assert LibraryIndexPage.objects.count() == 2


def test_text_is_extracted_from_a_pdf_and_a_docx():
    assert "mutuelles de sante" in extract_text(pdf_bytes("Les mutuelles de sante du Mali")).text
    assert extract_text(docx_bytes(["Cotisations", "des adhérents"])).text == "Cotisations des adhérents"


def test_a_broken_pdf_gives_a_note_not_an_error():
    result = extract_text(BROKEN_PDF)
    assert result.text == ""
    assert "could not be extracted" in result.note


def test_an_upload_that_is_not_what_its_name_says_is_refused(settings):
    assert check_upload("guide.pdf", pdf_bytes("x")).ok
    assert check_upload("guide.docx", docx_bytes(["x"])).ok
    assert "not a PDF" in check_upload("guide.pdf", b"MZ\x90\x00 an executable").message
    assert "not a DOCX" in check_upload("guide.docx", pdf_bytes("x")).message
    assert not check_upload("virus.exe", b"MZ").ok
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 100
    assert "too large" in check_upload("guide.pdf", pdf_bytes("x" * 200)).message


def test_a_resource_needs_a_file_or_a_link(index_fr):
    page = ResourcePage(title="Sans fichier", slug="sans-fichier", resource_type="guide", language="fr")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "document" in error.value.message_dict


def test_the_year_and_the_type_are_checked(index_fr):
    page = ResourcePage(title="T", slug="t", resource_type="poem", language="fr", year=1492,
                        external_url="https://example.org")
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert {"year", "resource_type"} <= set(error.value.message_dict)


def test_a_disguised_file_is_refused_when_attached(index_fr):
    page = ResourcePage(title="T", slug="t", resource_type="guide", language="fr",
                        document=document("rapport.pdf", b"MZ\x90\x00 not a pdf at all"))
    with pytest.raises(ValidationError) as error:
        page.full_clean()
    assert "not a PDF" in " ".join(error.value.message_dict["document"])


def test_the_text_of_the_attached_file_is_kept_and_searched(index_fr):
    page = resource(index_fr, ref="pdf-guide", external_url="",
                    document=document("guide.pdf", pdf_bytes("Calcul des cotisations")))
    assert "Calcul des cotisations" in page.extracted_text
    assert page.to_search_document().body == page.extracted_text


def test_a_broken_pdf_keeps_its_resource_with_a_note(index_fr):
    page = resource(index_fr, ref="broken", external_url="", document=document("broken.pdf", BROKEN_PDF))
    page.refresh_from_db()
    assert page.live and page.extracted_text == ""
    assert "could not be extracted" in page.extraction_note


def test_the_search_document(index_fr):
    theme = Theme.objects.get(slug="financing")
    from portal.reference.models import Country

    page = resource(index_fr, ref="doc-1", title="Financer la mutuelle", summary="Résumé",
                    authors="Awa Diop ; Moussa Traoré", themes=[theme],
                    countries=[Country.objects.get(code="ML")])
    doc = page.to_search_document()
    assert (doc.ref, doc.title, doc.authors, doc.resource_type) == (
        "doc-1", "Financer la mutuelle", "Awa Diop; Moussa Traoré", "guide")
    assert (doc.themes, doc.countries, doc.language, doc.year) == (("financing",), ("ML",), "fr", 2012)
    assert doc.url == page.url and doc.date.isoformat() == "2012-01-01"


def test_a_copied_resource_gets_a_ref_of_its_own(index_fr):
    page = resource(index_fr, ref="original")
    copy = page.copy(update_attrs={"slug": "copie"})
    assert copy.specific.ref not in ("original", None, "")


def test_resource_page_shows_metadata_download_and_related(client, index_fr):
    theme = Theme.objects.get(slug="governance")
    page = resource(index_fr, ref="with-file", title="Gouvernance des mutuelles", external_url="",
                    themes=[theme], document=document("gouvernance.pdf", pdf_bytes("Gouvernance")))
    other = resource(index_fr, ref="other", title="Assemblées générales", themes=[theme])
    html = client.get(page.url).content.decode()
    assert "Gouvernance des mutuelles" in html
    assert "PDF" in html and "octets" in html or "bytes" in html
    assert other.title in html
    assert 'href="' + page.url + 'cite/bibtex/"' in html


def test_project_profiles_of_the_demo_in_english(client):
    page = ProjectProfilePage.objects.get(ref="demo-project-utm")
    html = client.get(page.url).content.decode()
    assert client.get(page.url).status_code == 200
    assert "Kénéya Sabatili" in html and "Learning agenda" in html and "Sikasso" in html
    assert "Beneficiaries" in html  # the dated indicator table
    doc = page.to_search_document()
    assert doc.resource_type == "project_profile" and doc.countries == ("ML",) and doc.year == 2011


@pytest.mark.parametrize("language", ["fr", "en"])
def test_library_pages_answer_in_both_languages(client, language):
    index = LibraryIndexPage.objects.get(locale__language_code=language)
    assert client.get(index.url).status_code == 200
    for page in ResourcePage.objects.live().filter(locale=index.locale):
        response = client.get(page.url)
        assert response.status_code == 200
        assert client.get(page.url + "cite/ris/").status_code == 200
