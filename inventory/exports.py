"""Rows of the published returns table from the database (one row per mutual and year).

Column order, names and value types are the contract's (`schema.column_names()`): identity columns,
the return's columns, `validation_status`, `last_updated`, then the computed indicators. Personal
data of contact persons is not a column of this table and so never leaves through it.
"""

from .choices import ReturnState
from .indicators import compute_indicators
from .models import YearlyReturn
from .schema import column_names


def _number(value):
    """Decimals from the database as int when whole, else float (the contract's plain numbers)."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def return_row(ret: YearlyReturn, previous: YearlyReturn | None = None) -> dict:
    """The returns-table row of `ret`; `previous` is the mutual's validated return of year − 1."""
    mutual = ret.mutual
    row = {
        "mutual_id": mutual.mutual_id,
        "mutual_name": mutual.name,
        "acronym": mutual.acronym,
        "country": mutual.country_id,
        "region": mutual.region,
        "locality": mutual.locality,
        "year_created": mutual.year_created,
        "mutual_type": mutual.mutual_type,
        "legal_status": mutual.legal_status,
        "union": mutual.union.name if mutual.union_id else "",
        "year": ret.year,
    }
    for name in YearlyReturn.data_field_names():
        if name == "warning_comments":
            continue
        value = getattr(ret, name)
        row[name] = _number(value) if name in _DECIMALS else value
    row["validation_status"] = (
        "validated" if ret.state == ReturnState.VALIDATED
        else "submitted" if ret.state == ReturnState.SUBMITTED else ""
    )
    row["last_updated"] = ret.updated_at
    prev_row = {"members": previous.members} if previous else None
    row.update(compute_indicators(row, prev_row))
    return {name: row.get(name) for name in column_names()}


_DECIMALS = {
    f.name for f in YearlyReturn._meta.concrete_fields if f.get_internal_type() == "DecimalField"
}
