"""A resource's citation exports and the meta tags reference managers read (the formats themselves:
tests/core/test_citations.py)."""

import json

import pytest

from library.services import library_index_get_or_create
from portal.core.pdf import pdf_bytes
from tests.library.helpers import document, resource


@pytest.mark.django_db
def test_resource_page_meta_tags_and_exports(client):
    index = library_index_get_or_create(language="fr")
    page = resource(index, ref="cite-me", title='Guide "pratique" & <test>',
                    authors="Awa Diop; Moussa Traoré", external_url="",
                    document=document("guide.pdf", pdf_bytes("texte")))
    html = client.get(page.url).content.decode()
    assert '<meta name="citation_title" content="Guide &quot;pratique&quot; &amp; &lt;test&gt;">' in html
    assert html.count('name="citation_author"') == 2 and html.count('name="DC.creator"') == 2
    # "Family, Given", split at the comma by Zotero and Google Scholar.
    assert '<meta name="citation_author" content="Traoré, Moussa">' in html
    assert '<meta name="citation_publication_date" content="2012">' in html
    assert 'name="citation_pdf_url" content="http://testserver/' in html
    assert '<meta name="DC.title"' in html
    bib = client.get(page.url + "cite/bibtex/")
    assert bib["Content-Type"].startswith("application/x-bibtex")
    assert "attachment" in bib["Content-Disposition"]
    assert r'Guide "pratique" \& <test>' in bib.content.decode()
    ris = client.get(page.url + "cite/ris/").content.decode()
    assert "AU  - Traoré, Moussa" in ris and "L1  - http://testserver/" in ris
    csl = client.get(page.url + "cite/csl-json/")
    assert csl["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert f'filename="{page.slug}.json"' in csl["Content-Disposition"]
    (item,) = json.loads(csl.content)
    assert item["author"] == [{"family": "Diop", "given": "Awa"}, {"family": "Traoré", "given": "Moussa"}]
    # The three exports are offered on the page.
    for export in ("cite/bibtex/", "cite/ris/", "cite/csl-json/"):
        assert f'href="{page.url}{export}"' in html


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
    csl = client.get(page.url + "cite/csl-json/", HTTP_HOST="localhost").content.decode()
    assert json.loads(csl)[0]["URL"] == public
    assert "localhost" not in bib + ris + csl


@pytest.mark.django_db
def test_meta_tags_say_a_report_is_a_report_and_keep_an_organization_whole(client):
    index = library_index_get_or_create(language="fr")
    report = resource(index, ref="rapport", resource_type="case_study", publisher="BIT",
                      authors="International Labour Office; Awa Diop")
    html = client.get(report.url).content.decode()
    assert '<meta name="citation_technical_report_institution" content="BIT">' in html
    assert '<meta name="citation_author" content="International Labour Office">' in html
    assert '<meta name="citation_author" content="Diop, Awa">' in html
    article = resource(index, ref="article", resource_type="article", publisher="Revue de la mutualité")
    html = client.get(article.url).content.decode()
    assert '<meta name="citation_journal_title" content="Revue de la mutualité">' in html
    assert "citation_technical_report_institution" not in html
