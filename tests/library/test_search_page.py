"""The library's search page (/fr/bibliotheque/, /en/library/): a GET form with facets, on the embedded
engine over a small corpus of our own."""

import re
from html import unescape

import pytest
from django.test import override_settings

from library.search_embedded import EmbeddedEngine
from library.services import library_index_get_or_create
from portal.core.pdf import pdf_bytes
from tests.library.helpers import document, first_hit_download, resource
from tests.library.test_search_behaviour import CORPUS, doc

FR = "/fr/bibliotheque/"
EN = "/en/library/"

EXTRA = [
    doc("script-title", "<script>alert('x')</script> Mutuelles & santé",
        summary="Un résumé <b>gras</b> sur les mutuelles.", type="article", countries=["TG"], year=2011),
    *[doc(f"guide-{n:02d}", f"Guide pratique numéro {n}", summary="Un guide pour les gérants.",
          type="guide", countries=["NE"], themes=["financing"], year=2000 + n % 5) for n in range(25)],
    doc("profile-utm", "Projet de la mutualité malienne", type="project_profile", countries=["ML"],
        language="en", year=2011),
]


@pytest.fixture
def library(db):
    with override_settings(ELASTICSEARCH_URL=""):
        EmbeddedEngine().rebuild(CORPUS)
        yield


@pytest.fixture
def big_library(db):
    with override_settings(ELASTICSEARCH_URL=""):
        EmbeddedEngine().rebuild([*CORPUS, *EXTRA])
        yield


def html_of(client, params=None, path=EN):
    response = client.get(path, params or {})
    assert response.status_code == 200
    return response.content.decode()


def hits(html):
    """The titles of the results, in order."""
    block = html.split('class="library-hits"', 1)
    if len(block) == 1:
        return []
    block = block[1].split("</ol>", 1)[0]
    return [unescape(t) for t in re.findall(r"<h3><a href=\"[^\"]*\">(.*?)</a></h3>", block, re.S)]


def option(html, parameter, value):
    """(checked, label, count) of one facet checkbox, or None when the page does not offer it."""
    match = re.search(
        rf'<input type="checkbox" form="library-search" id="(f-{parameter}-\d+)" name="{parameter}" '
        rf'value="{re.escape(value)}"( checked)?>\s*<label for="\1">(.*?) '
        r'<span class="count">\((\d+)\)</span>',
        html,
    )
    if match is None:
        return None
    return bool(match.group(2)), unescape(match.group(3)), int(match.group(4))


def heading(html):
    return re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', html, re.S).group(1).strip()


def test_the_facets_show_each_values_count_with_labels_in_french(client, library):
    html = html_of(client, path=FR)
    assert option(html, "type", "case_study") == (False, "Étude de cas", 2)
    assert option(html, "type", "guide") == (False, "Guide", 1)
    assert option(html, "language", "pt") == (False, "Portugais", 1)
    assert option(html, "country", "ML") == (False, "Mali", 3)
    assert option(html, "country", "SN") == (False, "Sénégal", 2)
    assert option(html, "theme", "financing") == (False, "Financement", 2)
    assert option(html, "theme", "network") == (False, "network", 1)  # no such theme: its slug
    # the year facet, compactly, oldest first, each year a link to that year alone
    years = re.findall(
        r'<a href="\?year_min=(\d+)&amp;year_max=\1">\1</a>&nbsp;<span class="count">\((\d+)\)', html)
    assert years == [(str(y), "1") for y in (2008, 2009, 2012, 2016, 2019, 2020)]


def test_labels_follow_the_language_of_the_page(client, library):
    html = html_of(client)
    assert option(html, "type", "case_study") == (False, "Case study", 2)
    assert option(html, "language", "pt") == (False, "Portuguese", 1)
    assert option(html, "country", "SN") == (False, "Senegal", 2)
    assert option(html, "theme", "financing") == (False, "Financing", 2)


def test_project_profiles_have_their_type_label(client, big_library):
    html = html_of(client, {"type": "project_profile"})
    assert option(html, "type", "project_profile") == (True, "Project profile", 1)
    assert hits(html) == ["Projet de la mutualité malienne"]


def test_values_of_one_facet_are_ored_and_facets_anded(client, library):
    html = html_of(client, {"type": ["case_study", "guide"]})
    assert heading(html) == "3 results"
    assert sorted(hits(html)) == ["Guide de calcul des cotisations des mutuelles au Mali",
                                  "Insured members and health insurance",
                                  "Étude de cas : l'Union des mutuelles du Sénégal"]
    assert option(html, "type", "case_study")[0] and option(html, "type", "guide")[0]
    html = html_of(client, {"type": ["case_study", "guide"], "language": "fr"})
    assert sorted(hits(html)) == ["Guide de calcul des cotisations des mutuelles au Mali",
                                  "Étude de cas : l'Union des mutuelles du Sénégal"]
    # each facet counts with the other facets' filters, not its own
    assert option(html, "type", "report") == (False, "Report", 1)
    assert option(html, "language", "en") == (False, "English", 1)
    assert option(html, "language", "fr") == (True, "French", 2)
    assert option(html, "language", "pt") is None  # nothing in Portuguese among the case studies and guides


def test_words_year_range_and_sort(client, library):
    html = html_of(client, {"q": "mutuelles mali"})
    assert hits(html) == ["Guide de calcul des cotisations des mutuelles au Mali", "Rapport annuel du réseau"]
    assert 'value="mutuelles mali"' in html
    assert "<mark>cotisations</mark>" not in html and "<mark>mutuelles</mark>" in html
    html = html_of(client, {"q": "mutuelles mali", "year_min": "2015"})
    assert hits(html) == ["Rapport annuel du réseau"]
    html = html_of(client, {"year_min": "2009", "year_max": "2016", "sort": "date"})
    assert hits(html) == ["Insured members and health insurance",
                          "Guide de calcul des cotisations des mutuelles au Mali",
                          "Loi portant réglementation de la mutualité sociale"]
    assert '<option value="date" selected>' in html


def test_the_sort_menu_says_date_when_there_are_no_words_to_rank(client, library):
    """Without words the results come newest first whatever the address says; the menu must not
    claim "relevance" then."""
    for params in ({}, {"year_min": "2009"}, {"q": "  ", "sort": "relevance"}):
        html = html_of(client, params)
        assert '<option value="date" selected>' in html
        assert '<option value="relevance" selected>' not in html
    html = html_of(client, {"q": "mutuelles"})
    assert '<option value="relevance" selected>' in html and '<option value="date" selected>' not in html


def test_result_lines_show_type_year_language_and_countries(client, library):
    html = html_of(client, {"q": "rapport"})
    assert '<h3><a href="/bibliotheque/rapport-2020/">Rapport annuel du réseau</a></h3>' in html
    assert '<p class="meta">Report · 2020 · French · Mali, Burkina Faso</p>' in html


def test_chips_remove_one_filter_and_clear_all_keeps_the_words(client, library):
    html = html_of(client, {"q": "mutuelles", "type": ["case_study", "guide"], "year_min": "2010"})
    found = re.findall(r'<li><a href="([^"]*)" title="Remove this filter">'
                       r'<span class="visually-hidden">Remove the filter </span>(.*?) <span', html)
    chips = {unescape(label): unescape(url) for url, label in found}
    assert chips == {
        "Type: Case study": "?q=mutuelles&type=guide&year_min=2010",
        "Type: Guide": "?q=mutuelles&type=case_study&year_min=2010",
        "From 2010": "?q=mutuelles&type=case_study&type=guide",
    }
    assert 'class="chips-clear" href="?q=mutuelles"' in html


def test_pagination_keeps_the_filters(client, big_library):
    params = {"type": "guide", "country": "NE", "year_min": "2000"}
    first = html_of(client, params)
    assert heading(first) == "25 results"
    assert len(hits(first)) == 20
    assert "Page 1 of 2" in first
    next_url = unescape(re.search(r'<a rel="next" href="([^"]*)"', first).group(1))
    assert next_url == "?type=guide&country=NE&year_min=2000&page=2"
    second = html_of(client, path=FR + next_url)
    assert len(hits(second)) == 5
    assert set(hits(second)).isdisjoint(hits(first))
    assert option(second, "type", "guide")[0] and option(second, "country", "NE")[0]
    assert 'value="2000"' in second
    previous = unescape(re.search(r'<a rel="prev" href="([^"]*)"', second).group(1))
    assert previous == "?type=guide&country=NE&year_min=2000"


@pytest.mark.parametrize(
    ("params", "name", "value", "expected_hits"),
    [
        ({"type": ["guide", "novel"]}, "Type", "novel", 1),
        ({"language": "de", "q": "mutuelles"}, "Language", "de", 3),
        ({"country": "SEN", "type": "guide"}, "Country", "SEN", 1),
        ({"country": "ZZ", "type": "guide"}, "Country", "ZZ", 1),
        ({"theme": "no-such-theme", "type": "guide"}, "Theme", "no-such-theme", 1),
        ({"year_min": "abc", "type": "guide"}, "From the year", "abc", 1),
        ({"year_max": "1800", "type": "guide"}, "Until the year", "1800", 1),
        ({"year_min": "2015", "year_max": "2010"}, "From the year", "2015", 2),  # until 2010 applies
        ({"sort": "title", "q": "mutuelles"}, "Sort", "title", 3),
        ({"page": "zero", "type": "guide"}, "Page", "zero", 1),
        ({"page": "9", "type": "guide"}, "Page", "9", 1),
        ({"page": "99999999999999999999", "type": "guide"}, "Page", "99999999999999999999", 1),
        ({"page_size": "5000", "type": "guide"}, "Results per page", "5000", 1),
    ],
)
def test_a_bad_parameter_is_ignored_with_a_note_and_the_rest_applies(
    client, library, params, name, value, expected_hits
):
    html = html_of(client, params)
    note = re.search(r'<div class="panel panel-warning library-notes" id="library-notes" role="status">'
                     r"(.*?)</div>", html, re.S)
    assert note, html
    assert f"{name}: “{value}” ignored." in unescape(note.group(1))
    assert len(hits(html)) == expected_hits


def test_what_was_typed_stays_in_the_boxes(client, library):
    html = html_of(client, {"q": 'guide "cotisations', "year_min": "deux mille", "type": "guide"})
    assert 'value="guide &quot;cotisations"' in html
    assert 'name="year_min" size="4" maxlength="4" value="deux mille" aria-invalid="true"' in html
    assert hits(html) == ["Guide de calcul des cotisations des mutuelles au Mali"]


def test_unknown_parameters_are_ignored_silently(client, library):
    html = html_of(client, {"utm_source": "newsletter", "type": "guide"})
    assert "library-notes" not in html
    assert len(hits(html)) == 1


def test_titles_and_snippets_are_escaped(client, big_library):
    html = html_of(client, {"q": "gras mutuelles"})
    assert hits(html) == ["<script>alert('x')</script> Mutuelles & santé"]
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(" in html
    assert "<b>gras</b>" not in html
    assert "&lt;b&gt;<mark>gras</mark>&lt;/b&gt;" in html or "<mark>&lt;b&gt;gras&lt;/b&gt;</mark>" in html


def test_an_empty_result_helps(client, library):
    html = html_of(client, {"q": "mutuelles", "language": "pt"})
    assert heading(html) == "0 results"
    assert "No resource matches this search." in html
    assert re.search(r'<a href="\?q=mutuelles">Without the filters, 3 resources match your words.</a>', html)
    html = html_of(client, {"q": "introuvablissime"})
    assert "Check the spelling" in html
    assert "Without the filters" not in html


def test_without_words_or_filters_the_latest_resources_and_the_project_profiles(client, big_library):
    html = html_of(client)
    assert heading(html) == "Latest resources"
    assert hits(html)[:2] == ["Rapport annuel du réseau", "Étude de cas : l'Union des mutuelles du Sénégal"]
    profiles = html.split('id="projects-heading"', 1)[1]
    assert '<a href="/bibliotheque/profile-utm/">Projet de la mutualité malienne</a>' in profiles


def test_the_page_loads_the_autocomplete_script_and_points_it_at_the_api(client, library):
    html = html_of(client)
    assert 'data-autocomplete="/api/v1/library/autocomplete"' in html
    assert re.search(r'<script src="/static/js/library-autocomplete\.js" defer></script>', html)
    assert "library-autocomplete.js" not in client.get("/en/").content.decode()


def test_the_text_of_a_file_is_searched_and_the_file_downloaded(
    client, db, django_capture_on_commit_callbacks
):
    """A case study whose summary does not say "Mali" but whose PDF does: the words are found in the
    file, and the page found offers the file for download."""
    lines = ["Fusionner des mutuelles de sante : l'experience de Sikasso (Mali)",
             "Dans la region de Sikasso, sept mutuelles de sante ont fusionne."]
    with override_settings(ELASTICSEARCH_URL=""):
        EmbeddedEngine().rebuild(CORPUS)
        with django_capture_on_commit_callbacks(execute=True):
            resource(library_index_get_or_create(language="fr"), ref="etude-sikasso",
                     resource_type="case_study", year=2015,
                     title="Fusionner des mutuelles de santé : l'expérience de Sikasso",
                     summary="Comment sept petites mutuelles d'un même district ont fusionné.",
                     external_url="", document=document("etude-sikasso.pdf", pdf_bytes(lines)))
        html = html_of(client, {"q": "mutuelles Mali", "type": "case_study"}, path=FR)
    assert hits(html) == ["Fusionner des mutuelles de santé : l'expérience de Sikasso"]
    data = first_hit_download(client, html)
    assert data.startswith(b"%PDF-") and b"Sikasso" in data
