"""The data API as an HTTP service: a bad parameter is a 400 naming it (the same words as the library's
API), an unknown path a JSON 404; cross-origin reads allowed, writing methods refused; ETags and
304s until the inventory changes."""

import pytest

from inventory.contract.choices import ReturnState
from inventory.models import InventoryState, YearlyReturn
from portal.api.query import last_year
from tests.inventory import api_inventory
from tests.inventory.api_inventory import API, body, get, results

pytestmark = pytest.mark.django_db
# The fixtures of the API's tests (tests/inventory/api_inventory.py): the cache emptied around each
# test, and the inventory.
fresh_cache, inventory = api_inventory.fresh_cache, api_inventory.inventory


# --- Bad parameters ------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint,params,name,message", [
    ("returns", {"country": "ZZ"}, "country", "ZZ is not a country code: ISO 3166-1 alpha-2"),
    ("returns", {"country": "SN,Senegal"}, "country", "SENEGAL is not a country code"),
    ("returns", {"year": "abc"}, "year", "Enter a whole number"),
    ("returns", {"year": "2024.5"}, "year", "Enter a whole number"),
    ("returns", {"year": 1990}, "year", "greater than or equal to 1998"),
    ("returns", {"year_max": 2999}, "year_max", f"less than or equal to {last_year()}"),
    ("returns", {"year": [2020, 2021]}, "year", "Give this parameter once"),
    ("returns", {"status": "sleeping"}, "status", "sleeping is not one of the available choices"),
    ("returns", {"mutual_type": "Community"}, "mutual_type", "Community is not one of the available"),
    ("returns", {"union": "Nope"}, "union", "Nope is not one of the available choices"),
    ("returns", {"mutual_id": "sn-0042"}, "mutual_id", "sn-0042 is not a mutual identifier"),
    ("returns", {"mutual_id": "SN-42"}, "mutual_id", "SN-42 is not a mutual identifier"),
    # An empty value: only free text (`region`) takes one; the OpenAPI schemas of the others have none.
    ("returns", {"year_min": ""}, "year_min", "Empty value: give a value, or leave the parameter out."),
    ("returns", {"year": " "}, "year", "Empty value"),
    ("returns", {"country": ""}, "country", "Empty value"),
    ("returns", {"country": ["SN", ""]}, "country", "Empty value"),
    ("returns", {"mutual_id": ""}, "mutual_id", "Empty value"),
    ("returns", {"union": ""}, "union", "Empty value"),
    ("returns", {"status": ""}, "status", "Empty value"),
    ("returns", {"page": ""}, "page", "Empty value"),
    ("returns", {"page_size": ""}, "page_size", "Empty value"),
    ("mutuals", {"mutual_type": ""}, "mutual_type", "Empty value"),
    ("synthesis", {"year_max": ""}, "year_max", "Empty value"),
    ("returns", {"region": "Thiès"}, "region", "Unknown parameter"),
    ("returns", {"limit": 10}, "limit", "Unknown parameter. This endpoint accepts: country,"),
    ("returns", {"page": "two"}, "page", "Enter a whole number"),
    ("returns", {"page": 0}, "page", "greater than or equal to 1"),
    ("returns", {"page_size": 0}, "page_size", "greater than or equal to 1"),
    ("returns", {"page_size": 1001}, "page_size", "less than or equal to 1000"),
    ("returns", {"page_size": 10**30}, "page_size", "less than or equal to 1000"),
    ("mutuals", {"year": "2024-01-01"}, "year", "Enter a whole number"),
    ("mutuals", {"country": "ALL"}, "country", "ALL is not a country code"),
    ("mutuals", {"status": "validated"}, "status", "validated is not one of the available choices"),
    ("synthesis", {"status": "functional"}, "status", "Unknown parameter"),
    ("synthesis", {"country": "XX"}, "country", "XX is not a country code"),
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


def test_year_min_after_year_max_is_an_empty_range_in_both_apis(client, inventory):
    # Each year is valid (the OpenAPI document cannot tie two parameters together): no rows, no error.
    params = {"year_min": 2024, "year_max": 2020}
    for endpoint in ("mutuals", "returns", "synthesis"):
        response = get(client, API + endpoint, params)
        assert response.status_code == 200, body(response)
        assert body(response) == {"count": 0, "next": None, "previous": None, "results": []}
    library = get(client, "/api/v1/library/search", params)
    assert library.status_code == 200 and body(library)["count"] == 0


def test_an_empty_free_text_value_filters_nothing(client, inventory):
    everyone = results(client, "mutuals")
    assert results(client, "mutuals", {"region": ""}) == everyone


def test_a_blank_value_is_said_to_be_empty_once(client, inventory):
    error = body(get(client, API + "returns", {"year": " ", "page": ""}))
    assert error["details"] == {"year": ["Empty value: give a value, or leave the parameter out."],
                                "page": ["Empty value: give a value, or leave the parameter out."]}


def test_every_bad_parameter_is_named_at_once(client, inventory):
    error = body(get(client, API + "returns", {"country": "ZZ", "year": "x", "page_size": 5000}))
    assert set(error["details"]) == {"country", "year", "page_size"}


def test_an_identifier_no_public_mutual_has_gives_no_rows(client, inventory):
    # Well formed (the published pattern): no rows, whether the mutual is hidden, pending or unknown —
    # the answer says nothing of mutuals that are not public.
    for mutual_id in (inventory["pending"].mutual_id, inventory["hidden"].mutual_id, "SN-9999"):
        response = get(client, API + "returns", {"mutual_id": mutual_id})
        assert response.status_code == 200, body(response)
        assert body(response)["count"] == 0
    thies = inventory["thies"].mutual_id
    assert {r["mutual_id"] for r in results(client, "returns", {"mutual_id": [thies, "SN-9999"]})} == {thies}


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
