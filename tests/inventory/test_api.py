"""The read-only data API (/api/v1/inventory/{mutuals,returns,synthesis}): what it answers — only
validated, public data, in the published columns — its filters, checked against the database, and its
pages. Bad parameters, CORS, methods and caching: test_api_http.py; the OpenAPI document:
test_api_openapi.py."""

import json
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.models import Q

from inventory.contract import schema
from inventory.contract.choices import RegistrationState, ReturnState
from inventory.models import Mutual, YearlyReturn
from inventory.opendata.synthesis import compute_synthesis, mutuals_frame, returns_frame, synthesis_rows
from tests.factories import ReturnFactory
from tests.inventory import api_inventory
from tests.inventory.api_inventory import API, PERSONAL, body, get, results

pytestmark = pytest.mark.django_db
# The fixtures of the API's tests (tests/inventory/api_inventory.py): the cache emptied around each
# test, and the inventory.
fresh_cache, inventory = api_inventory.fresh_cache, api_inventory.inventory


def public_returns():
    """Independently of the API's code: validated returns of approved mutuals shown to the public."""
    return YearlyReturn.objects.filter(
        state=ReturnState.VALIDATED, mutual__registration_state=RegistrationState.APPROVED,
        mutual__is_public=True,
    )


def public_mutual_ids():
    return set(Mutual.objects.filter(registration_state=RegistrationState.APPROVED, is_public=True)
               .values_list("mutual_id", flat=True))


# --- Only validated, public data -----------------------------------------------------------------

def test_mutuals_are_the_public_ones_with_the_identity_columns_and_no_contact_person(client, inventory):
    response = get(client, API + "mutuals")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = body(response)["results"]
    assert {r["mutual_id"] for r in rows} == public_mutual_ids()
    assert inventory["pending"].mutual_id not in {r["mutual_id"] for r in rows}
    thies = next(r for r in rows if r["mutual_id"] == inventory["thies"].mutual_id)
    assert thies == {
        "mutual_id": inventory["thies"].mutual_id, "mutual_name": "Mutuelle de Thiès", "acronym": None,
        "country": "SN", "region": "Thiès", "locality": None, "year_created": None,
        "mutual_type": "community", "legal_status": None, "union": "Union des mutuelles de Thiès",
        "latest_year": 2024, "latest_status": "functional",
    }
    abidjan = next(r for r in rows if r["mutual_name"] == "Mutuelle d'Abidjan")
    assert abidjan["latest_year"] is None and abidjan["latest_status"] is None
    text = json.dumps(body(get(client, API + "mutuals")), ensure_ascii=False)
    for personal in (*PERSONAL, "Mutuelle en attente", "Mutuelle discrète"):
        assert personal not in text


def test_returns_are_the_validated_returns_of_public_mutuals_only(client, inventory):
    rows = results(client, "returns")
    expected = set(public_returns().values_list("mutual__mutual_id", "year"))
    assert {(r["mutual_id"], r["year"]) for r in rows} == expected
    assert {r["validation_status"] for r in rows} == {"validated"}
    text = json.dumps(rows, ensure_ascii=False)
    for unpublished in ("999999", "444444", "777777", "888888", *PERSONAL):
        assert unpublished not in text


def test_a_return_row_has_the_published_columns_in_order_with_json_types(client, inventory):
    rows = results(client, "returns", {"mutual_id": inventory["thies"].mutual_id})
    assert [r["year"] for r in rows] == [2023, 2024]
    row = rows[1]
    assert list(row) == schema.published_column_names("returns")
    assert row["members"] == 1250 and row["covers_drugs"] is False and row["covers_lab"] is None
    assert row["contribution_amount"] == 1500.5
    assert row["growth_rate"] == pytest.approx(0.25)        # (1250 - 1000) / 1000
    assert row["renewal_rate"] == pytest.approx(0.8)        # 800 / 1000
    assert row["penetration_rate"] == pytest.approx(0.25)   # 5000 / 20000
    assert row["claims_ratio"] is None                      # not computable: null, never 0
    assert row["acronym"] is None and row["membership_unit"] is None
    stored = YearlyReturn.objects.get(mutual=inventory["thies"], year=2024).updated_at
    assert datetime.fromisoformat(row["last_updated"]) == stored
    assert rows[0]["collection_rate"] == pytest.approx(0.75)
    assert rows[0]["growth_rate"] is None                   # no validated 2022 return


def test_the_synthesis_is_the_synthesis_table(client, inventory):
    rows = results(client, "synthesis")
    expected = list(synthesis_rows(compute_synthesis(returns_frame(), mutuals_frame())))
    assert rows == json.loads(json.dumps(expected))
    assert [(r["country"], r["year"]) for r in rows][-1][0] == "ALL"
    sn_2024 = next(r for r in rows if (r["country"], r["year"]) == ("SN", 2024))
    # Independent count: SN's validated 2024 returns of public mutuals (the pending and hidden left out).
    reporting = public_returns().filter(year=2024, mutual__country="SN").count()
    assert sn_2024["mutuals_reporting"] == reporting == 3
    assert list(sn_2024) == schema.published_column_names("synthesis")
    assert all(r["average_episode_cost_median"] is None for r in rows if r["country"] == "ALL")


# --- Filters, checked against the database ---------------------------------------------------------

def _returns_where(q):
    return set(public_returns().filter(q).values_list("mutual__mutual_id", "year"))


@pytest.mark.parametrize("params,q", [
    ({"country": "SN"}, Q(mutual__country="SN")),
    ({"country": "sn,ml"}, Q(mutual__country__in=["SN", "ML"])),
    ({"country": ["SN", "ML"]}, Q(mutual__country__in=["SN", "ML"])),
    ({"country": "CI"}, Q(pk__in=[])),
    ({"year": 2024}, Q(year=2024)),
    ({"year_min": 2023}, Q(year__gte=2023)),
    ({"year_min": 2021, "year_max": 2023}, Q(year__gte=2021, year__lte=2023)),
    ({"status": "functional,closed"}, Q(status__in=["functional", "closed"])),
    ({"status": "functional", "country": "ML"}, Q(status="functional", mutual__country="ML")),
    ({"mutual_type": ["students", "enterprise"]}, Q(mutual__mutual_type__in=["students", "enterprise"])),
    ({"union": "Réseau, Alliance santé"}, Q(mutual__union__name="Réseau, Alliance santé")),
    ({"union": ["Réseau, Alliance santé", "Union des mutuelles de Thiès"]}, Q(mutual__union__isnull=False)),
])
def test_return_filters(client, inventory, params, q):
    rows = results(client, "returns", params)
    assert {(r["mutual_id"], r["year"]) for r in rows} == _returns_where(q)


def test_return_filter_by_mutual_id(client, inventory):
    ids = [inventory["thies"].mutual_id, inventory["bamako"].mutual_id]
    rows = results(client, "returns", {"mutual_id": ids})
    assert {(r["mutual_id"], r["year"]) for r in rows} == _returns_where(Q(mutual__mutual_id__in=ids))


def _mutuals_where(q):
    return set(Mutual.objects.filter(mutual_id__in=public_mutual_ids()).filter(q)
               .values_list("mutual_id", flat=True))


def _latest_status():
    latest = {}
    for mutual_id, year, status in public_returns().values_list("mutual__mutual_id", "year", "status"):
        if year >= latest.get(mutual_id, (0, ""))[0]:
            latest[mutual_id] = (year, status)
    return {mutual_id: status for mutual_id, (_year, status) in latest.items()}


@pytest.mark.parametrize("params,q", [
    ({"country": "ML"}, Q(country="ML")),
    ({"country": "CI,ML"}, Q(country__in=["CI", "ML"])),
    ({"region": "thiès"}, Q(region="Thiès")),
    ({"region": "Thi"}, Q(pk__in=[])),  # exact names, not fragments
    ({"mutual_type": "students"}, Q(mutual_type="students")),
    ({"union": "Union des mutuelles de Thiès"}, Q(union__name="Union des mutuelles de Thiès")),
    ({"year": 2020}, Q(returns__year=2020, returns__state=ReturnState.VALIDATED)),
    ({"year": 2025}, Q(pk__in=[])),  # a submitted and a draft return only
])
def test_mutual_filters(client, inventory, params, q):
    rows = results(client, "mutuals", params)
    assert {r["mutual_id"] for r in rows} == _mutuals_where(q)


def test_mutual_status_filter_is_the_latest_validated_status(client, inventory):
    latest = _latest_status()
    for status in ("functional", "dormant", "closed", "setup"):
        rows = results(client, "mutuals", {"status": status})
        assert {r["mutual_id"] for r in rows} == {m for m, s in latest.items() if s == status}
        assert {r["latest_status"] for r in rows} <= {status}
    # The Kaolack mutual was functional in 2020 but is `setup` in its latest year.
    functional = results(client, "mutuals", {"status": "functional"})
    assert inventory["gaps"].mutual_id not in {r["mutual_id"] for r in functional}


def test_mutual_year_range_bounds_one_return(client, inventory):
    """Kaolack reported in 2020 and 2024: nothing in 2021-2023, though it has a return before and after."""
    rows = results(client, "mutuals", {"year_min": 2021, "year_max": 2023})
    expected = {m for m, y in public_returns().values_list("mutual__mutual_id", "year") if 2021 <= y <= 2023}
    assert {r["mutual_id"] for r in rows} == expected
    assert inventory["gaps"].mutual_id not in expected


@pytest.mark.parametrize("params,expected", [
    ({"country": "ALL"}, lambda r: r["country"] == "ALL"),
    ({"country": "sn", "year": 2024}, lambda r: (r["country"], r["year"]) == ("SN", 2024)),
    ({"year_min": 2023, "year_max": 2023}, lambda r: r["year"] == 2023),
    ({"country": "CI"}, lambda r: False),
])
def test_synthesis_filters(client, inventory, params, expected):
    everything = results(client, "synthesis")
    assert results(client, "synthesis", params) == [r for r in everything if expected(r)]


# --- Pagination ----------------------------------------------------------------------------------

def _query(url):
    return parse_qs(urlsplit(url).query)


def test_pages_link_to_each_other_and_cover_every_row_once_in_a_stable_order(client, inventory):
    everything = results(client, "returns")
    total = len(everything)
    assert total == public_returns().count() == 7
    pages = [body(get(client, API + "returns", {"page_size": 3, "country": "SN,ML"}))]
    assert pages[0]["next"].startswith("http://testserver/api/v1/inventory/returns?")
    assert _query(pages[0]["next"]) == {"page_size": ["3"], "country": ["SN,ML"], "page": ["2"]}
    while pages[-1]["next"]:
        pages.append(body(client.get(pages[-1]["next"])))
    assert [len(p["results"]) for p in pages] == [3, 3, 1]
    assert {p["count"] for p in pages} == {total}
    assert [p["previous"] and _query(p["previous"])["page"] for p in pages] == [None, ["1"], ["2"]]
    seen = [row for p in pages for row in p["results"]]
    assert seen == everything
    keys = [(r["country"], r["mutual_id"], r["year"]) for r in seen]
    assert keys == sorted(keys)


def test_default_page_size_and_an_empty_result(client, inventory):
    page = body(get(client, API + "returns"))
    assert page["count"] == 7 and page["next"] is None and len(page["results"]) == 7
    empty = body(get(client, API + "returns", {"country": "CI"}))
    assert empty == {"count": 0, "next": None, "previous": None, "results": []}


def test_a_page_past_the_last_is_a_404_naming_the_page(client, inventory):
    response = get(client, API + "returns", {"page_size": 5, "page": 3})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert body(response)["details"]["page"] == ["The last page is 2."]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_large_page_reads_only_its_slice(client, inventory):
    for year in range(2000, 2020):
        ReturnFactory(mutual=inventory["bamako"], year=year, state=ReturnState.VALIDATED, status="functional")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = body(get(client, API + "returns", {"page_size": 5, "page": 2}))
    assert len(page["results"]) == 5
    assert len(queries) <= 10
    # The page's keys come from a query limited to the page; the rows are read by key.
    assert any("LIMIT 5 OFFSET 5" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as more:
        body(get(client, API + "returns", {"page_size": 1000}))
    assert len(more) == len(queries)  # as many queries for 27 rows as for 5

