"""Rows of the API: the published tables' field names, in their order, with JSON types.

A row is a JSON object with every field of its table, always present: numbers as JSON numbers,
booleans as true/false, missing values (an empty cell of the CSV, an empty string) as null,
`last_updated` in ISO 8601 as the CSV writes it. The mutuals' rows are the identity columns of the
returns table (never the contact person) and the year and status of their latest validated return.
Texts are as typed: where the CSV puts a `'` in front of a text that starts like a spreadsheet
formula (`portal.core.spreadsheets`), the API does not, since programs read JSON and no spreadsheet
runs it.
"""

import math
from datetime import datetime
from decimal import Decimal

from ..contract import schema
from ..models import YearlyReturn
from ..opendata.exports import identity_row, returns_rows

# The returns table's first columns, up to `year`: who the mutual is.
IDENTITY_FIELDS = schema.fields("returns")[: schema.column_names("returns").index("year")]
# Two more fields of the mutuals' rows, described like the published ones (Table Schema fields,
# from the returns table's `year` and `status`, never required: a mutual may have no validated return).
LATEST_FIELDS = [
    {
        "name": "latest_year", "type": "integer", "title": "Latest validated year",
        "title_fr": "Dernière année validée",
        "description": "Reporting year of the mutual's latest validated return; null when it has none.",
        "constraints": {"minimum": schema.field("year")["constraints"]["minimum"]},
    },
    {
        "name": "latest_status", "type": "string", "title": "Status in the latest validated year",
        "title_fr": "Statut de la dernière année validée",
        "description": "Status in the mutual's latest validated return; null when it has none.",
        "constraints": {"enum": schema.enum("status")},
    },
]
MUTUAL_FIELDS = [*IDENTITY_FIELDS, *LATEST_FIELDS]
MUTUAL_COLUMNS = [f["name"] for f in MUTUAL_FIELDS]


def json_value(value, field_type: str):
    """One value as the API writes it (see the module docstring); `field_type` is the schema's."""
    if value is None or (isinstance(value, str) and value == ""):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars from the synthesis frame
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if field_type == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def typed(row: dict, table: str) -> dict:
    """`row` with the published table's columns in order (the contract's, then the portal's
    additions) and JSON values."""
    return {f["name"]: json_value(row.get(f["name"]), f["type"]) for f in schema.published_fields(table)}


def mutual_row(mutual) -> dict:
    """A mutual from `public_mutuals()`: the identity columns as `return_row` writes them, plus
    `latest_year` and `latest_status`."""
    row = {**identity_row(mutual), "latest_year": mutual.latest_year, "latest_status": mutual.latest_status}
    return {f["name"]: json_value(row[f["name"]], f["type"]) for f in MUTUAL_FIELDS}


def mutual_rows(mutuals):
    """Rows of a (sliced) queryset of `public_mutuals()`, read in chunks."""
    for mutual in mutuals.iterator(chunk_size=500):
        yield mutual_row(mutual)


def return_rows(returns):
    """Rows of a (sliced) ordered queryset of public returns, as the CSV download writes them
    (`exports.returns_rows`: indicators, EUR columns): one query for the slice's keys, then the
    export's own chunked reading of those rows only."""
    keys = list(returns.values_list("pk", flat=True))
    for row in returns_rows(YearlyReturn.objects.filter(pk__in=keys)):
        yield typed(row, "returns")
