"""A mutual among its peers: its indicators of a year beside the quartiles of four peer groups.

In the spirit of MIX Market's peer groups and of MAS Pilote: a mutual whose return is validated sees,
for each of its years, where its indicators stand among the mutuals of

- the same country,
- the same type (community, socio-professional… across the network),
- the same size band (`SIZE_BANDS`: by beneficiaries in the year, across the network),
- the whole network,

with the median and the quartiles (p25, p50, p75) of each group and `n`, the number of returns behind
them. The same rules as the synthesis table (`synthesis.py`), so that the two never disagree:

- the peers are the validated returns of the public mutuals (`synthesis_returns`: a private mutual's
  figures never enter anyone's benchmark), of the year, with status `functional`;
- the indicators are the synthesis's (`indicators_frame`, the glossary's definitions);
- a quartile runs over the returns where the indicator is computable (pandas' linear interpolation:
  the median is the synthesis's, halfway between the two middle values for an even count);
- the average cost of a care episode is compared within the country only (currencies differ).

The mutual itself is *included* in its groups when it is one of them (public, functional): a peer
group is a fixed set of mutuals, as on MIX Market, every member sees the same figures, and the
country's and network's medians are exactly the synthesis table's. The pages say so.

A group with fewer than `MIN_PEERS` values for an indicator shows no figure ("not enough peers"):
with four values or fewer each quartile is one or two mutuals' own figures, so a reader who knows
the group (three mutuals of a country's size band) could tell who reported what, and the quartiles
would move with any single return.

`peer_statistics` (pure: frames in, a frame out) computes every group of the returns given;
`benchmark` picks a mutual's groups from it. The database side (`year_statistics`) reads one year's
public returns and keeps the table in the cache under the inventory's version.
"""

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext_lazy as _

from .synthesis import indicator_columns

MIN_PEERS = 5
QUANTILES = (0.25, 0.5, 0.75)
# Size bands by beneficiaries in the year (members and their dependants: the people a mutual covers,
# whatever its membership unit): lower bound included, upper bound excluded.
SIZE_BANDS = (
    ("under_1000", 0, 1000, _("under 1,000 beneficiaries")),
    ("1000_4999", 1000, 5000, _("1,000 to 4,999 beneficiaries")),
    ("5000_19999", 5000, 20000, _("5,000 to 19,999 beneficiaries")),
    ("20000_more", 20000, math.inf, _("20,000 beneficiaries or more")),
)
BAND_LABELS = {code: label for code, _low, _high, label in SIZE_BANDS}
COUNTRY, TYPE, SIZE, NETWORK = "country", "mutual_type", "size_band", "network"
GROUPS = (COUNTRY, TYPE, SIZE, NETWORK)
GROUP_LABELS = {
    COUNTRY: _("Same country"), TYPE: _("Same type"), SIZE: _("Same size band"), NETWORK: _("Whole network"),
}
NETWORK_KEY = "ALL"
# Compared within the country only: money in local currencies.
COUNTRY_ONLY = frozenset({"average_episode_cost"})
STATISTICS_COLUMNS = ["group", "key", "year", "indicator", "n", "p25", "p50", "p75"]


def size_band(beneficiaries) -> str | None:
    """The code of the size band of a mutual with `beneficiaries` (None when not reported)."""
    if beneficiaries is None or (isinstance(beneficiaries, float) and math.isnan(beneficiaries)):
        return None
    for code, low, high, _label in SIZE_BANDS:
        if low <= beneficiaries < high:
            return code
    return None  # negative: not a size


def size_bands(beneficiaries: pd.Series) -> pd.Series:
    """`size_band` column-wise (object codes, None where unknown)."""
    values = beneficiaries.astype(float).to_numpy()
    result = np.full(len(values), None, dtype=object)
    for code, low, high, _label in SIZE_BANDS:
        result[(values >= low) & (values < high)] = code
    return pd.Series(result, index=beneficiaries.index, dtype=object)


def quartiles(values) -> tuple[int, float | None, float | None, float | None]:
    """(n, p25, p50, p75) of the computable values (None and NaN left out); the quartiles None when
    there is no value. Linear interpolation between order statistics (pandas' default)."""
    series = pd.Series([v for v in values if v is not None], dtype=float).dropna()
    if series.empty:
        return 0, None, None, None
    p25, p50, p75 = (float(series.quantile(q)) for q in QUANTILES)
    return len(series), p25, p50, p75


def peer_frame(returns: pd.DataFrame, types: pd.DataFrame) -> pd.DataFrame:
    """The functional returns of `returns` (the synthesis's frame: `mutual_id`, `country`, `year`,
    `status`, the figures, the indicators) with their mutual's type (`types`: `mutual_id`,
    `mutual_type`) and their size band."""
    functional = returns.loc[returns["status"] == "functional"]
    frame = functional.merge(types[["mutual_id", "mutual_type"]], on="mutual_id", how="left")
    frame["mutual_type"] = frame["mutual_type"].replace("", None)
    frame[SIZE] = size_bands(frame["beneficiaries"])
    frame[NETWORK] = NETWORK_KEY
    return frame


def peer_statistics(peers: pd.DataFrame) -> pd.DataFrame:
    """Every peer group's quartiles of every indicator by year: one row per (group, key, year,
    indicator) with `n`, `p25`, `p50`, `p75` (`STATISTICS_COLUMNS`). `peers`: `peer_frame`'s rows.
    Groups with no computable value have n 0 and empty quartiles; the minimum is `benchmark`'s."""
    indicators = indicator_columns()
    parts = []
    for group in GROUPS:
        wanted = [i for i in indicators if group == COUNTRY or i not in COUNTRY_ONLY]
        rows = peers.loc[peers[group].notna(), [group, "year", *wanted]]
        if rows.empty:
            continue
        grouped = rows.groupby([group, "year"])[wanted]
        # Column-wise on the wide frame (one pass per statistic), then one row per indicator.
        table = grouped.count().stack(future_stack=True).to_frame("n")  # noqa: PD013
        quantiles = grouped.quantile(list(QUANTILES))  # index (key, year, q)
        for q, name in zip(QUANTILES, ("p25", "p50", "p75"), strict=True):
            at = quantiles.xs(q, level=-1)
            table[name] = at.stack(future_stack=True).reindex(table.index)  # noqa: PD013
        table.index.names = ["key", "year", "indicator"]
        table = table.loc[table["n"] > 0].reset_index()
        table.insert(0, "group", group)
        parts.append(table)
    if not parts:
        return pd.DataFrame(columns=STATISTICS_COLUMNS)
    result = pd.concat(parts, ignore_index=True)[STATISTICS_COLUMNS]
    return result.astype({"year": np.int64, "n": np.int64})


@dataclass
class PeerFigures:
    """One peer group's figures for one indicator: empty below the minimum (`enough` False)."""

    group: str
    key: str | None  # the country code, type, band code or `NETWORK_KEY`; None: the mutual has none
    n: int
    p25: float | None = None
    p50: float | None = None
    p75: float | None = None
    compared: bool = True  # False: not compared in this group (currencies differ)

    @property
    def enough(self) -> bool:
        return self.compared and self.key is not None and self.n >= MIN_PEERS

    @property
    def label(self):
        return GROUP_LABELS[self.group]


@dataclass
class IndicatorBenchmark:
    indicator: str
    value: float | None  # the mutual's own, None when not computable
    groups: list[PeerFigures] = field(default_factory=list)

    def position(self) -> str | None:
        """Where the mutual's value lies in its country's group: "low" (below p25), "middle",
        "high" (above p75), None when either is unknown."""
        country = self.groups[0]
        if self.value is None or not country.enough:
            return None
        if self.value < country.p25:
            return "low"
        if self.value > country.p75:
            return "high"
        return "middle"


def group_keys(mutual: dict) -> dict[str, str | None]:
    """A mutual's key in each group, from its year's row (`country`, `mutual_type`, `beneficiaries`)."""
    return {
        COUNTRY: mutual.get("country") or None,
        TYPE: mutual.get("mutual_type") or None,
        SIZE: size_band(mutual.get("beneficiaries")),
        NETWORK: NETWORK_KEY,
    }


def group_sizes(peers: pd.DataFrame, mutual: dict, year: int) -> dict[str, int]:
    """How many functional returns each of the mutual's groups holds in `year` (whatever the
    indicator): the `n` in the groups' headings."""
    rows = peers.loc[peers["year"] == year]
    keys = group_keys(mutual)
    return {group: int((rows[group] == key).sum()) if key is not None else 0 for group, key in keys.items()}


def benchmark(mutual: dict, statistics: pd.DataFrame, year: int) -> list[IndicatorBenchmark]:
    """The mutual's indicators of `year` (`mutual`: its row of the returns table, with the
    indicators, `country`, `mutual_type`, `beneficiaries`) beside its four groups' figures in
    `statistics` (`peer_statistics`), in the indicators' published order."""
    keys = group_keys(mutual)
    stats = statistics.loc[statistics["year"] == year]
    index = {(row.group, row.key, row.indicator): row for row in stats.itertuples(index=False)}
    result = []
    for indicator in indicator_columns():
        value = mutual.get(indicator)
        value = None if value is None or (isinstance(value, float) and math.isnan(value)) else float(value)
        groups = []
        for group in GROUPS:
            compared = group == COUNTRY or indicator not in COUNTRY_ONLY
            row = index.get((group, keys[group], indicator)) if compared else None
            if row is None:
                groups.append(PeerFigures(group, keys[group], 0, compared=compared))
                continue
            figures = PeerFigures(group, keys[group], int(row.n))
            if figures.enough:  # below the minimum, no figure leaves this function
                figures.p25, figures.p50, figures.p75 = float(row.p25), float(row.p50), float(row.p75)
            groups.append(figures)
        result.append(IndicatorBenchmark(indicator, value, groups))
    return result


# --- The database side ---------------------------------------------------------------------------

STATISTICS_KEY = "inventory:peers:v{version}:{year}"
STATISTICS_TIMEOUT = 24 * 3600


def peer_returns(year: int) -> pd.DataFrame:
    """`peer_frame` of the public validated returns of `year` (the year before read for growth and
    renewal): two queries of the columns used."""
    from ..models import Mutual
    from .synthesis import read_frame, synthesis_returns

    returns = synthesis_returns([year])
    returns = returns.loc[returns["year"] == year]
    types = read_frame(Mutual.objects.public().order_by().values_list("pk", "mutual_type"),
                       ["mutual_id", "mutual_type"])
    return peer_frame(returns, types)


def year_statistics(year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`peer_returns(year)`, its `peer_statistics`), kept in the cache for the inventory's
    current version (a validation bumps it: the next reader recomputes). One year of returns and a
    groupby per group: `peer_statistics` took 0.14 s at 2,000 returns a year, 0.17 s at 20,000,
    0.39 s at 100,000 (2026-12-07, shared 2-core machine; the demo has about 190 a year)."""
    from django.core.cache import cache

    from ..models import InventoryState

    key = STATISTICS_KEY.format(version=InventoryState.current_version(), year=int(year))
    found = cache.get(key)
    if found is None:
        peers = peer_returns(int(year))
        found = (peers[["mutual_id", "year", *GROUPS]], peer_statistics(peers))
        cache.set(key, found, timeout=STATISTICS_TIMEOUT)
    return found
