"""Rows of the published returns table from the database (one row per mutual and year).

Column order, names and value types are the contract's (`schema.column_names()`): identity columns,
the return's columns, `validation_status`, `last_updated`, then the computed indicators. The
downloads (`returns_rows`, `write_returns_csv`) then add the portal's columns at the end
(`schema.published_column_names()`: the money in euros, `returns.extension.json`). Personal
data of contact persons is not a column of this table and so never leaves through it.
"""

from datetime import datetime
from decimal import Decimal

from portal.core.spreadsheets import csv_writer

from ..contract.choices import ReturnState
from ..contract.schema import column_names, published_column_names
from ..models import ExchangeRate, YearlyReturn
from ..returns.indicators import compute_indicators
from .exchange_rates import eur_columns


def _number(value):
    """Decimals from the database as int when whole, else float (the contract's plain numbers)."""
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def identity_row(mutual) -> dict:
    """The identity columns of the returns table for `mutual` (its first ten columns)."""
    return {
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
    }


def return_row(ret: YearlyReturn, previous: YearlyReturn | None = None) -> dict:
    """The returns-table row of `ret`; `previous` is the mutual's validated return of year − 1."""
    row = {**identity_row(ret.mutual), "year": ret.year}
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


def format_cell(value) -> str:
    """One CSV cell as the contract writes it: empty for missing, `true`/`false`, plain decimal
    notation (never 1e-07), ratios with Python's shortest round-trip repr (≥ 6 significant digits),
    datetimes in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        text = repr(value)
        return format(Decimal(text), "f") if "e" in text or "E" in text else text
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def returns_rows(queryset=None):
    """Rows of the published returns table, one per return, streamed in (country, mutual, year)
    order: the contract's columns, then the EUR columns (`exchange_rates.eur_columns`).

    By default the public table: validated returns of public mutuals. Growth and renewal use the
    same mutual's validated return of year − 1.
    """
    queryset = YearlyReturn.objects.public() if queryset is None else queryset
    rates = ExchangeRate.objects.table()
    ordered = queryset.select_related("mutual", "mutual__union").order_by(
        "mutual__country_id", "mutual__mutual_id", "year"
    )
    # In chunks, each with one query for last year's validated members of its mutuals: memory
    # stays flat however large the inventory.
    chunk = []
    for ret in ordered.iterator(chunk_size=CHUNK):
        chunk.append(ret)
        if len(chunk) == CHUNK:
            yield from _rows_of(chunk, rates)
            chunk = []
    yield from _rows_of(chunk, rates)


CHUNK = 2000


def _rows_of(chunk, rates):
    if not chunk:
        return
    wanted = YearlyReturn.objects.validated().filter(
        mutual_id__in={r.mutual_id for r in chunk}, year__in={r.year - 1 for r in chunk}
    ).values_list("mutual_id", "year", "members")
    members = {(mutual_id, year): count for mutual_id, year, count in wanted}
    for ret in chunk:
        key = (ret.mutual_id, ret.year - 1)
        row = return_row(ret, _Previous(members[key]) if key in members else None)
        row.update(eur_columns(row, rates))
        yield row


class _Previous:
    """Stands for last year's validated return where only its member count is needed."""

    def __init__(self, members):
        self.members = members


def write_returns_csv(rows, stream) -> int:
    """Write the header and `rows` to a text stream as UTF-8 CSV; returns the number of rows.

    The published columns: the contract's, then the portal's (empty cells if a row lacks them); a
    text starting like a spreadsheet formula gets a `'` in front (`portal.core.spreadsheets`)."""
    writer = csv_writer(stream, format_value=format_cell, lineterminator="\n")
    columns = published_column_names()
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([row.get(c) for c in columns])
        count += 1
    return count
