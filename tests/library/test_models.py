"""Resources and project profiles: validation, text extraction, pages and the search document."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError

from library.models import LibraryIndexPage, ProjectProfilePage, ResourcePage
from library.services import library_index_get_or_create
from portal.core.extraction import check_upload, extract_text
from portal.core.pdf import pdf_bytes
from portal.reference.models import Country, Theme
from tests.library.helpers import BROKEN_PDF, document, docx_bytes, project_profile, resource

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
    assert "PDF" in html and ("octets" in html or "bytes" in html)
    assert other.title in html
    assert 'href="' + page.url + 'cite/bibtex/"' in html


def test_a_project_profile_in_english_shows_its_agenda_and_its_dated_indicators(client):
    """A profile in the English library: its learning agenda one question per line, its indicators as a
    table with a column per date (oldest first), and its search document."""
    index_en = library_index_get_or_create(language="en")
    page = project_profile(
        index_en, ref="project-koutiala", title="Insuring health in Koutiala", slug="koutiala",
        project_name="Kénéya Koutiala", organizations="Union des mutuelles; Partenaire",
        summary="Testing health insurance for farmers in the Koutiala district.",
        learning_agenda="What drives the demand for health insurance?\n- Which partnership works?",
        countries=[Country.objects.get(code="ML")], themes=[Theme.objects.get(slug="uhc")],
        last_update=datetime.date(2011, 11, 1),
        indicators=[{"date": datetime.date(2011, 10, 31), "name": "Beneficiaries", "value": "2,900"},
                    {"date": datetime.date(2011, 4, 30), "name": "Beneficiaries", "value": "2,300"},
                    {"date": datetime.date(2011, 4, 30), "name": "Mutuals in the merger", "value": "7"}],
        updates=[{"date": datetime.date(2011, 4, 30), "title": "Pilot sites chosen",
                  "text": "Koutiala first."}],
        lessons=[{"title": "Merging mutuals", "text": "Merged mutuals negotiate better."}],
    )
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kénéya Koutiala" in html and "Union des mutuelles, Partenaire" in html
    assert "Learning agenda" in html
    assert "<li>What drives the demand for health insurance?</li><li>Which partnership works?</li>" in html
    table = html.split('id="kpi-heading"', 1)[1].split("</table>", 1)[0]
    assert table.index("04/30/2011") < table.index("10/31/2011")
    assert re.search(r'<th scope="row">Beneficiaries</th><td>2,300</td><td>2,900</td>', table)
    assert re.search(r'<th scope="row">Mutuals in the merger</th><td>7</td><td></td>', table)
    assert "Pilot sites chosen" in html and "Merging mutuals" in html
    assert "Date of last update: November 2011" in html
    doc = page.to_search_document()
    assert (doc.ref, doc.resource_type, doc.countries, doc.themes) == (
        "project-koutiala", "project_profile", ("ML",), ("uhc",))
    assert (doc.language, doc.year, doc.authors) == ("en", 2011, "Union des mutuelles; Partenaire")
    assert "Merged mutuals negotiate better" in doc.body


@pytest.mark.parametrize("language", ["fr", "en"])
def test_library_pages_answer_in_both_languages(client, language):
    index = library_index_get_or_create(language=language)
    resource(index, ref=f"guide-{language}", language=language, themes=[Theme.objects.get(slug="financing")],
             countries=[Country.objects.get(code="SN")])
    resource(index, ref=f"file-{language}", language=language, external_url="",
             document=document(f"guide-{language}.pdf", pdf_bytes("Guide")))
    project_profile(index, ref=f"profile-{language}", summary="Un projet.")
    assert client.get(index.url).status_code == 200
    pages = ResourcePage.objects.live().filter(locale=index.locale)
    assert pages.count() == 2
    for page in [*pages, *ProjectProfilePage.objects.live().filter(locale=index.locale)]:
        response = client.get(page.url)
        assert response.status_code == 200
    for page in pages:
        assert client.get(page.url + "cite/ris/").status_code == 200
