"""The data API's OpenAPI document (/api/v1/openapi.json): every field of the responses and no other,
taken from the table schemas; the parameters each endpoint accepts; the API root's links."""

import json
import re
from datetime import datetime
from urllib.parse import urlsplit

import pytest

from inventory.contract import schema
from inventory.models import Mutual
from portal.api.query import last_year
from portal.reference.models import Country
from tests.api import spec
from tests.inventory import api_inventory
from tests.inventory.api_inventory import body, get, results

pytestmark = pytest.mark.django_db
# The fixtures of the API's tests (tests/inventory/api_inventory.py): the cache emptied around each
# test, and the inventory.
fresh_cache, inventory = api_inventory.fresh_cache, api_inventory.inventory


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
    # The values no schema can give: an identifier and a name the inventory holds.
    known = {"mutual_id": inventory["thies"].mutual_id, "union": inventory["network"].name}
    for endpoint, filterset in filtersets.items():
        params = openapi["paths"][f"/api/v1/inventory/{endpoint}"]["get"]["parameters"]
        names = [p["name"] for p in params]
        assert names == [*filterset.base_filters, "page", "page_size"]
        for param in params:
            name, path = param["name"], f"/api/v1/inventory/{endpoint}"
            assert param["description"], param
            # A documented parameter with a value its schema allows is accepted...
            value = known.get(name) or spec.example(param)
            response = get(client, path, {name: value})
            assert response.status_code == 200, (endpoint, name, value, body(response))
            # ...and an empty value exactly when its schema allows one (free text).
            response = get(client, path, {name: ""})
            if spec.admits_empty(param):
                assert response.status_code == 200, (endpoint, name, body(response))
            else:
                assert response.status_code == 400, (endpoint, name)
                assert body(response)["details"] == {
                    name: ["Empty value: give a value, or leave the parameter out."]}
    returns = {p["name"]: p for p in openapi["paths"]["/api/v1/inventory/returns"]["get"]["parameters"]}
    assert returns["status"]["schema"]["items"]["enum"] == schema.enum("status")
    assert returns["mutual_type"]["schema"]["items"]["enum"] == schema.enum("mutual_type")
    assert returns["year"]["schema"] == {"type": "integer", "minimum": 1998, "maximum": last_year()}
    assert returns["page_size"]["schema"]["maximum"] == 1000
    # What the API refuses and what it answers with no rows, said in the document.
    codes = sorted(Country.objects.values_list("code", flat=True))
    assert returns["country"]["schema"]["items"] == {"type": "string", "enum": codes}
    synthesis = {p["name"]: p for p in openapi["paths"]["/api/v1/inventory/synthesis"]["get"]["parameters"]}
    assert synthesis["country"]["schema"]["items"]["enum"] == [*codes, "ALL"]
    assert returns["mutual_id"]["schema"]["items"] == {"type": "string", "pattern": "^[A-Z]{2}-[0-9]{4,}$"}
    assert "no rows" in returns["mutual_id"]["description"]
    assert returns["union"]["schema"]["items"] == {"type": "string", "minLength": 1}
    assert "empty range" in returns["year_min"]["description"]
    assert "empty" in openapi["paths"]["/api/v1/inventory/returns"]["get"]["responses"]["400"]["description"]


def test_the_api_root_links_every_endpoint(client, openapi):
    links = get(client, "/api/v1/").json()
    assert set(links) == {*ENDPOINTS, "library_search", "library_autocomplete", "openapi"}
    assert {urlsplit(url).path for name, url in links.items() if name != "openapi"} == set(openapi["paths"])

