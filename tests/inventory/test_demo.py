"""The demo inventory that `make run` loads: plausible, labelled, importable, idempotent."""

import pytest

from inventory.demo import LABEL, NAMED, demo_rows
from inventory.exports import returns_rows
from inventory.models import Country, Mutual, YearlyReturn
from inventory.validation import check_row
from portal.demo.loader import Report, load_inventory

pytestmark = pytest.mark.django_db


def test_demo_rows_respect_the_contract_and_are_deterministic():
    rows = demo_rows()
    assert rows == demo_rows()
    assert all(check_row(_typed(r)) == [] for r in rows[:50])


def _typed(row):
    from inventory import schema
    from inventory.imports import parse_cell

    return {k: parse_cell(schema.field(k), v) for k, v in row.items()}


def test_demo_inventory_loads_once_with_every_mutual_labelled():
    load_inventory(Report())
    mutuals = Mutual.objects.all()
    assert mutuals.count() >= 250
    assert all(m.name.endswith(LABEL) for m in mutuals)
    assert set(Country.objects.filter(mutual__isnull=False).values_list("code", flat=True)) >= {
        "SN", "ML", "BF", "CI", "BJ", "TG", "NE", "GN", "MR", "CM", "TD", "CD", "RW", "BI",
    }
    for _country, name, _acronym, _region in NAMED:
        assert mutuals.filter(name=name + LABEL).exists(), name
    returns = YearlyReturn.objects.count()
    assert YearlyReturn.objects.values("year").distinct().count() == 10
    assert next(returns_rows())["validation_status"] == "validated"
    load_inventory(Report())
    assert YearlyReturn.objects.count() == returns
