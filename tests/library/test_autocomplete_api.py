"""GET /api/v1/library/autocomplete, and both library endpoints in the OpenAPI document, checked
against real responses."""

import json
import re

import pytest
from django.test import override_settings

from library.filters import SearchFilter
from library.search_embedded import EmbeddedEngine
from portal.reference.models import Country, Theme
from tests.api import spec

from .test_search_behaviour import CORPUS

URL = "/api/v1/library/autocomplete"
SEARCH = "/api/v1/library/search"


@pytest.fixture
def library(db):
    with override_settings(ELASTICSEARCH_URL=""):
        EmbeddedEngine().rebuild(CORPUS)
        yield


def get(client, path, params=None, **headers):
    return client.get(path, params or {}, HTTP_ACCEPT_LANGUAGE="en", **headers)


def titles(client, params):
    response = get(client, URL, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return [item["title"] for item in json.loads(response.content)["results"]]


def test_titles_complete_the_last_word_typed(client, library):
    assert titles(client, {"q": "gui"}) == ["Guide de calcul des cotisations des mutuelles au Mali"]
    assert titles(client, {"q": "mutuelles du"}) == ["Étude de cas : l'Union des mutuelles du Sénégal"]
    assert titles(client, {"q": "ETUDE"}) == ["Étude de cas : l'Union des mutuelles du Sénégal"]
    assert titles(client, {"q": "mutuelles"}) == [
        "Guide de calcul des cotisations des mutuelles au Mali",
        "Étude de cas : l'Union des mutuelles du Sénégal",
    ]
    assert titles(client, {"q": "mutuelles", "limit": "1"}) == [
        "Guide de calcul des cotisations des mutuelles au Mali"]
    assert titles(client, {"q": "zzz"}) == []
    assert titles(client, {"q": ""}) == []


def test_a_suggestion_links_to_its_page(client, library):
    data = json.loads(get(client, URL, {"q": "rapport"}).content)
    assert data == {"results": [{"title": "Rapport annuel du réseau", "url": "/bibliotheque/rapport-2020/"}]}


@pytest.mark.parametrize("q", ['"gui', "gui*", "AND OR", "x" * 5000, "💊\x00é", "'; DROP TABLE x; --"])
def test_hostile_prefixes_are_text(client, library, q):
    titles(client, {"q": q})


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({}, "q"),
        ({"q": "gui", "foo": "1"}, "foo"),
        ({"q": ["gui", "rap"]}, "q"),
        ({"q": "gui", "limit": "0"}, "limit"),
        ({"q": "gui", "limit": "21"}, "limit"),
        ({"q": "gui", "limit": "many"}, "limit"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, library, params, bad):
    response = get(client, URL, params)
    assert response.status_code == 400
    data = json.loads(response.content)
    assert bad in data["error"] and list(data["details"]) == [bad]


def test_cached_and_open_to_other_sites_like_the_other_endpoints(client, library):
    response = get(client, URL, {"q": "gui"})
    assert "public" in response["Cache-Control"] and "max-age=60" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post(URL, {"q": "gui"}).status_code == 405
    assert get(client, URL + "/", {"q": "gui"}).status_code == 200


# --- OpenAPI --------------------------------------------------------------------------------------

@pytest.fixture
def openapi(client):
    response = get(client, "/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def conforms(value, schema, components, where="$"):
    """The value fits the schema (the subset of JSON Schema the document uses); an AssertionError
    names where it does not."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        python = {"string": str, "integer": int, "number": (int, float), "boolean": bool,
                  "null": type(None), "object": dict, "array": list}
        assert any(isinstance(value, python[k]) and not (k == "integer" and isinstance(value, bool))
                   for k in kinds), (where, value, kinds)
    if "enum" in schema:
        assert value in schema["enum"], (where, value)
    if "pattern" in schema and isinstance(value, str):
        assert re.search(schema["pattern"], value), (where, value)
    if "minimum" in schema and isinstance(value, int):
        assert value >= schema["minimum"], (where, value)
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        assert set(schema.get("required", [])) <= set(value), (where, sorted(value))
        for key, item in value.items():
            if key in properties:
                conforms(item, properties[key], components, f"{where}.{key}")
            else:
                extra = schema.get("additionalProperties", True)
                assert extra is not False, (where, f"undocumented {key}")
                if isinstance(extra, dict):
                    conforms(item, extra, components, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for n, item in enumerate(value):
            conforms(item, schema["items"], components, f"{where}[{n}]")


def test_openapi_describes_the_library_responses(client, library, openapi):
    components = openapi["components"]["schemas"]
    search = openapi["paths"][SEARCH]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    for params in ({}, {"q": "mutuelles mali"}, {"type": ["guide", "case_study"], "year_min": 2010}):
        data = json.loads(get(client, SEARCH, params).content)
        assert data["results"] and data["facets"]["year"]
        conforms(data, search, components)
    documented = components["LibraryHit"]["properties"]
    assert set(data["results"][0]) == set(documented) == set(components["LibraryHit"]["required"])
    suggestions = openapi["paths"][URL]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    data = json.loads(get(client, URL, {"q": "mutuelles"}).content)
    assert data["results"]
    conforms(data, suggestions, components)
    # and the checker itself can fail: an undocumented field is caught
    with pytest.raises(AssertionError):
        conforms({"results": [{"title": "x", "url": "/", "extra": 1}]}, suggestions, components)
    errors = openapi["paths"][SEARCH]["get"]["responses"]["400"]["content"]["application/json"]["schema"]
    conforms(json.loads(get(client, SEARCH, {"sort": "title"}).content), errors, components)


def test_openapi_parameters_are_the_ones_each_library_endpoint_accepts(client, library, openapi):
    search = {p["name"]: p for p in openapi["paths"][SEARCH]["get"]["parameters"]}
    assert list(search) == list(SearchFilter.base_filters)
    assert search["type"]["schema"]["items"]["enum"][-1] == "project_profile"
    assert search["type"]["explode"] is True
    assert search["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}
    assert search["year_min"]["schema"]["minimum"] == 1950
    assert search["sort"]["schema"]["enum"] == ["relevance", "date"]
    # The codes the search knows, as it checks them (an unknown one is a 400).
    codes = sorted(Country.objects.values_list("code", flat=True))
    assert search["country"]["schema"]["items"]["enum"] == codes
    assert search["theme"]["schema"]["items"]["enum"] == sorted(Theme.objects.values_list("slug", flat=True))
    assert "empty range" in search["year_min"]["description"]
    suggest = {p["name"]: p for p in openapi["paths"][URL]["get"]["parameters"]}
    assert list(suggest) == ["q", "limit"] and suggest["q"]["required"] is True
    for path, params in ((SEARCH, search), (URL, suggest)):
        for name, param in params.items():
            assert param["description"], name
            response = get(client, path, {"q": "", name: spec.example(param)})
            assert response.status_code == 200, (path, name, response.content)
            # an empty value exactly where the schema allows one (the words `q`)
            response = get(client, path, {"q": "", name: ""})
            assert response.status_code == (200 if spec.admits_empty(param) else 400), (path, name)
        assert spec.admits_empty(params["q"])
        # the bounds are the endpoint's: one past the maximum is refused
        for name, param in params.items():
            schema = param["schema"].get("items", param["schema"])
            if "maximum" in schema:
                response = get(client, path, {"q": "", name: schema["maximum"] + 1})
                assert response.status_code == 400, (path, name)
