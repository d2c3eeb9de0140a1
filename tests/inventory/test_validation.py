"""Errors block, warnings ask for a comment: the contract's constraints on single values and rows."""

from decimal import Decimal

import pytest
from django.utils import translation

from inventory.contract import schema
from inventory.returns.validation import check_row, check_value, plausibility_warnings


@pytest.mark.parametrize("column,value,ok", [
    ("members", 120, True), ("members", -1, False), ("members", 1.5, False), ("members", True, False),
    ("copayment_percent", Decimal("20.5"), True), ("copayment_percent", 101, False),
    ("status", "functional", True), ("status", "fonctionnelle", False),
    ("mutual_id", "SN-0042", True), ("mutual_id", "SN-42", False), ("mutual_id", "sn-0042", False),
    ("currency", "XOF", True), ("currency", "F CFA", False),
    ("year", 1998, True), ("year", 1997, False),
    ("covers_drugs", False, True), ("covers_drugs", "oui", False),
    ("members", None, True), ("status", "", False), ("year", None, False),
])
def test_single_values_against_the_contract(column, value, ok):
    assert (check_value(schema.field(column), value) is None) is ok


def test_reasons_are_in_the_reader_language():
    with translation.override("fr"):
        assert check_value(schema.field("members"), -1) == "Doit être au moins 0."
    with translation.override("en"):
        assert check_value(schema.field("members"), -1) == "Must be at least 0."


def test_a_row_lists_every_problem_with_its_column():
    row = {"mutual_id": "X1", "mutual_name": "M", "country": "SN", "year": 2025, "status": "open",
           "members": -3}
    assert [(p.column, p.value) for p in check_row(row)] == [
        ("mutual_id", "X1"), ("status", "open"), ("members", -3),
    ]


def test_plausibility_warnings_never_block_but_are_named():
    row = {"members": 900, "beneficiaries": 600, "target_population": 500,
           "contributions_due": 100, "contributions_collected": 150, "renewed_members": 400}
    codes = {w.code for w in plausibility_warnings(row, {"members": 250})}
    assert codes == {
        "beneficiaries_below_members", "beneficiaries_above_target", "collected_above_due",
        "renewed_above_last_members", "members_changed",
    }


def test_an_ordinary_year_raises_no_warning():
    row = {"members": 1100, "beneficiaries": 4000, "target_population": 20000,
           "contributions_due": 100, "contributions_collected": 90, "renewed_members": 900}
    assert plausibility_warnings(row, {"members": 1000, "beneficiaries": 3800}) == []
