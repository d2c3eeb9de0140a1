"""Indicators of one yearly return, as `returns.schema.json` defines them (ILO/STEP practice).

Pure functions over plain mappings (a row of the returns table); no ORM, no settings.
A ratio whose denominator is zero or missing, or whose numerator is missing, is None ("not
computable"): never 0.
"""

from collections.abc import Mapping
from decimal import Decimal

Number = int | float | Decimal


def ratio(numerator: Number | None, denominator: Number | None) -> float | None:
    """numerator / denominator, or None when it cannot be computed."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def _sum(*values: Number | None) -> Number | None:
    """The sum, or None as soon as one term is missing (a partial sum would mislead)."""
    if any(v is None for v in values):
        return None
    return sum(values)


def compute_indicators(row: Mapping, previous: Mapping | None = None) -> dict[str, float | None]:
    """The eleven indicators of a return.

    Takes a row with the returns columns (missing keys count as missing values) and, for growth
    and renewal, the same mutual's validated return of year − 1 (or None). Returns a dict with the
    indicator columns of the returns table, in their published order.
    """
    g = row.get
    last_members = previous.get("members") if previous else None
    benefits = g("benefits_paid")
    return {
        "penetration_rate": ratio(g("beneficiaries"), g("target_population")),
        "growth_rate": ratio(
            None if g("members") is None or last_members is None else g("members") - last_members,
            last_members,
        ),
        "renewal_rate": ratio(g("renewed_members"), last_members),
        "collection_rate": ratio(g("contributions_collected"), g("contributions_due")),
        "utilisation_rate": ratio(g("care_episodes"), g("beneficiaries")),
        "average_episode_cost": ratio(benefits, g("care_episodes")),
        "claims_ratio": ratio(benefits, g("contributions_collected")),
        "expense_ratio": ratio(g("operating_expenses"), g("contributions_collected")),
        "own_resources_coverage": ratio(
            _sum(g("contributions_collected"), g("other_income")),
            _sum(benefits, g("operating_expenses")),
        ),
        "subsidy_dependence": ratio(
            g("subsidies"), _sum(g("contributions_collected"), g("other_income"), g("subsidies"))
        ),
        "reserve_cover_months": ratio(g("reserves"), None if benefits is None else benefits / 12),
    }
