"""Rows of the published returns table from the database (one row per mutual and year).

Column order, names and value types are the contract's (`schema.column_names()`): identity columns,
the return's columns, `validation_status`, `last_updated`, then the computed indicators. The
downloads (`returns_rows`, `write_returns_csv`) then add the portal's columns at the end
(`schema.published_column_names()`: the money in euros, `returns.extension.json`). Personal
data of contact persons is not a column of this table and so never leaves through it.

Two ways to the same table: `returns_rows` (a dict per return: the API's pages, a few rows) and
`returns_frames` (the whole table in chunks of `FRAME_CHUNK` returns, each a pandas frame computed
column-wise with the synthesis' `indicators_frame`: the downloads and `export_inventory`).
`returns_csv_text` writes a chunk as CSV a column at a time; the bytes are those of
`write_returns_csv` over `returns_rows` (`tests/inventory/test_export_frames.py` compares them).
`returns_xlsx_rows` writes a chunk as the workbook sheet's `<row>` elements the same way, the XML
openpyxl writes for the same rows (`tests/inventory/test_export_xlsx.py` compares them).
"""

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np
import pandas as pd
from django.db.models.sql.constants import MULTI

from portal.core.spreadsheets import (
    XLSX_EMPTY,
    csv_cells,
    csv_column,
    csv_rows_text,
    csv_writer,
    xlsx_column_ends,
    xlsx_openings,
    xlsx_rows_xml,
    xlsx_string_end,
)

from ..contract.choices import ReturnState
from ..contract.schema import column_names, indicator_names, published_column_names, published_fields
from ..models import ExchangeRate, YearlyReturn
from ..returns.indicators import compute_indicators
from .exchange_rates import MONEY_COLUMNS, _plain, eur_columns, rate_for, to_eur


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


# --- The table in chunks of columns ----------------------------------------------------------------

# How a published column is written: the contract's type, and for numbers whether a whole value is
# written as an integer (a decimal of the database, money in euros) or always as a float (a ratio).
TEXT, INTEGER, DECIMAL, RATIO = "text", "integer", "decimal", "ratio"
BOOLEAN, DATETIME = "boolean", "datetime"
FRAME_CHUNK = 5_000
# Beyond this a decimal's float may not tell whole from not (nor a cent from the next): such a
# chunk's column keeps the row path's Python values, written cell by cell.
EXACT_LIMIT = 1e12
_IDENTITY = {
    "mutual__mutual_id": "mutual_id", "mutual__name": "mutual_name", "mutual__acronym": "acronym",
    "mutual__country_id": "country", "mutual__region": "region", "mutual__locality": "locality",
    "mutual__year_created": "year_created", "mutual__mutual_type": "mutual_type",
    "mutual__legal_status": "legal_status", "mutual__union__name": "union",
}


def column_kinds() -> dict[str, str]:
    """{published column: its kind} (`TEXT`, `INTEGER`, `DECIMAL`, `RATIO`, `BOOLEAN`, `DATETIME`)."""
    ratios = set(indicator_names())
    kinds = {"string": TEXT, "integer": INTEGER, "boolean": BOOLEAN, "datetime": DATETIME}
    return {
        f["name"]: (RATIO if f["name"] in ratios else DECIMAL) if f["type"] == "number" else kinds[f["type"]]
        for f in published_fields()
    }


def returns_frames(queryset=None, chunk_size: int = FRAME_CHUNK) -> Iterator[pd.DataFrame]:
    """The rows of `returns_rows(queryset)`, in its order, as frames of `chunk_size` returns in the
    published columns: texts, booleans and datetimes as Python values (None when missing), integers,
    ratios and decimals as floats (NaN when missing; a column holding a decimal beyond `EXACT_LIMIT`
    keeps `returns_rows`' ints and floats). One query reads the returns' columns (values, never
    model instances); each chunk adds one query for last year's validated members of its mutuals.
    Memory stays flat: a chunk at a time."""
    queryset = YearlyReturn.objects.public() if queryset is None else queryset
    rates = ExchangeRate.objects.table()
    data = [n for n in YearlyReturn.data_field_names() if n != "warning_comments"]
    values = queryset.order_by("mutual__country_id", "mutual__mutual_id", "year").values_list(
        *_IDENTITY, "mutual_id", "year", "state", *data, "updated_at"
    )
    names = [*_IDENTITY.values(), "_pk", "year", "_state", *data, "last_updated"]
    kinds = column_kinds()
    # The query's rows as the database driver gives them, a `fetchmany` at a time; Django's
    # converters (which make the values of `values_list`) run per column, on its distinct values.
    compiler = values.query.get_compiler(values.db)
    fetched = compiler.execute_sql(MULTI, chunked_fetch=True, chunk_size=chunk_size) or ()
    converters = compiler.get_converters([s[0] for s in compiler.select[:compiler.col_count]])
    converters = {names[i]: convert for i, convert in converters.items()}
    batch = []
    for rows in fetched:
        batch.extend(rows)
        while len(batch) >= chunk_size:
            yield _frame_of(_raw_columns(names, batch[:chunk_size]), converters, compiler, kinds, rates)
            del batch[:chunk_size]
    if batch:
        yield _frame_of(_raw_columns(names, batch), converters, compiler, kinds, rates)


def _raw_columns(names: list[str], rows: list) -> dict:
    return dict(zip(names, zip(*rows, strict=True), strict=True))


def _converted(values, converter, compiler) -> list:
    """`values` through Django's converters of their column (`converter`: (functions, expression)),
    each distinct value once."""
    functions, expression = converter
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    converted = []
    for value in uniques.tolist():
        for function in functions:
            value = function(value, expression, compiler.connection)
        converted.append(value)
    converted.append(None)  # code -1: NULL
    taken = np.empty(len(converted), dtype=object)
    taken[:] = converted
    return taken[codes].tolist()


def _frame_of(raw: dict, converters: dict, compiler, kinds: dict, rates) -> pd.DataFrame:
    from .synthesis import indicators_frame

    columns = {}
    for name, values in raw.items():
        kind = kinds.get(name)
        if kind in (INTEGER, DECIMAL) or name == "_pk":
            numbers = np.array(values, dtype=float)
            if kind == DECIMAL and name in converters:
                # The driver's numbers are the decimals' floats when they have their decimal places
                # (SQLite's REAL, PostgreSQL's Decimal); else the exact values, as `values_list` gives.
                with np.errstate(invalid="ignore"):
                    exact = (np.abs(numbers) >= EXACT_LIMIT).any() or (
                        np.round(numbers, 2) != numbers)[~np.isnan(numbers)].any()
                if exact:
                    values = _converted(values, converters[name], compiler)
                    numbers = np.array(values, dtype=float)
            if kind == DECIMAL and (np.abs(numbers) >= EXACT_LIMIT).any():
                columns[name] = pd.Series([_number(v) for v in values], dtype=object)
            else:
                columns[name] = numbers
        else:
            if name in converters:
                values = _converted(values, converters[name], compiler)
            column = np.empty(len(values), dtype=object)
            column[:] = values
            columns[name] = column
    columns["union"][pd.isna(columns["union"])] = ""
    state = columns.pop("_state")
    columns["validation_status"] = np.where(
        state == ReturnState.VALIDATED, "validated", np.where(state == ReturnState.SUBMITTED, "submitted", "")
    ).astype(object)
    frame = pd.DataFrame(columns)
    frame["last_members"] = _last_members(frame)
    for name, computed in indicators_frame(frame).items():
        frame[name] = computed.to_numpy(dtype=float)
    for name, computed in _eur_frame(frame, rates).items():
        frame[name] = computed
    return frame.reindex(columns=published_column_names())


def _last_members(frame: pd.DataFrame) -> np.ndarray:
    """Each return's mutual's validated members of year − 1 (NaN when there is none)."""
    pks = frame["_pk"].astype(np.int64)
    wanted = YearlyReturn.objects.validated().filter(
        mutual_id__in=set(pks.tolist()), year__in=set((frame["year"] - 1).astype(int).tolist())
    ).values_list("mutual_id", "year", "members")
    last = pd.DataFrame.from_records(list(wanted), columns=["_pk", "_year", "_members"])
    keys = pd.MultiIndex.from_arrays([pks, frame["year"].astype(np.int64) - 1])
    found = pd.Series(last["_members"].to_numpy(dtype=float),
                      index=pd.MultiIndex.from_arrays([last["_pk"].astype(np.int64),
                                                       last["_year"].astype(np.int64)]))
    return found.reindex(keys).to_numpy(dtype=float)


def _eur_frame(frame: pd.DataFrame, rates) -> dict:
    """`exchange_rates.eur_columns`, column-wise: the rate and its source per (currency, year), then
    each amount divided and rounded half up to the cent in floats. A cell whose float is within
    reach of a half cent (or beyond `EXACT_LIMIT`) is computed by `to_eur` itself, so the figures are
    `eur_columns`' to the cent."""
    currency = frame["currency"].fillna("")
    codes, pairs = pd.factorize(pd.MultiIndex.from_arrays([currency, frame["year"].astype(np.int64)]))
    found = [rate_for(cur, year, rates) for cur, year in pairs]
    rate_values = [_plain(rate) for rate, _source in found]
    added = {
        "eur_rate": _column(rate_values, codes),
        "eur_rate_source": np.array([str(source) for _rate, source in found], dtype=object)[codes],
    }
    divisor = np.array([float(rate) if rate is not None else np.nan for rate, _source in found])[codes]
    for name in MONEY_COLUMNS:
        amounts = frame[name]
        floats = amounts.to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            cents = floats / divisor * 100
            size = np.abs(cents)
            rounded = np.sign(cents) * np.floor(size + 0.5)
            doubtful = (np.abs(size - np.floor(size) - 0.5) < 1e-6 + size * 1e-13) | (size >= EXACT_LIMIT)
        doubtful &= ~np.isnan(cents)
        euros = rounded / 100
        if doubtful.any():
            values = amounts.tolist() if amounts.dtype == object else [
                None if v != v else int(v) if name != "average_episode_cost" and v == int(v) else v
                for v in floats.tolist()]
            # Python values as `_plain` gives them: an int when whole.
            euros = np.array([None if e != e else int(e) if e == int(e) else e for e in euros.tolist()],
                             dtype=object)
            for i in np.flatnonzero(doubtful):
                euros[i] = _plain(to_eur(values[i], currency.iloc[i], int(frame["year"].iloc[i]), rates))
        added[f"{name}_eur"] = euros
    return added


def _column(values: list, codes: np.ndarray):
    """`values` (one per code) taken by `codes`: floats, or Python values if one is beyond `EXACT_LIMIT`."""
    numbers = np.array([np.nan if v is None else float(v) for v in values] + [np.nan])[codes]
    if any(v is not None and abs(v) >= EXACT_LIMIT for v in values):
        return np.array([*values, None], dtype=object)[codes]
    return numbers


def returns_csv_text(frame: pd.DataFrame, kinds: dict | None = None) -> str:
    """The CSV lines of a chunk of `returns_frames` (no header), written a column at a time: the
    bytes `write_returns_csv` writes for the same rows."""
    kinds = column_kinds() if kinds is None else kinds
    return csv_rows_text([csv_cells_of(frame[name], kinds[name]) for name in frame.columns])


def csv_cells_of(column: pd.Series, kind: str) -> list[str]:
    """One column's cells as `format_cell` and the portal's CSV writer write them. Texts, booleans
    and datetimes: each distinct value once (`spreadsheets.csv_column`). Numbers: in NumPy, floats
    by Python's shortest `repr`, whole decimals and integers as integers; a float that `repr` writes
    with an exponent through `format_cell`. A column of Python values (`dtype` object) cell by cell."""
    if kind in (TEXT, BOOLEAN, DATETIME):
        return csv_column(column.to_numpy(dtype=object), format_cell)
    if column.dtype == object:
        return csv_cells([None if v is None or v != v else v for v in column.tolist()], format_cell)
    numbers = column.to_numpy(dtype=float)
    cells = np.full(len(numbers), "", dtype=object)
    present = ~np.isnan(numbers)
    if kind == RATIO:
        whole = np.zeros(len(numbers), dtype=bool)
    else:
        whole = present & (numbers == np.floor(numbers)) & (np.abs(numbers) < 2**53)
    if whole.any():
        cells[whole] = list(map(str, numbers[whole].astype(np.int64).tolist()))
    rest = present & ~whole
    if rest.any():
        cells[rest] = list(map(repr, numbers[rest].tolist()))
        size = np.abs(numbers)
        for i in np.flatnonzero(rest & ((size >= 1e16) | ((size < 1e-4) & (numbers != 0)))):
            cells[i] = format_cell(float(numbers[i]))
    return cells.tolist()


def returns_xlsx_rows(frame: pd.DataFrame, first_row: int, date_style: Callable[[], int],
                      kinds: dict | None = None) -> Iterator[str]:
    """The `<row>` elements (one at a time) of a chunk of `returns_frames` in a worksheet (its first
    row numbered `first_row`), written a column at a time: the cells openpyxl's write-only sheet
    writes for the same rows given one by one (`datasets.XlsxSheet.write`): see `xlsx_cells_of`.
    `date_style()` is the style of the datetimes' cells (asked once a datetime is written)."""
    kinds = column_kinds() if kinds is None else kinds
    openings = xlsx_openings(len(frame.columns))
    return xlsx_rows_xml([xlsx_cells_of(frame[name], kinds[name], after, date_style)
                          for name, after in zip(frame.columns, openings, strict=True)], first_row)


def xlsx_cells_of(column: pd.Series, kind: str, after: str, date_style: Callable[[], int]) -> list[str]:
    """One column's cells in the worksheet's XML (each the end of its `<c>` element, then `after`).
    Texts: typed strings (`spreadsheets.xlsx_string_end`, each distinct value once). Numbers as
    openpyxl writes them (`%.16g`): integers and whole decimals as ints (so never `-0`), ratios and
    other decimals as floats; datetimes as Excel's serial days in UTC, in the style showing `UTC`
    (`date_style`); booleans as `1`/`0`. A missing value is an empty string cell (`XLSX_EMPTY`)."""
    if kind == TEXT:
        return xlsx_column_ends(column.to_numpy(dtype=object), xlsx_string_end, after)
    if kind == BOOLEAN:
        return xlsx_column_ends(column.to_numpy(dtype=object), _xlsx_boolean_end, after)
    if kind == DATETIME:
        return _xlsx_datetime_cells(column, after, date_style)
    if column.dtype == object:
        return xlsx_column_ends(column.to_numpy(dtype=object), _xlsx_number_end, after)
    numbers = column.to_numpy(dtype=float)
    cells = np.full(len(numbers), XLSX_EMPTY + after, dtype=object)
    present = ~np.isnan(numbers)
    if kind != RATIO:
        # As ints (`python_columns` of old, `_number`): -0.0 is 0. A float beyond 2**53 prints alike.
        whole = present & (np.floor(numbers) == numbers)
        numbers = np.where(whole, numbers + 0.0, numbers)
    finite = present & np.isfinite(numbers)
    if finite.any():
        cells[finite] = list(map((' t="n"><v>%.16g</v></c>' + after.replace("%", "%%")).__mod__,
                                 numbers[finite].tolist()))
    if (present & ~finite).any():
        cells[present & ~finite] = ' t="n"><v /></c>' + after  # openpyxl's `safe_string` of ±inf
    return cells.tolist()


def _xlsx_boolean_end(value) -> str:
    return f' t="b"><v>{1 if value else 0}</v></c>'


def _xlsx_number_end(value) -> str:
    """A number of a column of Python values (beyond `EXACT_LIMIT`), as openpyxl writes it."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return XLSX_EMPTY if value != value else ' t="n"><v /></c>'
    return f' t="n"><v>{value:.16g}</v></c>'


# Excel's day 0 (openpyxl's `WINDOWS_EPOCH`): serial days count from it.
_EXCEL_EPOCH = np.datetime64("1899-12-30T00:00:00", "us")
_DAY_US = 86_400_000_000


def _xlsx_datetime_cells(column: pd.Series, after: str, date_style: Callable[[], int]) -> list[str]:
    """Datetimes in UTC as Excel's serial days, computed as openpyxl's `to_excel` does (whole days
    from the epoch, one less before 1 March 1900, plus the seconds of the day with their
    microseconds over 86,400), in NumPy: the same floats."""
    values = column.to_numpy(dtype=object)
    present = pd.notna(values)
    cells = np.full(len(values), XLSX_EMPTY + after, dtype=object)
    if present.any():
        naive = [v.astimezone(UTC).replace(tzinfo=None) if v.tzinfo else v for v in values[present]]
        stamps = np.array(naive, dtype="datetime64[us]")
        micros = (stamps - _EXCEL_EPOCH).astype(np.int64)
        days, of_day = np.divmod(micros, _DAY_US)
        days = np.where((days > 0) & (days <= 60), days - 1, days)
        seconds, micro = np.divmod(of_day, 1_000_000)
        serials = days + (seconds + micro / 10**6) / 86400
        template = f' s="{date_style()}" t="n"><v>%.16g</v></c>' + after.replace("%", "%%")
        cells[present] = list(map(template.__mod__, serials.tolist()))
    return cells.tolist()


def returns_csv_chunks(frames: Iterable[pd.DataFrame]) -> Iterator[str]:
    """The returns table as CSV text: the header line, then the lines of each chunk of `frames`
    (`returns_frames`): what the download streams and `export_inventory` writes."""
    kinds = column_kinds()
    yield csv_rows_text([csv_column([name]) for name in published_column_names()])
    for frame in frames:
        yield returns_csv_text(frame, kinds)


def write_returns_frames_csv(frames: Iterable[pd.DataFrame], stream) -> int:
    """Write the header and `frames` (`returns_frames`) to a text stream as the contract's CSV;
    returns the number of rows."""
    count = 0

    def counted():
        nonlocal count
        for frame in frames:
            count += len(frame)
            yield frame

    for text in returns_csv_chunks(counted()):
        stream.write(text)
    return count
