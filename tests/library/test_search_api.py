"""GET /api/v1/library/search (the search contract), against the embedded engine."""

import json

import pytest
from django.test import override_settings

from library.search_embedded import EmbeddedEngine

from .test_search_behaviour import CORPUS

URL = "/api/v1/library/search"
FIELDS = {"ref", "title", "url", "resource_type", "year", "language", "countries", "themes", "snippet"}


@pytest.fixture
def library(db):
    with override_settings(ELASTICSEARCH_URL=""):
        EmbeddedEngine().rebuild(CORPUS)
        yield


def get(client, params=None, path=URL):
    return client.get(path, params or {}, HTTP_ACCEPT_LANGUAGE="en")


def ok(client, params=None):
    response = get(client, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def refs(data):
    return [hit["ref"] for hit in data["results"]]


def test_the_response_has_the_contract_shape(client, library):
    data = ok(client, {"q": "cotisation"})
    assert set(data) == {"count", "results", "facets"}
    assert data["count"] == 1
    [hit] = data["results"]
    assert set(hit) == FIELDS
    assert hit == {
        "ref": "guide-cotisations",
        "title": "Guide de calcul des cotisations des mutuelles au Mali",
        "url": "/bibliotheque/guide-cotisations/",
        "resource_type": "guide",
        "year": 2012,
        "language": "fr",
        "countries": ["ML"],
        "themes": ["financing"],
        "snippet": hit["snippet"],
    }
    assert "<mark>cotisations</mark>" in hit["snippet"]
    assert set(data["facets"]) == {"resource_type", "theme", "country", "language", "year"}


def test_without_parameters_everything_newest_first_with_every_facet(client, library):
    data = ok(client)
    assert data["count"] == 6
    assert refs(data) == ["rapport-2020", "union-senegal", "insured-members", "guide-cotisations",
                          "loi-mutualite", "manual-pt"]
    facets = data["facets"]
    assert facets["resource_type"] == {"case_study": 2, "guide": 1, "legal_text": 1, "report": 1,
                                       "training_manual": 1}
    assert facets["language"] == {"fr": 4, "en": 1, "pt": 1}
    assert facets["country"] == {"ML": 3, "BF": 2, "SN": 2, "CV": 1, "GH": 1}
    assert facets["theme"]["financing"] == 2
    assert facets["year"] == {str(y): 1 for y in (2008, 2009, 2012, 2016, 2019, 2020)}


def test_the_trailing_slash_is_optional(client, library):
    assert get(client, path=URL + "/").status_code == 200


def test_several_values_of_a_facet_are_ored_and_facets_anded(client, library):
    assert sorted(refs(ok(client, {"type": ["case_study", "guide"]}))) == [
        "guide-cotisations", "insured-members", "union-senegal"]
    assert refs(ok(client, {"type": "case_study", "language": "fr"})) == ["union-senegal"]
    assert sorted(refs(ok(client, {"country": "ml"}))) == [
        "guide-cotisations", "loi-mutualite", "rapport-2020"]
    assert refs(ok(client, {"theme": "governance", "language": "pt"})) == ["manual-pt"]
    assert sorted(refs(ok(client, {"year_min": 2010, "year_max": 2019}))) == [
        "guide-cotisations", "insured-members", "union-senegal"]
    assert refs(ok(client, {"year_min": 2020})) == ["rapport-2020"]


def test_a_year_min_after_year_max_is_an_empty_range_not_an_error(client, library):
    # The OpenAPI document cannot tie two parameters together: each year is valid, the range holds none.
    data = ok(client, {"year_min": 2019, "year_max": 2010})
    assert (data["count"], data["results"]) == (0, [])
    assert ok(client, {"year_min": 2019, "year_max": 2019})["count"] == 1


def test_codes_may_be_comma_separated_as_in_the_inventory_api(client, library):
    # The OpenAPI document says it for the whole API: "repeat the parameter, or separate codes with commas".
    assert sorted(refs(ok(client, {"type": "case_study,guide"}))) == sorted(
        refs(ok(client, {"type": ["case_study", "guide"]})))
    assert refs(ok(client, {"country": "ml,SN"})) == refs(ok(client, {"country": ["ML", "SN"]}))
    assert json.loads(get(client, {"type": "guide,novel"}).content)["details"]["type"]


def test_each_facet_counts_with_the_other_facets_filters_but_not_its_own(client, library):
    facets = ok(client, {"type": "case_study", "language": "fr"})["facets"]
    # the type facet: with language=fr, not with type=case_study
    assert facets["resource_type"] == {"case_study": 1, "guide": 1, "legal_text": 1, "report": 1}
    # the language facet: with type=case_study, not with language=fr
    assert facets["language"] == {"en": 1, "fr": 1}
    # the others: both filters
    assert facets["country"] == {"SN": 1}
    assert facets["theme"] == {"financing": 1, "governance": 1}
    assert facets["year"] == {"2019": 1}
    years = ok(client, {"year_min": 2015})["facets"]["year"]
    assert years == {str(y): 1 for y in (2008, 2009, 2012, 2016, 2019, 2020)}


def test_sort_by_date_or_relevance(client, library):
    assert refs(ok(client, {"q": "mutuelles", "sort": "date"})) == [
        "rapport-2020", "union-senegal", "guide-cotisations"]
    assert refs(ok(client, {"q": "mutuelles mali", "sort": "relevance"})) == [
        "guide-cotisations", "rapport-2020"]
    assert refs(ok(client, {"q": "mutuelles mali"})) == ["guide-cotisations", "rapport-2020"]


def test_pagination(client, library):
    first = ok(client, {"page_size": 4})
    second = ok(client, {"page_size": 4, "page": 2})
    assert first["count"] == second["count"] == 6
    assert len(first["results"]) == 4 and len(second["results"]) == 2
    assert set(refs(first)).isdisjoint(refs(second))
    assert len(ok(client, {"page_size": 100})["results"]) == 6
    assert len(ok(client, {"page_size": 1, "page": 6})["results"]) == 1
    past = get(client, {"page_size": 4, "page": 3})
    assert past.status_code == 404
    assert "page" in json.loads(past.content)["details"]
    assert ok(client, {"q": "nothing-matches-this"}) == {
        "count": 0, "results": [], "facets": {f: {} for f in ("resource_type", "theme", "country",
                                                               "language", "year")}}


@pytest.mark.parametrize(
    ("params", "bad"),
    [
        ({"foo": "1"}, "foo"),
        ({"types": "guide"}, "types"),
        ({"type": "novel"}, "type"),
        ({"type": ["guide", "novel"]}, "type"),
        ({"language": "de"}, "language"),
        ({"country": "SEN"}, "country"),
        ({"country": "1"}, "country"),
        ({"theme": "x" * 101}, "theme"),
        ({"year_min": "abc"}, "year_min"),
        ({"year_min": "2010.5"}, "year_min"),
        ({"year_max": "1800"}, "year_max"),
        ({"year_max": "3000"}, "year_max"),
        # Unknown codes, as the documentation says (an unknown theme or country is a typo, not a search).
        ({"theme": "no-such-theme"}, "theme"),
        ({"theme": ["financing", "no-such-theme"]}, "theme"),
        ({"country": "ZZ"}, "country"),
        ({"country": "ml,zz"}, "country"),
        # Empty values: the document's integers, codes and choices have none (only `q` is free text).
        ({"year_min": ""}, "year_min"),
        ({"year_max": " "}, "year_max"),
        ({"page": ""}, "page"),
        ({"page_size": ""}, "page_size"),
        ({"sort": ""}, "sort"),
        ({"type": ""}, "type"),
        ({"country": ""}, "country"),
        ({"theme": ["financing", ""]}, "theme"),
        ({"sort": "title"}, "sort"),
        ({"page": "0"}, "page"),
        ({"page": "-1"}, "page"),
        ({"page": "two"}, "page"),
        ({"page": "99999999999999999999"}, "page"),  # past 64 bits: no offset to compute
        ({"page": "1000001"}, "page"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "101"}, "page_size"),
        ({"q": ["a", "b"]}, "q"),
        ({"sort": ["date", "date"]}, "sort"),
        ({"page": ["1", "2"]}, "page"),
        ({"page_size": ["10", "10"]}, "page_size"),
        ({"year_min": ["2010", "2011"]}, "year_min"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, library, params, bad):
    response = get(client, params)
    assert response.status_code == 400
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert set(data) == {"error", "details"}
    assert bad in data["error"]
    assert list(data["details"]) == [bad]
    assert all(isinstance(m, str) and m for m in data["details"][bad])


def test_error_messages_are_translated(client, library):
    response = client.get(URL, {"sort": "title"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert json.loads(response.content)["error"] == "Paramètres de requête non valides\xa0: sort."
    response = client.get(URL, {"page": 0}, HTTP_ACCEPT_LANGUAGE="fr")
    assert json.loads(response.content)["details"] == {
        "page": ["Assurez-vous que cette valeur est supérieure ou égale à 1."]}


@pytest.mark.parametrize(
    "q",
    [
        '"mutuelles',
        '"guide de calcul"',
        "mali AND OR NOT",
        "NEAR(mali guide)",
        "mutuelles -mali",
        "title:guide",
        "*",
        "guide*",
        "^mali",
        "()",
        "'; DROP TABLE library_searchentry; --",
        "mutuelles\x00mali",
        "💊 santé ∑ e\u0301tude \u200b\ufeff",
        "\u202eilam",
        "x" * 10_000,
        "mutuelles " * 500,
        "   ",
    ],
)
def test_hostile_queries_are_text(client, library, q):
    data = ok(client, {"q": q, "page_size": 100})
    assert set(data) == {"count", "results", "facets"}


def test_quotes_and_operators_still_find_the_words(client, library):
    assert refs(ok(client, {"q": '"guide" AND cotisations*'})) == ["guide-cotisations"]


def test_cors_like_the_inventory_api(client, library):
    assert get(client)["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(URL)
    assert preflight.status_code == 204
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert client.post(URL).status_code == 405
