"""The read-only data API: /api/v1/inventory/{mutuals,returns,synthesis} and its OpenAPI document."""

import json
import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db.models import Q

from inventory.contract import schema
from inventory.contract.choices import RegistrationState, ReturnState
from inventory.models import InventoryState, Mutual, Union, YearlyReturn
from inventory.opendata.synthesis import compute_synthesis, mutuals_frame, returns_frame, synthesis_rows
from portal.api.query import last_year
from tests.factories import CountryFactory, MutualFactory, ReturnFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/inventory/"
PERSONAL = ("Awa Diop", "+221 77 123 45 67", "awa.diop@example.org")


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The synthesis is cached on the inventory version, which stays 0 in tests that never commit.
    cache.clear()
    yield
    cache.clear()


def get(client, path, params=None, **headers):
    return client.get(path, params or {}, HTTP_ACCEPT_LANGUAGE="en", **headers)


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(content)


def results(client, endpoint, params=None):
    response = get(client, API + endpoint, {"page_size": 1000, **(params or {})})
    assert response.status_code == 200, body(response)
    return body(response)["results"]


@pytest.fixture
def inventory():
    """Three countries, two unions (one with a comma in its name), public mutuals with validated,
    submitted and draft returns, and a pending and a hidden mutual with validated returns."""
    sn = CountryFactory(code="SN")
    ml = CountryFactory(code="ML", currency="XOF")
    CountryFactory(code="CI")
    thies_union = Union.objects.create(name="Union des mutuelles de Thiès", country=sn)
    network = Union.objects.create(name="Réseau, Alliance santé")
    thies = MutualFactory(name="Mutuelle de Thiès", region="Thiès", union=thies_union,
                          contact_name="Awa Diop", contact_phone="+221 77 123 45 67",
                          contact_email="awa.diop@example.org")
    ReturnFactory(mutual=thies, year=2023, state=ReturnState.VALIDATED, status="functional", members=1000,
                  beneficiaries=4000, target_population=20000, covers_drugs=True, currency="XOF",
                  contributions_collected=1_500_000, contributions_due=2_000_000)
    ReturnFactory(mutual=thies, year=2024, state=ReturnState.VALIDATED, status="functional", members=1250,
                  beneficiaries=5000, target_population=20000, covers_drugs=False, currency="XOF",
                  renewed_members=800, contribution_amount="1500.50")
    ReturnFactory(mutual=thies, year=2025, state=ReturnState.SUBMITTED, status="functional", members=999_999)
    dakar = MutualFactory(name="Mutuelle de Dakar", region="Dakar", mutual_type="socio_professional")
    ReturnFactory(mutual=dakar, year=2024, state=ReturnState.VALIDATED, status="dormant")
    ReturnFactory(mutual=dakar, year=2025, state=ReturnState.DRAFT, status="functional", members=444_444)
    gaps = MutualFactory(name="Mutuelle de Kaolack", region="Kaolack", mutual_type="enterprise")
    ReturnFactory(mutual=gaps, year=2020, state=ReturnState.VALIDATED, status="functional", members=50)
    ReturnFactory(mutual=gaps, year=2024, state=ReturnState.VALIDATED, status="setup", members=60)
    bamako = MutualFactory(name="Mutuelle de Bamako", country=ml, mutual_type="students", union=network)
    ReturnFactory(mutual=bamako, year=2023, state=ReturnState.VALIDATED, status="functional", members=300)
    ReturnFactory(mutual=bamako, year=2024, state=ReturnState.VALIDATED, status="closed", members=0)
    MutualFactory(name="Mutuelle d'Abidjan", country=CountryFactory(code="CI"), mutual_type="faith_based")
    # Signed up before identifiers waited for approval: it has one, which the API must not know.
    pending = MutualFactory(name="Mutuelle en attente", registration_state=RegistrationState.PENDING,
                            mutual_id="SN-0004")
    hidden = MutualFactory(name="Mutuelle discrète", is_public=False)
    for mutual, members in ((pending, 777_777), (hidden, 888_888)):
        ReturnFactory(mutual=mutual, year=2024, state=ReturnState.VALIDATED, status="functional",
                      members=members)
    return {"thies": thies, "dakar": dakar, "gaps": gaps, "bamako": bamako, "pending": pending,
            "hidden": hidden, "network": network}


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


# --- Bad parameters ------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint,params,name,message", [
    ("returns", {"country": "ZZ"}, "country", "ZZ is not one of the available choices"),
    ("returns", {"country": "SN,Senegal"}, "country", "SENEGAL is not one of the available choices"),
    ("returns", {"year": "abc"}, "year", "Enter a whole number"),
    ("returns", {"year": "2024.5"}, "year", "Enter a whole number"),
    ("returns", {"year": 1990}, "year", "greater than or equal to 1998"),
    ("returns", {"year_max": 2999}, "year_max", f"less than or equal to {last_year()}"),
    ("returns", {"year_min": 2024, "year_max": 2020}, "year_min", "after year_max"),
    ("returns", {"year": [2020, 2021]}, "year", "Give this parameter once"),
    ("returns", {"status": "sleeping"}, "status", "sleeping is not one of the available choices"),
    ("returns", {"mutual_type": "Community"}, "mutual_type", "Community is not one of the available"),
    ("returns", {"union": "Nope"}, "union", "Nope is not one of the available choices"),
    ("returns", {"mutual_id": "SN-9999"}, "mutual_id", "SN-9999 is not one of the available choices"),
    ("returns", {"region": "Thiès"}, "region", "Unknown parameter"),
    ("returns", {"limit": 10}, "limit", "Unknown parameter. This endpoint accepts: country,"),
    ("returns", {"page": "two"}, "page", "Enter a whole number"),
    ("returns", {"page": 0}, "page", "greater than or equal to 1"),
    ("returns", {"page_size": 0}, "page_size", "greater than or equal to 1"),
    ("returns", {"page_size": 1001}, "page_size", "less than or equal to 1000"),
    ("returns", {"page_size": 10**30}, "page_size", "less than or equal to 1000"),
    ("mutuals", {"year": "2024-01-01"}, "year", "Enter a whole number"),
    ("mutuals", {"country": "ALL"}, "country", "ALL is not one of the available choices"),
    ("mutuals", {"status": "validated"}, "status", "validated is not one of the available choices"),
    ("synthesis", {"status": "functional"}, "status", "Unknown parameter"),
    ("synthesis", {"country": "XX"}, "country", "XX is not one of the available choices"),
    ("synthesis", {"year": 1800}, "year", "greater than or equal to 1998"),
])
def test_a_bad_parameter_is_a_400_naming_it(client, inventory, endpoint, params, name, message):
    response = get(client, API + endpoint, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    error = body(response)
    assert name in error["error"]
    assert any(message in m for m in error["details"][name]), error


def test_too_many_values_or_a_null_character_are_400_not_500(client, inventory):
    many = get(client, API + "returns", {"country": ",".join(["SN"] * 101)})
    assert many.status_code == 400 and body(many)["details"]["country"] == ["At most 100 values."]
    for name in ("union", "mutual_id"):
        response = get(client, API + "returns", {name: "Nope\x00"})
        assert response.status_code == 400, name
        assert name in body(response)["details"]
    assert get(client, API + "mutuals", {"region": "Thi\x00s"}).status_code == 400


def test_a_parameter_given_twice_and_malformed_gets_both_messages_like_the_library(client, inventory):
    error = body(get(client, API + "returns", {"year": ["2020", "abc"]}))
    assert error["details"]["year"] == ["Give this parameter once.", "Enter a whole number."]
    library = body(get(client, "/api/v1/library/search", {"year_min": ["2020", "abc"]}))
    assert library["details"]["year_min"] == error["details"]["year"]


def test_year_min_after_year_max_reads_the_same_in_both_apis(client, inventory):
    params = {"year_min": 2024, "year_max": 2020}
    inventory_error = body(get(client, API + "returns", params))["details"]["year_min"]
    library_error = body(get(client, "/api/v1/library/search", params))["details"]["year_min"]
    assert inventory_error == library_error == ["year_min (2024) is after year_max (2020)."]


def test_every_bad_parameter_is_named_at_once(client, inventory):
    error = body(get(client, API + "returns", {"country": "ZZ", "year": "x", "page_size": 5000}))
    assert set(error["details"]) == {"country", "year", "page_size"}


def test_the_hidden_and_pending_mutuals_are_unknown_identifiers(client, inventory):
    for mutual in (inventory["pending"], inventory["hidden"]):
        response = get(client, API + "returns", {"mutual_id": mutual.mutual_id})
        assert response.status_code == 400
        assert "not one of the available choices" in body(response)["details"]["mutual_id"][0]


def test_an_unknown_api_path_is_a_json_404(client, inventory):
    response = get(client, "/api/v1/inventory/members")
    assert response.status_code == 404
    assert "openapi.json" in body(response)["error"]


def test_a_trailing_slash_is_accepted(client, inventory):
    assert get(client, API + "returns/").status_code == 200


# --- CORS and methods ----------------------------------------------------------------------------

def test_cross_origin_reads_are_allowed(client, inventory):
    response = get(client, API + "returns", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    head = client.head(API + "returns")
    assert head.status_code == 200 and head["Access-Control-Allow-Origin"] == "*"
    assert b"".join(head.streaming_content) == b""
    preflight = client.options(API + "returns", HTTP_ORIGIN="https://example.org",
                               HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert get(client, "/api/v1/openapi.json")["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_methods_are_refused_with_405(client, inventory, method):
    response = getattr(client, method)(API + "returns", data={})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "Access-Control-Allow-Origin" not in response


def test_the_site_pages_get_no_cors_header(client):
    assert "Access-Control-Allow-Origin" not in client.get("/fr/")


# --- OpenAPI -------------------------------------------------------------------------------------

@pytest.fixture
def openapi(client):
    response = get(client, "/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


ENDPOINTS = {"mutuals": "Mutual", "returns": "Return", "synthesis": "SynthesisRow"}


def _check_value(prop, value, where):
    """The value fits its documented property: JSON type, codes, pattern, bounds."""
    kinds = prop["type"] if isinstance(prop["type"], list) else [prop["type"]]
    python = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "null": type(None)}
    assert any(isinstance(value, python[k]) and not (k in ("integer", "number") and isinstance(value, bool))
               for k in kinds), (where, value, kinds)
    if value is None:
        return
    if "enum" in prop:
        assert value in prop["enum"], (where, value)
    if "pattern" in prop:
        assert re.search(prop["pattern"], value), (where, value)
    if "minimum" in prop:
        assert value >= prop["minimum"], (where, value)
    if prop.get("format") == "date-time":
        datetime.fromisoformat(value)


def test_openapi_documents_every_field_of_the_responses_and_no_other(client, inventory, openapi):
    assert openapi["openapi"].startswith("3.1")
    for endpoint, component in ENDPOINTS.items():
        path = f"/api/v1/inventory/{endpoint}"
        ok = openapi["paths"][path]["get"]["responses"]["200"]
        page_schema = ok["content"]["application/json"]["schema"]
        assert page_schema["properties"]["results"]["items"]["$ref"] == f"#/components/schemas/{component}"
        documented = openapi["components"]["schemas"][component]
        rows = results(client, endpoint)
        assert rows, endpoint
        page = body(get(client, path))
        assert set(page) == set(page_schema["properties"]) == set(page_schema["required"])
        for row in rows:
            assert list(row) == documented["x-column-order"] == list(documented["properties"])
            for name, value in row.items():
                _check_value(documented["properties"][name], value, (endpoint, name))


def test_openapi_fields_come_from_the_table_schemas(openapi):
    components = openapi["components"]["schemas"]
    for table, component in (("returns", "Return"), ("synthesis", "SynthesisRow")):
        props = components[component]["properties"]
        assert list(props) == schema.published_column_names(table)
        for field in schema.published_fields(table):
            prop = props[field["name"]]
            assert prop["title"] == field["title"] and prop.get("x-title-fr") == field.get("title_fr")
            assert prop.get("description") == field.get("description")
            if "enum" in field.get("constraints", {}):
                assert [c for c in prop["enum"] if c is not None] == field["constraints"]["enum"]
    assert components["Return"]["properties"]["last_updated"]["format"] == "date-time"
    assert components["Return"]["properties"]["mutual_id"]["type"] == "string"  # required: never null
    assert components["Return"]["properties"]["members"]["type"] == ["integer", "null"]
    mutual = components["Mutual"]["properties"]
    identity = schema.column_names("returns")[: schema.column_names("returns").index("year")]
    assert list(mutual) == [*identity, "latest_year", "latest_status"]
    for personal in Mutual.PERSONAL_FIELDS:
        assert personal not in json.dumps(openapi)


def test_openapi_parameters_are_the_ones_each_endpoint_accepts(client, inventory, openapi):
    from inventory.api.filters import MutualApiFilter, ReturnApiFilter, SynthesisApiFilter

    filtersets = {"mutuals": MutualApiFilter, "returns": ReturnApiFilter, "synthesis": SynthesisApiFilter}
    for endpoint, filterset in filtersets.items():
        params = openapi["paths"][f"/api/v1/inventory/{endpoint}"]["get"]["parameters"]
        names = [p["name"] for p in params]
        assert names == [*filterset.base_filters, "page", "page_size"]
        for param in params:
            assert param["description"], param
            # A documented parameter is never an "unknown parameter".
            response = get(client, f"/api/v1/inventory/{endpoint}", {param["name"]: ""})
            assert response.status_code == 200, (endpoint, param["name"], body(response))
    returns = {p["name"]: p for p in openapi["paths"]["/api/v1/inventory/returns"]["get"]["parameters"]}
    assert returns["status"]["schema"]["items"]["enum"] == schema.enum("status")
    assert returns["mutual_type"]["schema"]["items"]["enum"] == schema.enum("mutual_type")
    assert returns["year"]["schema"] == {"type": "integer", "minimum": 1998, "maximum": last_year()}
    assert returns["page_size"]["schema"]["maximum"] == 1000


def test_the_api_root_links_every_endpoint(client, openapi):
    links = get(client, "/api/v1/").json()
    assert set(links) == {*ENDPOINTS, "library_search", "library_autocomplete", "openapi"}
    assert {urlsplit(url).path for name, url in links.items() if name != "openapi"} == set(openapi["paths"])


# --- Caching ------------------------------------------------------------------------------------

def test_a_repeated_call_gets_304_until_the_inventory_changes(
    client, inventory, django_capture_on_commit_callbacks
):
    url = API + "returns"
    first = get(client, url, {"country": "SN"})
    etag = first["ETag"]
    assert etag and "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    again = get(client, url, {"country": "SN"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again["Access-Control-Allow-Origin"] == "*"
    assert get(client, url, {"country": "ML"}, HTTP_IF_NONE_MATCH=etag).status_code == 200  # other query

    dakar_2025 = YearlyReturn.objects.get(mutual=inventory["dakar"], year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        dakar_2025.state = ReturnState.VALIDATED
        dakar_2025.save()
    assert InventoryState.current_version() >= 1
    after = get(client, url, {"country": "SN"}, HTTP_IF_NONE_MATCH=etag)
    assert after.status_code == 200 and after["ETag"] != etag
    keys = {(r["mutual_id"], r["year"]) for r in body(after)["results"]}
    assert (inventory["dakar"].mutual_id, 2025) in keys
    last_modified = after["Last-Modified"]
    assert get(client, url, {"country": "SN"}, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert get(client, url, {"country": "SN"}, HTTP_IF_NONE_MATCH=after["ETag"]).status_code == 304


def test_the_synthesis_follows_a_validation(client, inventory, django_capture_on_commit_callbacks):
    before = results(client, "synthesis", {"country": "SN", "year": 2025})
    assert before == []
    dakar_2025 = YearlyReturn.objects.get(mutual=inventory["dakar"], year=2025)
    with django_capture_on_commit_callbacks(execute=True):
        dakar_2025.state = ReturnState.VALIDATED
        dakar_2025.save()
    [row] = results(client, "synthesis", {"country": "SN", "year": 2025})
    assert row["mutuals_reporting"] == 1 and row["members"] == 444_444


def test_the_openapi_document_has_an_etag(client):
    first = get(client, "/api/v1/openapi.json")
    assert get(client, "/api/v1/openapi.json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert get(client, "/api/v1/openapi.json", {"x": 1}).status_code == 400


def test_a_compressed_response_revalidates_with_its_weak_etag(client, inventory):
    first = get(client, API + "returns", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip" and first["ETag"].startswith('W/"')
    again = get(client, API + "returns", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
