"""The library's endpoints in the API's OpenAPI document (`portal.api.openapi.document` merges
them): the query parameters are read from the FilterSets that parse them (`SearchFilter`,
`AutocompleteFilter`: their fields, bounds and labels), so the description cannot drift from what the
endpoints accept; a test checks real responses against the schemas.
"""

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.api.http import MAX_AGE
from portal.api.query import BAD_QUERY, EMPTY_RANGE, MAX_VALUES, ValuesField

from .filters import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_SUGGESTIONS,
    AutocompleteFilter,
    SearchFilter,
)
from .search import FACETS, SORTS

ERROR = {"$ref": "#/components/schemas/Error"}


def _value_schema(field) -> dict:
    if isinstance(field, forms.IntegerField):
        value = {"type": "integer"}
        for validator in field.validators:
            if isinstance(validator, MinValueValidator):
                value["minimum"] = max(value.get("minimum", validator.limit_value), validator.limit_value)
            elif isinstance(validator, MaxValueValidator):
                value["maximum"] = min(value.get("maximum", validator.limit_value), validator.limit_value)
        return value
    if isinstance(field, forms.ChoiceField):  # ValuesField's items too
        choices = [str(code) for code, _label in field.choices]
        return {"type": "string", "enum": choices} if choices else {"type": "string"}
    return {"type": "string"}


def _parameters(filterset_class, *, required=()) -> list[dict]:
    filterset = filterset_class()  # made per request: the year bounds move with the calendar
    params = []
    for name, field in filterset.form.fields.items():
        value = _value_schema(field)
        label = filterset.filters[name].label
        param = {"name": name, "in": "query", "required": name in required,
                 "description": f"{label}. {EMPTY_RANGE}" if name == "year_min" else str(label)}
        if isinstance(field, ValuesField):
            param.update(schema={"type": "array", "items": value, "maxItems": MAX_VALUES}, style="form",
                         explode=True)
        else:
            param["schema"] = value
        params.append(param)
    return params


def _headers() -> dict:
    return {
        "Cache-Control": {"schema": {"type": "string"}, "description": f"public, max-age={MAX_AGE}"},
        "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
    }


def schemas() -> dict:
    counts = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 1},
              "description": _("Value → how many results choosing it would give (the other facets' filters "
                               "applied, not this facet's), most frequent first")}
    return {
        "LibraryHit": {
            "type": "object",
            "required": ["ref", "title", "url", "resource_type", "year", "language", "countries", "themes",
                         "snippet"],
            "additionalProperties": False,
            "properties": {
                "ref": {"type": "string", "description": _("Stable identifier of the resource")},
                "title": {"type": "string"},
                "url": {"type": "string", "description": _("Path of the resource's page on the portal")},
                "resource_type": {"type": "string"},
                "year": {"type": ["integer", "null"]},
                "language": {"type": "string"},
                "countries": {"type": "array", "items": {"type": "string", "pattern": "^[A-Z]{2}$"}},
                "themes": {"type": "array", "items": {"type": "string"}},
                "snippet": {"type": "string", "description": _(
                    "HTML: an escaped extract of the summary or text, the matched words in <mark>")},
            },
        },
        "LibrarySearchResult": {
            "type": "object",
            "required": ["count", "results", "facets"],
            "additionalProperties": False,
            "properties": {
                "count": {"type": "integer", "minimum": 0, "description": _("Resources matching")},
                "results": {"type": "array", "items": {"$ref": "#/components/schemas/LibraryHit"}},
                "facets": {
                    "type": "object",
                    "required": list(FACETS),
                    "additionalProperties": False,
                    "properties": dict.fromkeys(FACETS, counts),
                },
            },
        },
        "LibrarySuggestions": {
            "type": "object",
            "required": ["results"],
            "additionalProperties": False,
            "properties": {
                "results": {"type": "array", "items": {
                    "type": "object", "required": ["title", "url"], "additionalProperties": False,
                    "properties": {"title": {"type": "string"}, "url": {"type": "string"}},
                }},
            },
        },
    }


def paths() -> dict:
    errors = {"application/json": {"schema": ERROR}}
    bad = {"description": str(BAD_QUERY), "content": errors}
    not_allowed = {"description": _("A method other than GET, HEAD or OPTIONS"), "content": errors}

    def ok(description, component):
        return {"description": description, "headers": _headers(),
                "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}}}

    search = _parameters(SearchFilter)
    for param in search:
        if param["name"] == "sort":
            param["schema"]["default"] = SORTS[0]
        if param["name"] == "page_size":
            param["schema"]["default"] = DEFAULT_PAGE_SIZE
    suggestions = _parameters(AutocompleteFilter, required=("q",))
    suggestions[-1]["schema"]["default"] = DEFAULT_SUGGESTIONS
    return {
        reverse("api:library_search"): {"get": {
            "operationId": "search_library",
            "summary": _("The library's faceted search: one page of resources and project profiles, "
                         "with every facet's counts"),
            "parameters": search,
            "responses": {
                "200": ok(_("One page of results, with the facets"), "LibrarySearchResult"),
                "400": bad,
                "404": {"description": _("A page past the last"), "content": errors},
                "405": not_allowed,
            },
        }},
        reverse("api:library_autocomplete"): {"get": {
            "operationId": "autocomplete_library_titles",
            "summary": _("Titles holding every word typed, the last one possibly incomplete (for a "
                         "search box's suggestions)"),
            "parameters": suggestions,
            "responses": {
                "200": ok(_("Matching titles and their pages, alphabetically"), "LibrarySuggestions"),
                "400": bad,
                "405": not_allowed,
            },
        }},
    }
