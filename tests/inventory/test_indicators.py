"""Indicators of a return: literal cases worked by hand, and a randomized check against an
independent computation written from the schema's descriptions."""

import random
from decimal import Decimal

import pytest

from inventory.contract import schema
from inventory.returns.indicators import compute_indicators

ROW = {
    "target_population": 20000, "members": 1500, "beneficiaries": 6000, "renewed_members": 1100,
    "contributions_due": 9_000_000, "contributions_collected": 7_200_000,
    "benefits_paid": 5_400_000, "operating_expenses": 900_000, "subsidies": 1_800_000,
    "other_income": 300_000, "reserves": 2_700_000, "care_episodes": 3000,
}
LAST_YEAR = {"members": 1200}


def test_a_complete_return_worked_by_hand():
    got = compute_indicators(ROW, LAST_YEAR)
    assert got == pytest.approx({
        "penetration_rate": 0.3,            # 6000 / 20000
        "growth_rate": 0.25,                # (1500 - 1200) / 1200
        "renewal_rate": 1100 / 1200,
        "collection_rate": 0.8,             # 7.2 M / 9 M
        "utilisation_rate": 0.5,            # 3000 / 6000
        "average_episode_cost": 1800.0,     # 5.4 M / 3000
        "claims_ratio": 0.75,               # 5.4 M / 7.2 M
        "expense_ratio": 0.125,             # 0.9 M / 7.2 M
        "own_resources_coverage": 7.5 / 6.3,
        "subsidy_dependence": 1.8 / 9.3,
        "reserve_cover_months": 6.0,        # 2.7 M / (5.4 M / 12)
    })
    assert list(got) == schema.indicator_names()


def test_zero_or_missing_denominators_are_not_computable_never_zero():
    row = {**ROW, "target_population": 0, "contributions_due": None, "care_episodes": 0}
    got = compute_indicators(row, None)
    assert got["penetration_rate"] is None
    assert got["collection_rate"] is None
    assert got["average_episode_cost"] is None
    assert got["growth_rate"] is None and got["renewal_rate"] is None  # no previous return
    assert got["utilisation_rate"] == 0.0  # zero numerator over a real denominator is a real 0


def test_a_missing_term_makes_a_sum_not_computable():
    got = compute_indicators({**ROW, "other_income": None}, LAST_YEAR)
    assert got["own_resources_coverage"] is None
    assert got["subsidy_dependence"] is None


def test_previous_year_with_zero_members():
    got = compute_indicators(ROW, {"members": 0})
    assert got["growth_rate"] is None and got["renewal_rate"] is None


def test_decimals_from_the_database_work():
    row = {k: Decimal(v) for k, v in ROW.items()}
    assert compute_indicators(row, LAST_YEAR)["reserve_cover_months"] == pytest.approx(6.0)


def _independent(row, prev):
    def div(a, b):
        return None if a is None or b in (None, 0) else a / b

    def add(*xs):
        return None if None in xs else sum(xs)

    r = row.get
    pm = prev["members"] if prev else None
    return {
        "penetration_rate": div(r("beneficiaries"), r("target_population")),
        "growth_rate": div(None if None in (r("members"), pm) else r("members") - pm, pm),
        "renewal_rate": div(r("renewed_members"), pm),
        "collection_rate": div(r("contributions_collected"), r("contributions_due")),
        "utilisation_rate": div(r("care_episodes"), r("beneficiaries")),
        "average_episode_cost": div(r("benefits_paid"), r("care_episodes")),
        "claims_ratio": div(r("benefits_paid"), r("contributions_collected")),
        "expense_ratio": div(r("operating_expenses"), r("contributions_collected")),
        "own_resources_coverage": div(
            add(r("contributions_collected"), r("other_income")),
            add(r("benefits_paid"), r("operating_expenses")),
        ),
        "subsidy_dependence": div(
            r("subsidies"), add(r("contributions_collected"), r("other_income"), r("subsidies"))
        ),
        "reserve_cover_months": div(
            r("reserves"), None if r("benefits_paid") is None else r("benefits_paid") / 12
        ),
    }


def test_random_returns_match_an_independent_computation():
    rng = random.Random(20261122)
    for _ in range(2000):
        row = {k: rng.choice([None, 0, rng.randint(1, 10**7)]) for k in ROW}
        prev = rng.choice([None, {"members": rng.choice([None, 0, rng.randint(1, 5000)])}])
        got = compute_indicators(row, prev)
        expected = _independent(row, prev)
        for name in expected:
            if expected[name] is None:
                assert got[name] is None, (name, row, prev)
            else:
                assert got[name] == pytest.approx(expected[name]), (name, row, prev)
