"""The API's OpenAPI 3.1 document: each domain describes its own endpoints (`inventory.api.openapi`
from the Table Schemas and its filters, `library.openapi` from its FilterSets); this module merges
their paths and schemas under one `info`, the server the client called, and the shared `Error`
schema (`http.ApiError`'s body)."""

from django.utils.translation import gettext as _

from inventory.api import openapi as inventory_openapi
from library import openapi as library_openapi


def error_schema() -> dict:
    return {
        "type": "object",
        "required": ["error", "details"],
        "properties": {
            "error": {"type": "string"},
            "details": {
                "type": "object", "description": _("Messages by query parameter"),
                "additionalProperties": {"type": "array", "items": {"type": "string"}},
            },
        },
    }


def document(request) -> dict:
    """The OpenAPI 3.1 document of the API, with absolute server URL."""
    schemas = {**inventory_openapi.schemas(), "Error": error_schema(), **library_openapi.schemas()}
    paths = {**inventory_openapi.paths(), **library_openapi.paths()}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": _("Mutual health portal: data API (inventory and library)"),
            "version": "1.0",
            "description": _(
                "Read-only JSON access to the public inventory: validated returns of public mutuals "
                "only, never personal data. Field names, order and codes are those of the published "
                "Table Schemas (returns.schema.json, synthesis.schema.json); a missing value is null. "
                "Free to use on condition that the source is cited. Several values of a filter: repeat "
                "the parameter, or separate codes with commas. Messages follow Accept-Language. "
                "The library's endpoints search the published resources and project profiles."
            ),
        },
        "servers": [{"url": request.build_absolute_uri("/").rstrip("/")}],
        "paths": paths,
        "components": {"schemas": schemas},
    }
