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

The database side reads the public table (validated returns of public mutuals) into a frame with
vectorised indicators (`returns_frame`). The table is computed in the worker (`refresh_synthesis`,
run by `inventory.opendata.refresh` after every change of a return, mutual, union or country, which bumps the
inventory's version counter) and stored in the cache shared by every process, under its version and
as the newest table. `current_synthesis()` only reads: a request never pays the recompute (12.6 s at
500,000 returns); for the seconds the worker takes, it gets the previous table.
"""

from collections.abc import Iterator

import numpy as np
import pandas as pd
from django.core.cache import cache

from portal.core.spreadsheets import csv_writer

from ..contract import schema

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

def compute_synthesis(returns: pd.DataFrame, mutuals: pd.DataFrame) -> pd.DataFrame:
    """The synthesis table from the validated returns (returns-table columns, indicators included)
    and the mutuals of the inventory (`mutual_id`, `country`, `year_created`).

    Returns a frame with exactly the synthesis columns, ordered by country (`ALL` last) and year;
    missing values are NaN (integers as pandas' nullable Int64 with <NA>).
    """
    columns = synthesis_columns()
    if returns.empty:
        return pd.DataFrame(columns=columns)
    returns = returns.copy()
    returns["year"] = returns["year"].astype(int)
    numeric = SUMS + indicator_columns()
    returns[numeric] = returns[numeric].apply(pd.to_numeric, errors="coerce").astype(float)
    closed = returns.loc[returns["status"] == "closed"].groupby("mutual_id")["year"].min()
    mutuals = mutuals[["mutual_id", "country", "year_created"]].copy()
    mutuals["closed_year"] = mutuals["mutual_id"].map(closed)

    by_country = _aggregate(returns)
    by_country["mutuals_known"] = _known(mutuals, by_country.index)
    everywhere = _aggregate(returns.assign(country="ALL"))
    everywhere["mutuals_known"] = _known(mutuals.assign(country="ALL"), everywhere.index)
    everywhere["average_episode_cost_median"] = np.nan
    everywhere["average_episode_cost_n"] = np.nan

    table = pd.concat([by_country, everywhere]).reset_index()
    table["response_rate"] = np.where(
        table["mutuals_known"] > 0,
        table["mutuals_reporting"] / table["mutuals_known"].where(table["mutuals_known"] > 0),
        np.nan,
    )
    table["_all_last"] = table["country"] == "ALL"
    table = table.sort_values(["_all_last", "country", "year"], kind="stable").drop(columns="_all_last")
    table = table.reindex(columns=columns).reset_index(drop=True)
    for field in schema.fields("synthesis"):
        if field["type"] == "integer":
            table[field["name"]] = table[field["name"]].round().astype("Int64")
        elif field["type"] == "number":
            table[field["name"]] = table[field["name"]].astype(float)
    return table


def _aggregate(returns: pd.DataFrame) -> pd.DataFrame:
    keys = ["country", "year"]
    groups = returns.groupby(keys, sort=True)
    table = pd.DataFrame({"mutuals_reporting": groups["mutual_id"].nunique()})
    by_status = returns.groupby([*keys, "status"]).size()
    for status in STATUSES:
        counts = by_status.xs(status, level="status") if status in by_status.index.get_level_values(
            "status") else pd.Series(dtype=float)
        table[f"mutuals_{status}"] = counts.reindex(table.index).fillna(0)
    functional = returns.loc[returns["status"] == "functional"]
    f_groups = functional.groupby(keys)
    for name in SUMS:
        table[name] = f_groups[name].sum(min_count=1).reindex(table.index)
    both = functional.loc[
        functional["beneficiaries"].notna() & functional["target_population"].notna()
        & (functional["target_population"] > 0)
    ].groupby(keys)
    table["penetration_rate"] = (
        both["beneficiaries"].sum() / both["target_population"].sum()
    ).reindex(table.index)
    for name in indicator_columns():
        table[f"{name}_median"] = f_groups[name].median().reindex(table.index)
        table[f"{name}_n"] = f_groups[name].count().reindex(table.index).fillna(0)
    return table


def _known(mutuals: pd.DataFrame, index: pd.MultiIndex) -> pd.Series:
    """`mutuals_known` for each (country, year) of `index`."""
    wanted = index.to_frame(index=False)
    pairs = wanted.merge(mutuals, on="country", how="inner")
    created = pairs["year_created"].isna() | (pairs["year_created"] <= pairs["year"])
    open_then = pairs["closed_year"].isna() | (pairs["closed_year"] >= pairs["year"])
    counts = pairs.loc[created & open_then].groupby(["country", "year"]).size()
    return counts.reindex(index).fillna(0)


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


SYNTHESIS_KEY = "inventory:synthesis:v{version}"
LATEST_KEY = "inventory:synthesis:latest"  # (version, table): the newest table computed
VERSION_TIMEOUT = 7 * 24 * 3600  # a version's table is read for seconds after the next change, then never


def stored_synthesis(version: int) -> pd.DataFrame | None:
    """The table of inventory version `version` if it was computed, else None."""
    return cache.get(SYNTHESIS_KEY.format(version=version))


def refresh_synthesis(version: int | None = None) -> pd.DataFrame:
    """The table of the current version, computed and stored unless it already is: the worker's side
    (and the commands' and benchmarks'), never a request's."""
    from ..models import InventoryState

    version = InventoryState.current_version() if version is None else version
    table = stored_synthesis(version)
    if table is None:
        table = compute_synthesis(returns_frame(), mutuals_frame())
        cache.set(SYNTHESIS_KEY.format(version=version), table, timeout=VERSION_TIMEOUT)
        latest = cache.get(LATEST_KEY)
        if latest is None or latest[0] <= version:
            cache.set(LATEST_KEY, (version, table), timeout=None)
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
