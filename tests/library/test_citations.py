"""Citation exports and the meta tags reference managers read."""

import pytest

from library.citations import Citation, to_bibtex, to_ris
from library.services import library_index_get_or_create
from portal.core.pdf import pdf_bytes
from tests.library.helpers import document, resource

CITATION = Citation(
    key="demo-1", title="Santé & mutuelles: 100% {solidaires}_",
    authors=("Awa Diop", "Union technique de la Mutualité malienne"),
    year=2012, publisher="ILO", resource_type="report", language="fr", abstract="Ligne 1\nLigne 2",
    url="https://example.org/r/", keywords=("Financement",),
)


def test_bibtex_escapes_special_characters():
    text = to_bibtex(CITATION)
    assert text.startswith("@techreport{demo-1,")
    assert r"title = {{Santé \& mutuelles: 100\% \{solidaires\}\_}}" in text
    assert "author = {Awa Diop and {Union technique de la Mutualité malienne}}" in text
    assert "year = {2012}" in text and "institution = {ILO}" in text
    assert "abstract = {Ligne 1 Ligne 2}" in text  # no line break inside a value


def test_ris_one_tag_per_line():
    lines = to_ris(CITATION).split("\r\n")
    assert lines[0] == "TY  - RPRT"
    assert "AU  - Awa Diop" in lines and "PY  - 2012" in lines and "AB  - Ligne 1 Ligne 2" in lines
    assert lines[-2] == "ER  - "


@pytest.mark.django_db
def test_resource_page_meta_tags_and_exports(client):
    index = library_index_get_or_create(language="fr")
    page = resource(index, ref="cite-me", title='Guide "pratique" & <test>',
                    authors="Awa Diop; Moussa Traoré", external_url="",
                    document=document("guide.pdf", pdf_bytes("texte")))
    html = client.get(page.url).content.decode()
    assert '<meta name="citation_title" content="Guide &quot;pratique&quot; &amp; &lt;test&gt;">' in html
    assert html.count('name="citation_author"') == 2 and html.count('name="DC.creator"') == 2
    assert '<meta name="citation_publication_date" content="2012">' in html
    assert 'name="citation_pdf_url" content="http://testserver/' in html
    assert '<meta name="DC.title"' in html
    bib = client.get(page.url + "cite/bibtex/")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert "attachment" in bib["Content-Disposition"]
    assert r'Guide "pratique" \& <test>' in bib.content.decode()
    ris = client.get(page.url + "cite/ris/").content.decode()
    assert "AU  - Moussa Traoré" in ris and "L1  - http://testserver/" in ris


@pytest.mark.django_db
def test_exports_and_meta_tags_use_the_public_address_not_the_requested_host(client, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    settings.ALLOWED_HOSTS = ["*"]
    index = library_index_get_or_create(language="fr")
    page = resource(index, ref="cite-public", external_url="",
                    document=document("guide.pdf", pdf_bytes("texte")))
    public = "http://127.0.0.1:8101" + page.url
    html = client.get(page.url, HTTP_HOST="localhost").content.decode()
    assert f'<meta name="citation_abstract_html_url" content="{public}">' in html
    assert f'<meta name="DC.identifier" content="{public}">' in html
    assert 'name="citation_pdf_url" content="http://127.0.0.1:8101/' in html
    bib = client.get(page.url + "cite/bibtex/", HTTP_HOST="localhost").content.decode()
    assert f"url = {{{public}}}" in bib
    ris = client.get(page.url + "cite/ris/", HTTP_HOST="localhost").content.decode()
    assert f"UR  - {public}" in ris and "L1  - http://127.0.0.1:8101/" in ris
    assert "localhost" not in bib + ris
