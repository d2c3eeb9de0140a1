"""A group of mutuals year by year (the mutuals a project supports: `portal/directory/projects.py`):
the synthesis table's own computation over the group alone.

`group_rows(mutuals)` runs `synthesis.compute_synthesis` on the validated returns of the group's
public mutuals and keeps its `ALL` rows (every country of the group together): the same counts, sums,
pooled penetration rate and medians over the functional mutuals, with the same `_n`, as the synthesis
table; `year_status` by the same provisional rule (`campaign.provisional`). A private mutual is left
out of every figure, as it is left out of the synthesis: a group of two where one is private would
otherwise show the private one's figures by subtraction. Read from the database at each call (two
queries of a few mutuals' returns), not from the cached synthesis table: the group's figures change
with the validation that changes them.
"""

from collections.abc import Iterable

from .synthesis import ALL, compute_synthesis, synthesis_mutuals, synthesis_returns, synthesis_rows

# A group's columns (the synthesis table's names): what a project page shows and its CSV holds.
GROUP_COLUMNS = [
    "mutuals_known", "mutuals_reporting", "mutuals_functional", "members", "beneficiaries",
    "penetration_rate", "collection_rate_median", "collection_rate_n", "claims_ratio_median",
    "claims_ratio_n",
]


def group_rows(mutuals: Iterable[int], provisional=None) -> list[dict]:
    """The group's synthesis rows, oldest year first (dicts as `synthesis_rows` gives them, with
    `year_status`), for the mutuals of primary keys `mutuals`; the private ones count nowhere.
    Empty when none of them has a validated public return. `provisional`: see `synthesis_rows`."""
    keys = sorted({int(pk) for pk in mutuals})
    if not keys:
        return []
    returns = synthesis_returns(mutuals=keys)
    if returns.empty:
        return []
    table = compute_synthesis(returns, synthesis_mutuals(mutuals=keys))
    table = table.loc[table["country"] == ALL]
    return sorted(synthesis_rows(table, provisional), key=lambda row: row["year"])
