"""The public synthesis pages: the overview, a page per country, the glossary, and the CSV behind
each chart. Figures are checked against an independent computation from the literal data below (not
through the synthesis code), in both languages; bad parameters are 400 or 404; each CSV holds what
its table shows; pages stay light."""

import csv
import io
import re
import statistics
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from inventory.contract import schema
from inventory.contract.choices import RegistrationState, ReturnState
from inventory.models import OrganizationRole, OrganizationRoleKind, SupportingOrganization
from inventory.opendata import drawing
from inventory.opendata.figures import STATUS_LABELS
from inventory.opendata.glossary import BY_ANCHOR
from inventory.opendata.glossary import anchor as figure_anchor
from portal.reference.models import Country
from tests.factories import CountryFactory, MutualFactory, ReturnFactory

pytestmark = pytest.mark.django_db

V, S = ReturnState.VALIDATED, ReturnState.SUBMITTED
# mutual key -> (country, year created, type, public, approved)
MUTUALS = {
    "sn1": ("SN", 2010, "community", True, True),
    "sn2": ("SN", None, "socio_professional", True, True),
    "sn3": ("SN", 2015, "community", True, True),
    "sn4": ("SN", None, "community", True, True),        # only a submitted return
    "sn5": ("SN", 2025, "community", True, True),        # created after 2024: not known in 2024
    "sn_private": ("SN", 2000, "community", False, True),  # withdrawn from publication
    "sn_pending": ("SN", 2000, "community", True, False),  # sign-up not approved
    "ml1": ("ML", 2012, "students", True, True),
    "ml2": ("ML", 2005, "community", True, True),        # closed in 2023
    "bf1": ("BF", 2018, "community", True, True),        # never reported
}
F = "functional"
# (mutual, year, state, status, figures)
RETURNS = [
    ("sn1", 2023, V, F, {"members": 1000, "beneficiaries": 4000, "target_population": 20000,
                         "contributions_due": 100, "contributions_collected": 80, "benefits_paid": 60,
                         "care_episodes": 30}),
    ("sn1", 2024, V, F, {"members": 1200, "beneficiaries": 5000, "target_population": 20000,
                         "contributions_due": 200, "contributions_collected": 150, "benefits_paid": 120,
                         "care_episodes": 50, "renewed_members": 900}),
    ("sn2", 2024, V, F, {"members": 300, "beneficiaries": 900, "contributions_due": 100,
                         "contributions_collected": 50, "benefits_paid": 45, "care_episodes": 9}),
    ("sn3", 2024, V, "dormant", {"members": 50}),
    ("sn4", 2024, S, F, {"members": 999_999}),
    ("sn_private", 2024, V, F, {"members": 77_777, "beneficiaries": 77_777, "target_population": 80_000}),
    ("sn_pending", 2024, V, F, {"members": 66_666}),
    ("ml1", 2024, V, F, {"members": 2000, "beneficiaries": 2000, "target_population": 10000,
                         "contributions_due": 90, "contributions_collected": 90, "benefits_paid": 30,
                         "care_episodes": 10}),
    ("ml2", 2023, V, "closed", {"members": 10}),
]


@pytest.fixture(autouse=True)
def fresh_cache():
    # The synthesis cache is keyed on the inventory version, which rolled-back tests never bump.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def inventory():
    mutuals = {}
    for key, (code, created, kind, public, approved) in MUTUALS.items():
        mutuals[key] = MutualFactory(
            name=f"Mutuelle {key}", country=Country.objects.get(code=code), year_created=created,
            mutual_type=kind, is_public=public,
            registration_state=RegistrationState.APPROVED if approved else RegistrationState.PENDING)
    for key, year, state, status, values in RETURNS:
        ReturnFactory(mutual=mutuals[key], year=year, state=state, status=status, **values)
    return mutuals


# --- The independent computation (from the literal data, as the contract words it) ---------------

def public_returns(country=None, year=None):
    return [(key, y, status, values) for key, y, state, status, values in RETURNS
            if state == V and MUTUALS[key][3] and MUTUALS[key][4]
            and (country is None or MUTUALS[key][0] == country) and (year is None or y == year)]


def expected(country, year):
    """The key figures of `country` (None: all) in `year`."""
    rows = public_returns(country, year)
    closed = {key: y for key, y, status, _v in public_returns() if status == "closed"}
    known = [key for key, (code, created, _t, public, approved) in MUTUALS.items()
             if public and approved and (country is None or code == country)
             and (created is None or created <= year) and not (key in closed and closed[key] < year)]
    functional = [v for _k, _y, status, v in rows if status == "functional"]
    both = [v for v in functional if v.get("beneficiaries") is not None and v.get("target_population")]
    return {
        "mutuals_known": len(known),
        "mutuals_reporting": len(rows),
        "mutuals_functional": len(functional),
        "members": sum(v.get("members", 0) for v in functional),
        "beneficiaries": sum(v.get("beneficiaries", 0) for v in functional),
        "penetration_rate": (sum(v["beneficiaries"] for v in both) / sum(v["target_population"] for v in both)
                             if both else None),
        "response_rate": len(rows) / len(known) if known else None,
    }


KINDS = {"mutuals_known": "integer", "mutuals_reporting": "integer", "mutuals_functional": "integer",
         "members": "integer", "beneficiaries": "integer", "penetration_rate": "percent",
         "response_rate": "percent"}


# --- Reading pages ---------------------------------------------------------------------------------

class Tables(HTMLParser):
    """Every table of a page: caption -> rows of cell texts (header row included)."""

    def __init__(self):
        super().__init__()
        self.tables, self._rows, self._cell, self._caption = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""
        elif tag == "caption":
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._rows is not None and self._cell is not None:
            self._rows[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "caption":
            self._caption, self._cell = self._cell.strip(), None
        elif tag == "table":
            self.tables[self._caption] = self._rows
            self._rows = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def tables_of(response) -> dict[str, list[list[str]]]:
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def url(name, language, *args, query=""):
    with translation.override(language):
        return reverse(f"inventory:{name}", args=args) + (f"?{query}" if query else "")


def csv_of(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def assert_csv_is_the_table(records, table, figure, language):
    """Each CSV row, read in `language`, is the table's row (same order, same values)."""
    assert records[0] == [c.name for c in figure.columns]
    assert len(records) == len(table)
    with translation.override(language):
        for record, shown, cells in zip(records[1:], table[1:], figure.rows, strict=True):
            for value, text, cell in zip(record, shown, cells, strict=True):
                if value == "":
                    assert text == "—"
                elif cell.kind in ("text", "year"):
                    assert text == value
                elif cell.kind == "status":  # the code in the CSV, its word on the page
                    assert value in ("provisional", "final")
                    assert text == str(STATUS_LABELS[value])
                else:
                    assert text == drawing.format_value(float(value), cell.kind), (record, shown)


# --- Overview ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "en"])
def test_overview_key_figures_are_those_of_the_latest_year(client, inventory, language):
    response = client.get(url("overview", language))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < 100_000
    want = expected(None, 2024)
    with translation.override(language):
        shown = {item["name"]: item["value"] for item in response.context["key_figures"]}
        for name, value in shown.items():
            assert value == drawing.format_value(want[name], KINDS[name]), name
            assert f"<strong>{value}</strong>" in html
        assert drawing.format_value(want["response_rate"], "percent") in html
    # 3500 members: grouped the reader's way.
    assert ("3\xa0500" if language == "fr" else "3,500") in shown["members"]
    # The page holds no drawing (issue 16: its first round trip): three trends, each an image of its
    # drawing (the wide one for a wide screen only), and the map in a frame (its countries are links).
    assert "<svg" not in html.split('class="map-frame-sizer"')[1].split("</main>")[0]
    assert html.count('class="chart-image"') == 3 and html.count('<iframe src="') == 1


def test_independent_expectations_are_what_the_data_says():
    """The hand check of the computation the pages are compared with."""
    assert expected(None, 2024) == {
        "mutuals_known": 6, "mutuals_reporting": 4, "mutuals_functional": 3, "members": 3500,
        "beneficiaries": 7900, "penetration_rate": 7000 / 30000, "response_rate": 4 / 6}
    assert expected("ML", 2024)["mutuals_known"] == 1  # ml2 closed in 2023


def test_overview_map_shades_each_inventory_country(client, inventory):
    response = client.get(url("overview", "en"), {"measure": "members", "year": "2024"})
    assert response.status_code == 200
    figure = response.context["map"]
    values = {row[0].value: row[3].value for row in figure.rows}
    assert values["SN"] == expected("SN", 2024)["members"] == 1500
    assert values["ML"] == 2000
    assert values["BF"] is None  # in the inventory, nothing validated
    svg = figure.charts[0]
    assert "<title>Senegal: 1,500</title>" in svg and "<title>Burkina Faso: No data</title>" in svg
    assert "<title>Kenya: Outside the inventory</title>" in svg
    # Senegal opens its card (under the map), which links to its page.
    assert 'href="#map-card-SN"' in svg
    card = next(c for c in figure.cards if c.code == "SN")
    assert card.link == reverse("inventory:country", args=["SN"])
    assert card.items[0][1] == "1,500"  # the measure first, then the card's figures
    names = ("members", "mutuals_known", "mutuals_reporting", "response_rate", "beneficiaries")
    assert [anchor for _label, _value, anchor in card.items] == [figure_anchor(n) for n in names]
    html = response.content.decode()
    assert 'id="map-card-SN"' in html and f'href="{card.link}"' in html.split('id="map-card-SN"', 1)[1]


def test_the_year_and_measure_are_chosen_in_a_plain_form(client, inventory):
    response = client.get(url("overview", "en"), {"measure": "response_rate", "year": "2023"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<select name="measure"' in html and '<option value="response_rate" selected>' in html
    want = expected(None, 2023)
    shown = {item["name"]: item["value"] for item in response.context["key_figures"]}
    assert shown["mutuals_reporting"] == str(want["mutuals_reporting"]) == "2"
    map_values = {row[0].value: row[3].value for row in response.context["map"].rows}
    assert map_values["SN"] == pytest.approx(expected("SN", 2023)["response_rate"])


@pytest.mark.parametrize("query", [
    {"measure": "average_income"}, {"measure": "<script>"}, {"year": "1990"}, {"year": "twenty"},
    {"year": "2024", "measure": "mutual_name"},
])
def test_bad_choices_are_a_400_with_the_reason(client, inventory, query):
    response = client.get(url("overview", "en"), query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert "<script>" not in html.split("<main", 1)[1]
    csv_response = client.get(url("overview_csv", "en", "map"), query)
    assert csv_response.status_code == 400
    assert "Select a valid choice" in csv_response.content.decode()


def test_unknown_chart_csv_is_a_404(client, inventory):
    assert client.get(url("overview_csv", "en", "nothing")).status_code == 404


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_overview_csv_is_what_its_table_shows(client, inventory, language):
    page = client.get(url("overview", language), {"measure": "penetration_rate"})
    tables = tables_of(page)
    figures = [page.context["map"], *page.context["trends"]]
    for figure in figures:
        assert figure.csv_url in page.content.decode().replace("&amp;", "&")
        assert_csv_is_the_table(csv_of(client.get(figure.csv_url)), tables[figure.title], figure, language)
    # The trends' CSV, read independently: one row per year of validated returns.
    people = csv_of(client.get(url("overview_csv", language, "people")))
    assert people[0] == ["year", "members", "beneficiaries", "year_status"]
    assert people[1:] == [["2023", "1000", "4000", "final"], ["2024", "3500", "7900", "final"]]
    rates = csv_of(client.get(url("overview_csv", language, "rates")))
    assert float(rates[2][2]) == pytest.approx(expected(None, 2024)["penetration_rate"])


def test_an_empty_inventory_says_so(client):
    response = client.get(url("overview", "en"))
    assert response.status_code == 200
    assert "No return has been validated yet." in response.content.decode()


def test_main_navigation_links_the_overview_and_keeps_the_directory(client, inventory):
    html = client.get(url("mutual_list", "en")).content.decode()
    nav = html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'href="{url("overview", "en")}"' in nav and f'href="{url("mutual_list", "en")}"' in nav
    page = client.get(url("overview", "en")).content.decode()
    assert f'href="{url("overview", "en")}" aria-current="page"' in page


# --- Country page ---------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "en"])
def test_country_page_synthesis_for_every_year_with_denominators(client, inventory, language):
    focal_point = SupportingOrganization.objects.create(name="Union nationale des mutuelles", acronym="UNM")
    OrganizationRole.objects.create(organization=focal_point, role=OrganizationRoleKind.FOCAL_POINT,
                                    country_id="SN")
    response = client.get(url("country", language, "SN"))
    assert response.status_code == 200
    assert len(response.content) < 100_000
    html = response.content.decode()
    senegal = Country.objects.get(code="SN")
    assert senegal.focal_point == "Union nationale des mutuelles (UNM)" and senegal.focal_point in html
    context = response.context
    assert context["years"] == [2024, 2023]
    lines = {line.column: line for _title, group in context["groups"] for line in group}
    with translation.override(language):
        for year_index, year in enumerate(context["years"]):
            want = expected("SN", year)
            for name, value in want.items():
                shown = lines[name].cells[year_index].text
                assert shown == drawing.format_value(value, KINDS[name]), (name, year)
        # The number of returns behind each median, under it.
        collection = lines["collection_rate_median"]
        assert collection.counts[0].value == 2 and collection.counts[1].value == 1
        assert collection.cells[0].value == pytest.approx(statistics.median([150 / 200, 50 / 100]))
    assert "n = 2" in html
    # Every row header links to its glossary entry.
    for line in lines.values():
        assert line.anchor in BY_ANCHOR
        assert f'#{line.anchor}">{line.label}</a>' in html.replace("&#x27;", "'")


def test_country_page_distributions_counts_and_mutuals(client, inventory):
    response = client.get(url("country", "en", "SN"))
    context = response.context
    # Distributions of the latest year over the functional mutuals: the same medians as the synthesis.
    summaries = {row[0].value: row for row in context["distributions"].rows}
    claims = summaries["claims_ratio"]
    assert claims[2].value == 2  # n
    assert claims[5].value == pytest.approx(statistics.median([120 / 150, 45 / 50]))
    assert summaries["growth_rate"][2].value == 1  # only sn1 has last year's validated return
    assert summaries["growth_rate"][5].value == pytest.approx((1200 - 1000) / 1000)
    assert len(context["distributions"].charts) == 11
    status = {row[0].value: row[2].value for row in context["status"].rows}
    assert status == {"project": 0, "setup": 0, "functional": 2, "dormant": 1, "closed": 0}
    types = {row[0].value: row[2].value for row in context["type"].rows}
    assert types["community"] == 2 and types["socio_professional"] == 1 and sum(types.values()) == 3
    html = response.content.decode()
    # Public mutuals listed (private and pending ones not), with the directory filtered by country.
    listed = {m.name for m in context["mutuals"]}
    assert listed == {"Mutuelle sn1", "Mutuelle sn2", "Mutuelle sn3", "Mutuelle sn4", "Mutuelle sn5"}
    assert "sn_private" not in html and "sn_pending" not in html
    assert f'{url("mutual_list", "en")}?country=SN' in html
    assert "77,777" not in html and "999,999" not in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_country_csv_is_what_its_table_shows(client, inventory, language):
    page = client.get(url("country", language, "SN"))
    tables = tables_of(page)
    for slug in ("distributions", "status", "type"):
        figure = page.context[slug]
        assert_csv_is_the_table(csv_of(client.get(figure.csv_url)), tables[figure.title], figure, language)
    # The synthesis CSV: the published synthesis columns, one row per year, the figures of the table.
    records = csv_of(client.get(page.context["synthesis"].csv_url))
    assert records[0] == schema.published_column_names("synthesis")
    assert records[0][-1] == "year_status" and [r[-1] for r in records[1:]] == ["final", "final"]
    assert [r[:2] for r in records[1:]] == [["SN", "2023"], ["SN", "2024"]]
    by_year = {int(r[1]): dict(zip(records[0], r, strict=True)) for r in records[1:]}
    for year in (2023, 2024):
        for name, value in expected("SN", year).items():
            got = by_year[year][name]
            assert (got == "") if value is None else float(got) == pytest.approx(value), (name, year)
    with translation.override(language):
        name = Country.objects.get(code="SN").name
        heading = re.compile(rf"{re.escape(name)}\s?:")  # "Sénégal :" in French, "Senegal:" in English
        sideways = next(rows for caption, rows in tables.items() if heading.match(caption))
        assert sideways[0][1:] == ["2024", "2023"]
        by_label = {line.label: line.column for _t, group in page.context["groups"] for line in group}
        checked = 0
        for row in sideways[1:]:
            if len(row) == 1:
                continue  # a group's heading
            column = by_label[row[0]]
            checked += 1
            for text, year in zip(row[1:], (2024, 2023), strict=True):
                value = by_year[year][column]
                plain = column.startswith(("utilisation", "average", "reserve"))
                kind = "percent" if column in ("response_rate", "penetration_rate") or (
                    column.endswith("_median") and not plain
                ) else "number" if column.endswith("_median") else "integer"
                reading = "—" if value == "" else drawing.format_value(float(value), kind)
                if column.endswith("_median"):
                    n = by_year[year][column.removesuffix("_median") + "_n"]
                    reading += f"n = {n}"
                assert text.replace("\n", "").replace(" ", "") == reading.replace(" ", ""), (column, year)
        assert checked == 3 + 5 + 4 + 11  # mutuals, statuses, people, medians


@pytest.mark.parametrize("code", ["ZZ", "S1", "SEN", "X"])
def test_unknown_or_malformed_country_is_a_404(client, inventory, code):
    assert client.get(f"{url('overview', 'en')}countries/{code}/").status_code == 404
    assert client.get(f"{url('overview', 'en')}countries/{code}/figures/synthesis.csv").status_code == 404


def test_lowercase_country_code_redirects(client, inventory):
    response = client.get(f"{url('overview', 'en')}countries/sn/")
    assert response.status_code == 302 and response["Location"] == url("country", "en", "SN")


def test_country_without_validated_returns_and_unknown_csv(client, inventory):
    response = client.get(url("country", "en", "BF"))
    assert response.status_code == 200
    assert "No return of this country has been validated yet." in response.content.decode()
    assert client.get(url("country_csv", "en", "BF", "synthesis")).status_code == 404
    assert client.get(url("country_csv", "en", "SN", "nothing")).status_code == 404


# --- Each chart's link and SVG file ------------------------------------------------------------

def svg_of(response, title: str | None = None) -> ET.Element:
    """The chart of an SVG download: a file of its own, well-formed, sized in pixels, no script."""
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="inventory-')
    assert response["Content-Disposition"].endswith('.svg"')
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    width, height = root.get("viewBox").split()[2:]
    assert (root.get("width"), root.get("height")) == (width, height)
    assert not any(el.tag.endswith("script") for el in root.iter())
    if title is not None:
        assert root.find("{http://www.w3.org/2000/svg}title").text == title
    return root


def test_each_overview_chart_has_a_link_and_an_svg_file(client, inventory):
    query = {"measure": "members", "year": "2023"}
    page = client.get(url("overview", "en"), query)
    html = page.content.decode().replace("&amp;", "&")
    figures = [page.context["map"], *page.context["trends"]]
    for figure in figures:
        (links,) = figure.chart_links
        assert f'id="{links["id"]}"' in html
        assert f'href="{links["share"]}"' in html and f'href="{links["download"]}" download' in html
        svg_of(client.get(links["download"]), figure.title)
    # The map's link and file keep the measure and the year; the link leads back to the same chart.
    share = figures[0].chart_links[0]["share"]
    assert share == f"{url('overview', 'en')}?measure=members&year=2023#map-chart"
    again = client.get(share.split("#")[0])
    assert again.context["map"].title == figures[0].title == "Members (paying) by country, 2023"
    root = svg_of(client.get(figures[0].chart_links[0]["download"]), figures[0].title)
    # In a file of its own each country links to its page (there is no card to open).
    hrefs = {a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert "http://testserver" + url("country", "en", "SN") in hrefs
    assert not any(h.startswith("#") for h in hrefs)
    # A trend's file is its wide drawing.
    trend = svg_of(client.get(url("overview_svg", "en", "people")))
    assert float(trend.get("width")) >= 900


@pytest.mark.parametrize("query", [{"measure": "average_income"}, {"year": "1990"}, {"year": "<b>"}])
def test_a_bad_chart_address_is_a_400_with_the_reason(client, inventory, query):
    response = client.get(url("overview_svg", "en", "map"), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Select a valid choice" in response.content.decode()


def test_country_charts_have_a_link_and_an_svg_file(client, inventory):
    page = client.get(url("country", "en", "SN"))
    html = page.content.decode().replace("&amp;", "&")
    distributions = page.context["distributions"]
    assert len(distributions.chart_links) == len(distributions.charts) == 11
    for figure in (distributions, page.context["status"], page.context["type"]):
        for links in figure.chart_links:
            assert f'id="{links["id"]}"' in html and f'href="{links["share"]}"' in html
            assert f'href="{links["download"]}" download' in html
    claims = next(links for links in distributions.chart_links if links["id"] == "chart-claims_ratio")
    assert claims["share"] == url("country", "en", "SN") + "#chart-claims_ratio"
    root = svg_of(client.get(claims["download"]), f"Senegal: {distributions.title}")
    chart = root.find("{http://www.w3.org/2000/svg}svg")  # the page's chart, nested whole
    assert chart.get("class") == "chart chart-distribution"
    assert chart.find("{http://www.w3.org/2000/svg}title").text == "Claims ratio"
    status = svg_of(client.get(page.context["status"].chart_links[0]["download"]),
                    f"Senegal: {page.context['status'].title}")
    children = list(status)
    below = children[children.index(status.find("{http://www.w3.org/2000/svg}svg")) + 1:]
    source = " ".join("".join(line.itertext()) for line in below)  # the source and the chart's page
    assert source.startswith("Source: the inventory of mutual health organizations")
    assert source.endswith("http://testserver" + url("country", "en", "SN") + "#chart-status")
    # The indicator is required and checked; unknown charts and countries without data are 404.
    for query in ({}, {"indicator": "members"}, {"indicator": "<script>"}):
        response = client.get(url("country_svg", "en", "SN", "distributions"), query)
        assert response.status_code == 400
        assert "indicator: give one of penetration_rate, growth_rate" in response.content.decode()
        assert "<script>" not in response.content.decode()
    assert client.get(url("country_svg", "en", "SN", "synthesis")).status_code == 404
    assert client.get(url("country_svg", "en", "BF", "status")).status_code == 404
    assert client.get(url("country_svg", "en", "ZZ", "status")).status_code == 404


def test_the_ten_year_table_says_it_scrolls(client, inventory):
    html = client.get(url("country", "en", "SN")).content.decode()
    wrap = html.split('<table class="synthesis-table">', 1)[0].rsplit("<div", 1)[1]
    assert "table-wrap scroll-cue" in wrap and 'tabindex="0"' in wrap and 'role="region"' in wrap


# --- The first round trip (issue 16): each chart drawn apart from its page, once ---------------------

def images_of(html: str) -> list[tuple[str, str]]:
    """(tag, address) of each chart image and each wide drawing of the page's main part."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0].replace("&amp;", "&")
    return re.findall(r'<(img|source)\b[^>]*? src(?:set)?="([^"]+)"', main)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_chart_of_the_overview_is_loaded_once_after_the_page(client, inventory, language):
    response = client.get(url("overview", language))
    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    # Drawn apart from the page: no drawing of a chart in it (the old page drew each trend twice, for a
    # phone and for a wide screen), only the map's empty place holder, of the map's proportions.
    assert main.count("<svg") == 1 and "map-frame-sizer" in main and "<path" not in main
    images = images_of(html)
    trends = response.context["trends"]
    for figure in trends:
        download = figure.chart_links[0]["download"]
        narrow, wide = f"{download}?drawing=narrow", f"{download}?drawing=wide"
        # Each chart exactly once: the phone's drawing as the image, the wide one for a wide screen.
        assert images.count(("img", narrow)) == 1 and images.count(("source", wide)) == 1
    assert len(images) == 2 * len(trends)
    # The image says what the chart is; its figures stay on the page, in its table.
    assert f'alt="{trends[0].title}"' in html
    assert html.count('<details class="chart-data">') == len(trends)
    # Below the first screen, the images load when the reader gets there; their place is kept.
    assert html.count('loading="lazy"') == len(trends)
    assert re.search(r'<img src="[^"]+" width="440" height="\d+"', html)
    # The map in a frame, named by its title, showing the page's measure and year.
    assert f'<iframe src="{url("overview_svg", language, "map")}?drawing=narrow" title="' in html


def drawing_of(response) -> ET.Element:
    """The chart of a page's drawing: an SVG image, kept by the page cache and revalidated."""
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert "Content-Disposition" not in response  # shown, not saved
    assert response["Cache-Control"] == "public, no-cache" and response["ETag"]
    root = ET.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("width") == "100%"
    assert not any(el.tag.endswith("script") for el in root.iter())
    return root


@pytest.mark.parametrize(("language", "legend"), [("fr", "Adhérents"), ("en", "Members (paying)")])
def test_a_chart_of_a_page_is_an_svg_image_in_the_readers_language_kept_by_the_cache(
        client, inventory, language, legend):
    address = url("overview_svg", language, "people")
    first = client.get(address, {"drawing": "narrow"})
    narrow = drawing_of(first)
    wide = drawing_of(client.get(address, {"drawing": "wide"}))
    assert narrow.get("viewBox").split()[2] == "440" and wide.get("viewBox").split()[2] == "1000"
    texts = {"".join(t.itertext()) for t in narrow.iter("{http://www.w3.org/2000/svg}text")}
    assert legend in texts
    # A second visitor gets it from the page cache; a browser holding it gets a 304.
    again = client.get(address, {"drawing": "narrow"})
    assert first["X-Page-Cache"] == "miss" and again["X-Page-Cache"] == "hit"
    assert again.content == first.content
    unchanged = client.get(address, {"drawing": "narrow"}, HTTP_IF_NONE_MATCH=again["ETag"])
    assert unchanged.status_code == 304
    # Any other drawing is refused with the reason; the file to share is unchanged (a download).
    bad = client.get(address, {"drawing": "<huge>"})
    reason = {"fr": "drawing\u00a0: indiquez l’un de ces codes\u00a0: narrow, wide",
              "en": "drawing: give one of narrow, wide"}[language]
    assert bad.status_code == 400 and reason in bad.content.decode()
    assert "<huge>" not in bad.content.decode()
    assert client.get(address)["Content-Disposition"].startswith("attachment;")


def test_a_chart_image_is_drawn_again_once_a_return_is_validated(client, inventory):
    from inventory.models import InventoryState

    address = url("overview_svg", "en", "people")
    before = client.get(address, {"drawing": "narrow"})
    assert client.get(address, {"drawing": "narrow"})["X-Page-Cache"] == "hit"
    mutual = MutualFactory(name="Mutuelle new", country=Country.objects.get(code="SN"))
    ReturnFactory(mutual=mutual, year=2024, members=4321, status=F, state=V)
    InventoryState.bump()  # as every committed change of published data does (inventory/signals.py)
    after = client.get(address, {"drawing": "narrow"})
    assert after["X-Page-Cache"] == "miss" and after.content != before.content


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_country_of_the_framed_map_opens_its_card_on_the_page(client, inventory, language):
    query = {"measure": "members", "year": "2024"}
    page = client.get(url("overview", language), query)
    frame = re.search(r'<iframe src="([^"]+)"', page.content.decode()).group(1).replace("&amp;", "&")
    assert frame == url("overview_svg", language, "map") + "?measure=members&year=2024&drawing=narrow"
    root = drawing_of(client.get(frame))
    # The frame's document styles its links (the page's stylesheet does not reach it).
    assert b'<?xml-stylesheet href="/static/css/map.css" type="text/css"?>' in client.get(frame).content
    links = list(root.iter("{http://www.w3.org/2000/svg}a"))
    codes = {a.get("href").rsplit("-", 1)[1] for a in links}
    assert {"SN", "ML", "BF"} <= codes <= {card.code for card in page.context["map"].cards}
    html = page.content.decode()
    for a in links:
        code = a.get("href").rsplit("-", 1)[1]
        # On the page itself (the same address: no reload), at the country's card, which is there.
        assert a.get("href") == url("overview", language) + f"?measure=members&year=2024#map-card-{code}"
        assert a.get("target") == "_parent"
        assert f'id="map-card-{code}"' in html
    # Without a query, the page's frame and its links have none either.
    plain = client.get(url("overview", language)).content.decode()
    frame = re.search(r'<iframe src="([^"]+)"', plain).group(1)
    assert frame == url("overview_svg", language, "map") + "?drawing=narrow"
    hrefs = {a.get("href") for a in drawing_of(client.get(frame)).iter("{http://www.w3.org/2000/svg}a")}
    assert url("overview", language) + "#map-card-SN" in hrefs
    # The countries stay links on the page too, in the table beside the map.
    assert f'<a href="{url("country", language, "SN")}">' in html


@pytest.mark.parametrize("language", ["fr", "en"])
def test_each_chart_of_a_country_page_is_loaded_once_after_the_page(client, inventory, language):
    response = client.get(url("country", language, "SN"))
    html = response.content.decode()
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<svg" not in main  # no drawing in the page: the old one drew status and type twice
    images = images_of(html)
    figures = [response.context["distributions"], response.context["status"], response.context["type"]]
    expected_images = []
    for figure in figures:
        for box in figure.boxes:
            expected_images.append(("img", box["image"]["src"]))
            if box["wide_image"]:
                expected_images.append(("source", box["wide_image"]["src"]))
    assert sorted(images) == sorted(expected_images)
    assert len(images) == len(set(images)) == 11 + 2 * 2  # each indicator once, status and type twice
    claims = url("country_svg", language, "SN", "distributions") + "?indicator=claims_ratio&drawing=narrow"
    root = drawing_of(client.get(claims))
    assert root.get("class") == "chart chart-distribution"
    status = drawing_of(client.get(url("country_svg", language, "SN", "status"), {"drawing": "wide"}))
    assert status.get("viewBox").split()[2] == "1000"
    # The year asked for stays in the addresses of the page's charts (the provisional year, say).
    other = client.get(url("country", language, "SN"), {"year": "2023"})
    shown = images_of(other.content.decode())
    assert len(shown) == len(images) and all("year=2023" in address for _tag, address in shown)
    for _tag, address in shown:
        drawing_of(client.get(address))
    type_2023 = client.get(url("country_svg", language, "SN", "type"), {"year": "2023", "drawing": "narrow"})
    assert "2023" in drawing_of(type_2023).find("{http://www.w3.org/2000/svg}title").text


# --- Glossary -------------------------------------------------------------------------------------

@pytest.mark.parametrize("language", ["fr", "en"])
def test_glossary_has_an_anchor_for_every_link_of_the_pages(client, inventory, language):
    response = client.get(url("glossary", language))
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in BY_ANCHOR:
        assert f'id="{anchor}"' in html
    glossary_url = url("glossary", language)
    for page in (client.get(url("overview", language)), client.get(url("country", language, "SN"))):
        text = page.content.decode()
        anchors = {part.split('"', 1)[0] for part in text.split(f'{glossary_url}#')[1:]}
        assert anchors and anchors <= set(BY_ANCHOR)
    if language == "en":
        assert "contributions collected / contributions due" in html


def test_the_form_shows_the_measure_the_map_is_shaded_by(client):
    from inventory.opendata.figures import DEFAULT_MEASURE

    mutual = MutualFactory(country=CountryFactory(code="SN"))
    ReturnFactory(mutual=mutual, year=2025, state="validated", status="functional", members=10)
    with translation.override("en"):
        page = client.get(reverse("inventory:overview")).content.decode()
    assert re.search(rf'<option value="{DEFAULT_MEASURE}" selected>', page)
