"""The inventory's endpoints in the API's OpenAPI 3.1 document (`portal.api.openapi.document`
merges them), generated rather than written: the rows' properties from the published Table Schemas
(names, order, types, titles in English and French, descriptions, codes, patterns, bounds) and the
query parameters from the filtersets (type and codes from the field each filter names). A test checks
every documented field is in the responses and vice versa.
"""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.api.http import DEFAULT_PAGE_SIZE, MAX_AGE, MAX_PAGE_SIZE
from portal.api.query import BAD_QUERY, EMPTY_RANGE, last_year

from ..contract import schema
from .filters import (
    FIRST_YEAR,
    CodesFilter,
    MutualApiFilter,
    NamesFilter,
    ReturnApiFilter,
    SynthesisApiFilter,
    YearFilter,
)
from .rows import MUTUAL_FIELDS

# Table Schema type -> JSON Schema type (and format).
TYPES = {
    "string": ("string", None), "integer": ("integer", None), "number": ("number", None),
    "boolean": ("boolean", None), "datetime": ("string", "date-time"),
}
ERROR = {"$ref": "#/components/schemas/Error"}


def endpoints():
    """(url name, component, filterset, Table Schema fields, summary) of each list endpoint."""
    return [
        ("mutuals", "Mutual", MutualApiFilter, MUTUAL_FIELDS,
         _("Public mutuals: identity columns of the returns table and their latest validated year")),
        ("returns", "Return", ReturnApiFilter, schema.published_fields("returns"),
         _("The public returns table: validated returns of public mutuals, one row per mutual and year")),
        ("synthesis", "SynthesisRow", SynthesisApiFilter, schema.published_fields("synthesis"),
         _("The synthesis table: one row per country and year, and for ALL countries together")),
    ]


def property_schema(field: dict) -> dict:
    """A Table Schema field as a JSON Schema property. A field the schema does not require may be
    null (an empty cell of the CSV)."""
    constraints = field.get("constraints", {})
    required = constraints.get("required", False)
    kind, fmt = TYPES[field["type"]]
    prop = {"type": kind if required else [kind, "null"], "title": field["title"]}
    if "title_fr" in field:
        prop["x-title-fr"] = field["title_fr"]
    if "description" in field:
        prop["description"] = field["description"]
    if fmt:
        prop["format"] = fmt
    if "enum" in constraints:
        prop["enum"] = [*constraints["enum"], *([] if required else [None])]
    for key in ("pattern", "minimum", "maximum"):
        if key in constraints:
            prop[key] = constraints[key]
    return prop


def row_schema(fields: list[dict], primary_key: list[str] | None = None) -> dict:
    """Every field is always present, in the table's order (`x-column-order`)."""
    names = [f["name"] for f in fields]
    result = {
        "type": "object",
        "properties": {f["name"]: property_schema(f) for f in fields},
        "required": names,
        "additionalProperties": False,
        "x-column-order": names,
    }
    if primary_key:
        result["x-primary-key"] = primary_key
    return result


def _value_schema(flt) -> dict:
    if isinstance(flt, YearFilter):
        return {"type": "integer", "minimum": FIRST_YEAR, "maximum": last_year()}
    if flt.schema_field is None:
        return {"type": "string"}
    prop = property_schema(schema.field(flt.schema_field, flt.table))
    kind = prop["type"][0] if isinstance(prop["type"], list) else prop["type"]
    value = {"type": kind}
    choices = flt.extra.get("choices") if isinstance(flt, CodesFilter) else None
    if "enum" in prop:
        value["enum"] = [code for code in prop["enum"] if code is not None]
    elif choices is not None:  # codes read from the database (the countries): the ones it holds today
        value["enum"] = [str(code) for code, _label in (choices() if callable(choices) else choices)]
    elif "pattern" in prop:
        value["pattern"] = prop["pattern"]
    if isinstance(flt, NamesFilter):
        value["minLength"] = 1
    return value


def parameter(name: str, flt) -> dict:
    value = _value_schema(flt)
    description = f"{flt.label}. {EMPTY_RANGE}" if name == "year_min" else str(flt.label)
    param = {"name": name, "in": "query", "required": False, "description": description}
    if getattr(flt, "many", False):
        param.update(schema={"type": "array", "items": value}, style="form", explode=True)
    else:
        param["schema"] = value
    return param


PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "page_size", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}},
]


def _page_schema(component: str) -> dict:
    link = {"type": ["string", "null"], "format": "uri"}
    return {
        "type": "object",
        "required": ["count", "next", "previous", "results"],
        "additionalProperties": False,
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": _("Rows matching the filters")},
            "next": {**link, "description": _("Absolute link to the next page; null on the last")},
            "previous": {**link, "description": _("Absolute link to the previous page; null on the first")},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{component}"}},
        },
    }


def _operation(name: str, component: str, filterset, summary: str) -> dict:
    headers = {
        "ETag": {"schema": {"type": "string"},
                 "description": _("Changes with the inventory; send it back in If-None-Match")},
        "Last-Modified": {"schema": {"type": "string"}, "description": _("Last change of the inventory")},
        "Cache-Control": {"schema": {"type": "string"}, "description": f"public, max-age={MAX_AGE}"},
        "Access-Control-Allow-Origin": {"schema": {"type": "string", "const": "*"}},
    }
    errors = {"application/json": {"schema": ERROR}}
    return {
        "get": {
            "operationId": f"list_{name}",
            "summary": summary,
            "parameters": [parameter(n, f) for n, f in filterset.base_filters.items()]
            + [dict(p, description=d) for p, d in zip(PAGE_PARAMETERS, (
                _("Page number, from 1"),
                _("Rows per page (at most %(max)s)") % {"max": MAX_PAGE_SIZE}), strict=True)],
            "responses": {
                "200": {"description": _("One page of rows, in a stable order"), "headers": headers,
                        "content": {"application/json": {"schema": _page_schema(component)}}},
                "304": {"description": _("Not modified: the ETag or date sent is still current")},
                "400": {"description": str(BAD_QUERY), "content": errors},
                "404": {"description": _("A page past the last"), "content": errors},
                "405": {"description": _("A method other than GET, HEAD or OPTIONS"), "content": errors},
            },
        }
    }


def _primary_key(name: str) -> list[str]:
    return ["mutual_id"] if name == "mutuals" else schema.published(name)["primaryKey"]


def schemas() -> dict:
    """The rows' schemas, by component name."""
    return {
        component: row_schema(fields, _primary_key(name)) for name, component, _f, fields, _s in endpoints()
    }


def paths() -> dict:
    """The inventory's endpoints, by path."""
    return {
        reverse(f"api:{name}"): _operation(name, component, filterset, summary)
        for name, component, filterset, _fields, summary in endpoints()
    }
