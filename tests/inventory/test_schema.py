"""The portal's copy of the data contract is the contract."""

import json
import os
from pathlib import Path

import pytest

from inventory.contract import schema

SHARED = Path(__file__).resolve().parents[3] / "shared" / "inventory"


@pytest.mark.parametrize("table", ["returns", "synthesis"])
def test_published_schema_starts_with_the_contract_columns_in_order(table):
    contract = SHARED / f"{table}.schema.json"
    if not contract.exists():
        if os.environ.get("CI"):
            pytest.fail(f"CI runs with ../shared beside the checkout; {contract} is missing")
        pytest.skip("../shared/inventory is not beside this checkout")
    expected = json.loads(contract.read_text(encoding="utf-8"))["fields"]
    ours = schema.fields(table)
    # Columns may only be added at the end; the contract's ones keep name, type and constraints.
    assert ours[: len(expected)] == expected


def test_indicator_columns_are_the_eleven_computed_ones():
    assert schema.indicator_names() == [
        "penetration_rate", "growth_rate", "renewal_rate", "collection_rate", "utilisation_rate",
        "average_episode_cost", "claims_ratio", "expense_ratio", "own_resources_coverage",
        "subsidy_dependence", "reserve_cover_months",
    ]


def test_titles_follow_the_language():
    from django.utils import translation

    with translation.override("fr"):
        assert schema.title("members") != schema.field("members")["title"]
    with translation.override("en"):
        assert schema.title("members") == schema.field("members")["title"]
