"""The synthesis table of `synthesis.schema.json`, computed from the public returns table.

`compute_synthesis(returns, mutuals)` is pure (pandas frames in, a frame out) and follows
`../shared/inventory/README.md` to the letter:

- one row per country and year in which the country has at least one validated return, plus one
  row per such year with country `ALL` for every country together;
- `mutuals_known`: mutuals of the country whose `year_created` is empty or not after the year and
  that have no validated return with status `closed` in an earlier year;
- `mutuals_reporting`: mutuals with a validated return for the year; `response_rate` their share of
  the mutuals known (empty when none is known);
- counts by status over every validated return of the year;
- sums, penetration and medians over the validated returns whose status is `functional`: sums
  ignore missing values and are empty when no return has a value; penetration is
  sum(beneficiaries) / sum(target_population) over returns with both and a target above 0;
  each median (midpoint of the two middle values for an even count) runs over the returns where the
  indicator is computable, `_n` says how many (0 when none, the median then empty);
- for `ALL`, `average_episode_cost_median` and `_n` are empty (currencies differ).

The database side reads only the columns the synthesis uses (the mutual's key, country, year,
status and twelve figures, cast to floats by the database) in one query straight into a frame
(`synthesis_returns`: the ORM's SQL, fetched as `pd.read_sql` does), then the indicators column-wise
(`with_indicators`, the same definitions as `indicators.py`). `returns_frame` (the wide table in the
contract's columns) stays for the country pages and the tests.

The table is computed in the worker (`refresh_synthesis`, run by `inventory.opendata.refresh` after
every change of a return, mutual, union or country, which bumps the inventory's version counter) and
stored in the cache shared by every process, under its version and as the newest table.
`current_synthesis()` only reads: a request never pays the recompute; for the time the worker
takes, it gets the previous table.

The worker updates the newest table in place rather than recomputing it: where the version is bumped
(`signals.py`), the (country, year) pairs the change touched are recorded with the version
(`record_changes`); a return's change touches its year and the next year in its country
(`return_change_pairs`: growth and renewal divide by the previous year's members), a mutual moved or
made public or private every year of its validated returns in both countries
(`mutual_change_pairs`). `update_synthesis` recomputes those rows and the `ALL` rows of their years
from the returns of those years (and the year before) read again, keeps the others, and recomputes
`mutuals_known` and the response rate of every row from the mutuals and the closed returns (a year of
creation or a closing moves every later year; cheap). The closed returns are kept beside the newest
table and updated from the years read again. Whenever unsure — no table, a record missing or marked
unsure (a bump that failed), another revision of the computation (`REVISION`), more than
`MAX_CHANGED_YEARS` years touched — the whole table is recomputed. `test_synthesis_incremental.py`
checks on random sequences of changes that the update equals a full recompute.

Figures (`bench/synthesis.py`, docs/benchmarks.md, 2026-12-07 on a shared 2-core machine): the full
recompute 0.8 to 1.7 × (`pd.read_sql` of the columns used + a bare groupby) at 100,000 and 500,000
returns (it was ≈ 60 × the groupby alone); one validation, then the worker's update, 0.5 to 0.8 s at
500,000 returns (it was a full recompute, 12.6 s).
"""

import logging
from collections.abc import Iterator

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import FloatField
from django.db.models.functions import Cast

from portal.core.spreadsheets import csv_writer

from ..contract import schema

logger = logging.getLogger(__name__)

STATUSES = ["project", "setup", "functional", "dormant", "closed"]
SUMS = ["target_population", "members", "beneficiaries"]
MONEY = [
    "contribution_amount", "contributions_due", "contributions_collected", "benefits_paid",
    "operating_expenses", "subsidies", "other_income", "reserves",
]


def indicator_columns() -> list[str]:
    return schema.indicator_names()


def synthesis_columns() -> list[str]:
    return schema.column_names("synthesis")


# --- The pure computation -----------------------------------------------------------------------

ALL = "ALL"
KEYS = ["country", "year"]
# The reported figures the synthesis reads (its sums and the indicators' terms), beyond the mutual,
# its country, the year and the status.
FIGURES = [
    "target_population", "members", "beneficiaries", "renewed_members", "contributions_due",
    "contributions_collected", "care_episodes", "benefits_paid", "operating_expenses", "other_income",
    "subsidies", "reserves",
]
# Bumped when the computation changes: a cached table of another revision is never updated in place.
REVISION = 2


def compute_synthesis(returns: pd.DataFrame, mutuals: pd.DataFrame, closed: pd.Series | None = None
                      ) -> pd.DataFrame:
    """The synthesis table from the validated returns (`mutual_id`, `country`, `year`, `status`, the
    sums and the indicators; the returns table's columns will do) and the mutuals of the inventory
    (`mutual_id`, `country`, `year_created`). `mutual_id` is any key of a mutual, the same in both
    (the worker uses the primary key); a mutual has one return a year.

    `closed`: the first year of a validated `closed` return by mutual (`first_closed`), by default
    from `returns`.

    Returns a frame with exactly the synthesis columns, ordered by country (`ALL` last) and year;
    missing values are NaN (integers as pandas' nullable Int64 with <NA>).
    """
    if returns.empty:
        return pd.DataFrame(columns=synthesis_columns())
    returns = _numeric(returns)
    closed = first_closed(returns) if closed is None else closed
    table = pd.concat([_aggregate(returns, by_country=True), _aggregate(returns, by_country=False)])
    return _finish(table, mutuals, closed)


def update_synthesis(previous: pd.DataFrame, returns: pd.DataFrame, mutuals: pd.DataFrame,
                     closed: pd.Series, pairs) -> pd.DataFrame:
    """`previous` (a table of `compute_synthesis`) brought up to date after changes that touched the
    (country, year) `pairs` (`return_change_pairs`, `mutual_change_pairs`): those rows and the `ALL`
    rows of their years are recomputed from `returns` (the validated returns of at least those
    years: other years are ignored), the others kept; `mutuals_known` and `response_rate` are
    recomputed everywhere from `mutuals` and `closed` (cheap, and a mutual's creation or closing
    year moves them in every later year). Equal to `compute_synthesis` on the whole inventory."""
    pairs = sorted({(country, int(year)) for country, year in pairs if country != ALL})
    years = sorted({year for _country, year in pairs})
    if previous.empty:
        previous = pd.DataFrame(columns=synthesis_columns())
    returns = _numeric(returns)
    current = returns.loc[returns["year"].isin(years)]
    wanted = pd.MultiIndex.from_tuples(pairs, names=KEYS) if pairs else None
    keys = pd.MultiIndex.from_arrays([current["country"], current["year"]])
    mine = current.loc[keys.isin(wanted)] if pairs else current.iloc[:0]
    fresh = [_aggregate(mine, by_country=True), _aggregate(current, by_country=False)]
    before = pd.MultiIndex.from_arrays([previous["country"], previous["year"].astype(int)])
    stale = (previous["country"] == ALL) & previous["year"].isin(years)
    if pairs:
        stale |= before.isin(wanted)
    kept = previous.loc[~stale.to_numpy(dtype=bool)]
    kept = kept.set_index(pd.MultiIndex.from_arrays([kept["country"], kept["year"].astype(int)], names=KEYS))
    kept = kept.drop(columns=KEYS).astype(float)
    table = pd.concat([kept, *(f for f in fresh if not f.empty)])
    if table.empty:
        return pd.DataFrame(columns=synthesis_columns())
    return _finish(table, mutuals, closed)


def first_closed(returns: pd.DataFrame) -> pd.Series:
    """The first year in which each mutual has a validated return with status `closed` (`returns`:
    with a `status`, or only the closed ones' `mutual_id` and `year`: `closed_returns`)."""
    if "status" in returns:
        returns = returns.loc[returns["status"] == "closed"]
    return returns.groupby("mutual_id")["year"].min().astype(np.int64)


def closed_returns(returns: pd.DataFrame) -> pd.DataFrame:
    """The (`mutual_id`, `year`) of the returns with status `closed`."""
    closed = returns.loc[returns["status"] == "closed", ["mutual_id", "year"]]
    return closed.astype(np.int64).reset_index(drop=True)


def read_years(years) -> list[int]:
    """The years `synthesis_returns(years)` reads: those and the year before each (its members)."""
    return sorted({y for year in years for y in (int(year) - 1, int(year))})


def update_closed(previous: pd.DataFrame, returns: pd.DataFrame, years) -> pd.DataFrame:
    """The closed returns (`closed_returns`) after the returns of `read_years(years)` were read
    again in full (`returns`): theirs replace those years' rows, the other years' are kept (a change
    that moves a mutual's publication touches every year of its returns: see `mutual_change_pairs`)."""
    kept = previous.loc[~previous["year"].isin(read_years(years))]
    fresh = closed_returns(returns.loc[returns["year"].isin(read_years(years))])
    return pd.concat([kept, fresh], ignore_index=True).astype(np.int64)


def _numeric(returns: pd.DataFrame) -> pd.DataFrame:
    """`year` as integers, the figures and indicators as floats (a copy only of what is not)."""
    numeric = [n for n in [*SUMS, *indicator_columns()] if returns[n].dtype != np.float64]
    if returns["year"].dtype != np.int64 or numeric:
        returns = returns.copy()
        returns["year"] = returns["year"].astype(np.int64)
        for name in numeric:
            returns[name] = pd.to_numeric(returns[name], errors="coerce").astype(float)
    return returns


def _aggregate(returns: pd.DataFrame, *, by_country: bool) -> pd.DataFrame:
    """The rows of the returns' (country, year) pairs (`by_country`), else their `ALL` rows: every
    column but `mutuals_known` and `response_rate`, indexed by (country, year)."""
    keys = KEYS if by_country else ["year"]
    # One return per mutual and year (the database's constraint): the returns count the mutuals.
    table = returns.groupby(keys, sort=True).size().to_frame("mutuals_reporting")
    by_status = returns.groupby([*keys, "status"]).size().unstack("status", fill_value=0)  # noqa: PD010
    for status in STATUSES:
        table[f"mutuals_{status}"] = (by_status[status].reindex(table.index, fill_value=0)
                                      if status in by_status.columns else 0)
    indicators = indicator_columns()
    functional = returns.loc[returns["status"] == "functional", [*keys, *SUMS, *indicators]]
    f_groups = functional.groupby(keys, sort=True)
    sums = f_groups[SUMS].sum(min_count=1).reindex(table.index)
    for name in SUMS:
        table[name] = sums[name]
    both = functional.loc[
        functional["beneficiaries"].notna() & functional["target_population"].notna()
        & (functional["target_population"] > 0), [*keys, "beneficiaries", "target_population"]
    ].groupby(keys).sum().reindex(table.index)
    table["penetration_rate"] = both["beneficiaries"] / both["target_population"]
    medians = f_groups[indicators].median().reindex(table.index)
    counts = f_groups[indicators].count().reindex(table.index).fillna(0)
    for name in indicators:
        table[f"{name}_median"] = medians[name]
        table[f"{name}_n"] = counts[name]
    if not by_country:
        table["average_episode_cost_median"] = np.nan
        table["average_episode_cost_n"] = np.nan
        table.index = pd.MultiIndex.from_arrays(
            [np.full(len(table), ALL, dtype=object), table.index.to_numpy()], names=KEYS)
    return table.astype(float)


def _finish(table: pd.DataFrame, mutuals: pd.DataFrame, closed: pd.Series) -> pd.DataFrame:
    """The published frame from aggregated rows indexed by (country, year): `mutuals_known`, the
    response rate, the order (country, `ALL` last, year), the columns and their types."""
    table = table.reset_index()
    table["country"] = table["country"].astype(object)
    table["year"] = table["year"].astype(np.int64)
    table["mutuals_known"] = known_mutuals(mutuals, closed, table["country"], table["year"])
    known = table["mutuals_known"]
    table["response_rate"] = table["mutuals_reporting"] / known.where(known > 0)
    table["_all_last"] = table["country"] == ALL
    table = table.sort_values(["_all_last", "country", "year"], kind="stable").drop(columns="_all_last")
    table = table.reindex(columns=synthesis_columns()).reset_index(drop=True)
    for field in schema.fields("synthesis"):
        if field["type"] == "integer":
            table[field["name"]] = table[field["name"]].astype(float).round().astype("Int64")
        elif field["type"] == "number":
            table[field["name"]] = table[field["name"]].astype(float)
    return table


def known_mutuals(mutuals: pd.DataFrame, closed: pd.Series, countries: pd.Series, years: pd.Series
                  ) -> np.ndarray:
    """`mutuals_known` for each (country, year) given (country `ALL`: every country): the mutuals
    created that year or before (or in an unknown year) and not closed in an earlier year
    (`closed`: the first year of a validated `closed` return by mutual). Counted with sorted
    arrays: #(created ≤ year) − #(closed < year), over the mutuals created no later than closed."""
    start = mutuals["year_created"].astype(float).fillna(-np.inf).to_numpy()
    end = mutuals["mutual_id"].map(closed).astype(float).fillna(np.inf).to_numpy()
    alive = start <= end  # created after its closing: counted in no year
    where = mutuals["country"].astype(object).to_numpy()[alive]
    start, end = start[alive], end[alive]
    countries = countries.to_numpy(dtype=object)
    years = years.to_numpy(dtype=float)
    result = np.zeros(len(years), dtype=np.int64)
    for country in pd.unique(countries):
        rows = countries == country
        chosen = slice(None) if country == ALL else where == country
        starts, ends = np.sort(start[chosen]), np.sort(end[chosen])
        result[rows] = (np.searchsorted(starts, years[rows], side="right")
                        - np.searchsorted(ends, years[rows], side="left"))
    return result


# --- What a change touches ------------------------------------------------------------------------

def return_change_pairs(country: str, year: int) -> set[tuple[str, int]]:
    """The (country, year) rows a change of a mutual's return of `year` may move (a validation, an
    un-validation, an edit, an import): that year's, and the next year's (its growth and renewal
    rates divide by this year's validated members). Its closing year moves `mutuals_known` in later
    years too: `update_synthesis` recomputes those everywhere."""
    return {(country, int(year)), (country, int(year) + 1)}


def mutual_change_pairs(before: tuple[str, bool], after: tuple[str, bool], years) -> set[tuple[str, int]]:
    """The rows moved when a mutual's (country, public) goes from `before` to `after`: in each
    country where it was or is public, every year in which it has a validated return (`years`);
    nothing if neither changed. (Its year of creation moves only `mutuals_known`.)"""
    if before == after:
        return set()
    countries = {place[0] for place in (before, after) if place[1]}
    return {(country, int(year)) for country in countries for year in years}


# --- From the database ---------------------------------------------------------------------------

def returns_frame(queryset=None) -> pd.DataFrame:
    """The public returns table (validated returns of public mutuals) as a frame in the contract's
    columns, indicators computed column-wise (the same definitions as `indicators.py`)."""
    from ..models import YearlyReturn

    queryset = YearlyReturn.objects.public() if queryset is None else queryset
    data_fields = [n for n in YearlyReturn.data_field_names() if n != "warning_comments"]
    identity = {
        "mutual__mutual_id": "mutual_id", "mutual__name": "mutual_name", "mutual__acronym": "acronym",
        "mutual__country_id": "country", "mutual__region": "region", "mutual__locality": "locality",
        "mutual__year_created": "year_created", "mutual__mutual_type": "mutual_type",
        "mutual__legal_status": "legal_status", "mutual__union__name": "union",
    }
    values = queryset.order_by("mutual__country_id", "mutual__mutual_id", "year").values_list(
        *identity, "mutual_id", "year", *data_fields, "updated_at"
    )
    frame = pd.DataFrame.from_records(
        values.iterator(chunk_size=5000),
        columns=[*identity.values(), "_pk", "year", *data_fields, "last_updated"],
    )
    frame["union"] = frame["union"].fillna("")
    frame["validation_status"] = "validated"
    for name in data_fields:
        if YearlyReturn._meta.get_field(name).get_internal_type() == "DecimalField":
            frame[name] = frame[name].astype(float)
    previous = YearlyReturn.objects.validated().values_list("mutual_id", "year", "members")
    last = pd.DataFrame.from_records(previous.iterator(chunk_size=5000),
                                     columns=["_pk", "year", "last_members"])
    last["year"] = last["year"] + 1
    frame = frame.merge(last, on=["_pk", "year"], how="left")
    for name, values_ in indicators_frame(frame).items():
        frame[name] = values_
    return frame.reindex(columns=schema.column_names("returns"))


def _ratio(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where either is missing or the denominator is 0."""
    numerator, denominator = numerator.astype(float), denominator.astype(float)
    return numerator / denominator.where(denominator != 0)


def indicators_frame(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The eleven indicators, column-wise; `frame` has the returns columns and `last_members`
    (the same mutual's validated members of year − 1, NaN when there is none)."""
    g = {name: frame[name].astype(float) for name in [
        "beneficiaries", "target_population", "members", "renewed_members", "contributions_collected",
        "contributions_due", "care_episodes", "benefits_paid", "operating_expenses", "other_income",
        "subsidies", "reserves",
    ]}
    last = frame["last_members"].astype(float)
    own = g["contributions_collected"] + g["other_income"]  # NaN as soon as one term is missing
    return {
        "penetration_rate": _ratio(g["beneficiaries"], g["target_population"]),
        "growth_rate": _ratio(g["members"] - last, last),
        "renewal_rate": _ratio(g["renewed_members"], last),
        "collection_rate": _ratio(g["contributions_collected"], g["contributions_due"]),
        "utilisation_rate": _ratio(g["care_episodes"], g["beneficiaries"]),
        "average_episode_cost": _ratio(g["benefits_paid"], g["care_episodes"]),
        "claims_ratio": _ratio(g["benefits_paid"], g["contributions_collected"]),
        "expense_ratio": _ratio(g["operating_expenses"], g["contributions_collected"]),
        "own_resources_coverage": _ratio(own, g["benefits_paid"] + g["operating_expenses"]),
        "subsidy_dependence": _ratio(g["subsidies"], own + g["subsidies"]),
        "reserve_cover_months": _ratio(g["reserves"], g["benefits_paid"] / 12),
    }


def mutuals_frame() -> pd.DataFrame:
    """The public mutuals of the inventory (the denominators of the response rate)."""
    from ..models import Mutual

    values = Mutual.objects.public().values_list("mutual_id", "country_id", "year_created")
    return pd.DataFrame.from_records(
        values.iterator(chunk_size=5000), columns=["mutual_id", "country", "year_created"]
    ).astype({"year_created": float})


def read_frame(queryset, columns: list[str], dtypes: dict | None = None) -> pd.DataFrame:
    """A values query's rows straight into a frame of `columns` (what `pd.read_sql` does with the
    ORM's SQL: one fetch, no model instance); with `dtypes` (column → numpy type, every column),
    the rows become one array and each type's columns are converted together by numpy (None → NaN
    for floats): less than half of pandas' column-by-column guessing."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. `year__in=[]`
        return pd.DataFrame({name: pd.Series(dtype=(dtypes or {}).get(name, float)) for name in columns})
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if dtypes is None:
        return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)
    table = np.array(rows, dtype=object).reshape(len(rows), len(columns))
    del rows
    data = {}
    for kind in dict.fromkeys(dtypes.values()):
        where = [i for i, name in enumerate(columns) if dtypes[name] is kind]
        block = table[:, where].astype(kind)
        data.update({columns[i]: block[:, j] for j, i in enumerate(where)})
    return pd.DataFrame({name: data[name] for name in columns}, copy=False)


def synthesis_returns_query(years=None, mutuals=None):
    """The public returns' columns the synthesis reads, the figures cast to floats by the database;
    of `years` and the year before each (its members) when given; of the `mutuals` (primary keys)
    when given (a group of mutuals: `groups.py`). Unordered."""
    from ..models import YearlyReturn

    queryset = YearlyReturn.objects.public().order_by()
    if years is not None:
        queryset = queryset.filter(year__in=read_years(years))
    if mutuals is not None:
        queryset = queryset.filter(mutual_id__in=list(mutuals))
    floats = {f"f_{name}": Cast(name, FloatField()) for name in FIGURES}
    return queryset.annotate(**floats).values_list(
        "mutual_id", "mutual__country_id", "year", "status", *floats)


def synthesis_returns(years=None, mutuals=None) -> pd.DataFrame:
    """The public returns as the synthesis needs them (`mutual_id` the mutual's primary key, its
    country, the year, the status, the figures and the indicators), read in one query of those
    columns only; `years`, `mutuals`: see `synthesis_returns_query`."""
    dtypes = {"mutual_id": np.int64, "country": object, "year": np.int64, "status": object,
              **dict.fromkeys(FIGURES, float)}
    frame = read_frame(synthesis_returns_query(years, mutuals), list(dtypes), dtypes)
    return with_indicators(frame)


def with_indicators(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (one row per mutual and year, the figures as floats) with `last_members` (the same
    mutual's members of year − 1, when that return is in the frame) and the eleven indicators."""
    frame = frame.astype({"mutual_id": np.int64, "year": np.int64} | dict.fromkeys(FIGURES, float))
    key = frame["mutual_id"].to_numpy() * 10_000 + frame["year"].to_numpy()
    members = pd.Series(frame["members"].to_numpy(), index=key)
    frame["last_members"] = members.reindex(key - 1).to_numpy()
    return frame.assign(**indicators_frame(frame))


def synthesis_mutuals(mutuals=None) -> pd.DataFrame:
    """The public mutuals (`mutual_id` their primary key, `country`, `year_created`); of the `mutuals`
    (primary keys) only when given."""
    from ..models import Mutual

    queryset = Mutual.objects.public().order_by()
    if mutuals is not None:
        queryset = queryset.filter(pk__in=list(mutuals))
    values = queryset.values_list("pk", "country_id", "year_created")
    return read_frame(values, ["mutual_id", "country", "year_created"]).astype({"year_created": float})


def full_synthesis() -> pd.DataFrame:
    """The whole table recomputed from the database (three queries of the used columns)."""
    return compute_synthesis(synthesis_returns(), synthesis_mutuals())


SYNTHESIS_KEY = "inventory:synthesis:v{version}"
LATEST_KEY = "inventory:synthesis:latest"  # (version, table, revision): the newest table computed
CLOSED_KEY = "inventory:synthesis:closed"  # (version, its closed returns): what LATEST_KEY's table counted
CHANGES_KEY = "inventory:synthesis:changes:v{version}"  # the pairs the change of that version touched
UNSURE_KEY = "inventory:synthesis:unsure"  # set when a change could not be recorded: recompute all
VERSION_TIMEOUT = 7 * 24 * 3600  # a version's table is read for seconds after the next change, then never
# Beyond these, the whole table is recomputed (as fast as so many pieces).
MAX_VERSIONS_BEHIND = 1000
MAX_CHANGED_YEARS = 6


def record_changes(version: int, pairs) -> None:
    """What the change that made inventory version `version` touched: (country, year) pairs, or
    None when unsure (the next refresh recomputes everything). Called where the version is bumped."""
    value = ("all",) if pairs is None else ("pairs", frozenset(pairs))
    cache.set(CHANGES_KEY.format(version=version), value, timeout=VERSION_TIMEOUT)


def record_unsure() -> None:
    """A change was committed but could not be recorded: the next refresh recomputes everything."""
    cache.set(UNSURE_KEY, True, timeout=None)


def changed_pairs(since: int, version: int) -> set | None:
    """The pairs touched by the versions after `since` up to `version`, or None when one is unknown
    (its record lost or unsure) or too many to be worth it."""
    if version - since > MAX_VERSIONS_BEHIND:
        return None
    keys = [CHANGES_KEY.format(version=v) for v in range(since + 1, version + 1)]
    found = cache.get_many(keys)
    pairs = set()
    for key in keys:
        record = found.get(key)
        if record is None or record[0] != "pairs":
            return None
        pairs |= record[1]
    if len({year for _country, year in pairs}) > MAX_CHANGED_YEARS:
        return None
    return pairs


def stored_synthesis(version: int) -> pd.DataFrame | None:
    """The table of inventory version `version` if it was computed, else None."""
    return cache.get(SYNTHESIS_KEY.format(version=version))


def _recompute(version: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The table of `version` and its closed returns (`closed_returns`): the newest table computed
    updated where the changes since touched it, or recomputed whole when that cannot be done safely
    (no table, another revision of the computation, a change unrecorded, too many changes)."""
    unsure = cache.get(UNSURE_KEY)
    if unsure:
        cache.delete(UNSURE_KEY)  # before reading: a change unrecorded from now on sets it again
    latest, closed = cache.get(LATEST_KEY), cache.get(CLOSED_KEY)
    if not unsure and latest is not None and len(latest) == 3 and latest[2] == REVISION \
            and latest[0] < version and list(latest[1].columns) == synthesis_columns() \
            and closed is not None and closed[0] == latest[0]:
        pairs = changed_pairs(latest[0], version)
        if pairs is not None:
            logger.info("synthesis v%s: v%s updated where changed (%s country-years)",
                        version, latest[0], len(pairs))
            years = sorted({year for _country, year in pairs})
            returns = synthesis_returns(years)
            closed_rows = update_closed(closed[1], returns, years)
            table = update_synthesis(latest[1], returns, synthesis_mutuals(), first_closed(closed_rows),
                                     pairs)
            return table, closed_rows
    logger.info("synthesis v%s: recomputed whole", version)
    returns = synthesis_returns()
    return compute_synthesis(returns, synthesis_mutuals()), closed_returns(returns)


def refresh_synthesis(version: int | None = None) -> pd.DataFrame:
    """The table of the current version, computed and stored unless it already is: the worker's side
    (and the commands' and benchmarks'), never a request's."""
    from ..models import InventoryState

    version = InventoryState.current_version() if version is None else version
    table = stored_synthesis(version)
    if table is None:
        table, closed_rows = _recompute(version)
        cache.set(SYNTHESIS_KEY.format(version=version), table, timeout=VERSION_TIMEOUT)
        latest = cache.get(LATEST_KEY)
        if latest is None or latest[0] <= version:
            cache.set(CLOSED_KEY, (version, closed_rows), timeout=None)
            cache.set(LATEST_KEY, (version, table, REVISION), timeout=None)
    return table


def current_synthesis() -> pd.DataFrame:
    """The synthesis of the public inventory, for a request: the table of the current version once
    the worker has computed it, until then the newest table computed (stale by the seconds the
    recompute takes), and a refresh is asked for. Empty only before the very first computation.

    Where tasks run inside the call that queues them (the tests' backend), the table is computed here.
    """
    from portal.core.tasks import runs_immediately

    from ..models import InventoryState
    from .refresh import request_refresh

    version = InventoryState.current_version()
    table = stored_synthesis(version)
    if table is not None:
        return table
    if runs_immediately():
        return refresh_synthesis(version)
    request_refresh(wait=False)
    latest = cache.get(LATEST_KEY)
    return latest[1] if latest is not None else pd.DataFrame(columns=synthesis_columns())


# --- Rows and CSV ----------------------------------------------------------------------------------

def synthesis_rows(frame: pd.DataFrame | None = None, provisional=None) -> Iterator[dict]:
    """The table's rows as dicts in the published column order, None for empty cells, integers as
    int and numbers as float (ready for `exports.format_cell` or JSON).

    After the contract's columns, `year_status` (`synthesis.extension.json`): "provisional" or
    "final" by `campaign.provisional` — read at each call, not stored with the cached table, since a
    year turns final with time alone. `provisional`: the provisional years (by default, now's)."""
    from ..campaign.provisional import provisional_years, year_status

    frame = current_synthesis() if frame is None else frame
    provisional = provisional_years() if provisional is None else provisional
    columns = synthesis_columns()
    kinds = {f["name"]: f["type"] for f in schema.fields("synthesis")}
    for record in frame.to_dict("records"):
        row = {}
        for name in columns:
            value = record[name]
            if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
                row[name] = None
            elif kinds[name] == "integer":
                row[name] = int(value)
            elif kinds[name] == "number":
                row[name] = float(value)
            else:
                row[name] = value
        row["year_status"] = year_status(row["year"], provisional)
        yield row


def write_synthesis_csv(stream, frame: pd.DataFrame | None = None) -> int:
    """Write the synthesis table as published (the contract's columns, then `year_status`) to a
    text stream; returns the row count."""
    from .exports import format_cell

    writer = csv_writer(stream, format_value=format_cell, lineterminator="\n")
    columns = schema.published_column_names("synthesis")
    writer.writerow(columns)
    count = 0
    for row in synthesis_rows(frame):
        writer.writerow([row[c] for c in columns])
        count += 1
    return count
