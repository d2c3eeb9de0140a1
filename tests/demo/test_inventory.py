"""The demo inventory that `make run` loads: plausible, labelled, importable, idempotent."""

import pytest

from inventory.models import Mutual, YearlyReturn
from inventory.opendata.exports import returns_rows
from inventory.returns.validation import check_row
from portal.demo.inventory import LABEL, NAMED, demo_rows
from portal.demo.loader import Report, load_inventory
from portal.reference.models import Country

pytestmark = pytest.mark.django_db


def test_demo_rows_respect_the_contract_and_are_deterministic():
    rows = demo_rows()
    assert rows == demo_rows()
    assert all(check_row(_typed(r)) == [] for r in rows[:50])


def _typed(row):
    from inventory.contract import schema
    from inventory.contract.reading import parse_cell

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


def test_demo_accounts_can_try_the_round_trip(client):
    """`make run` gives a manager, a supporting organization and Senegal's focal point to log in as,
    and an open campaign, so the yearly return can be tried at once."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse
    from django.utils import translation

    from inventory.models import Campaign
    from portal.accounts.permissions import can
    from portal.demo.loader import DEMO_CAMPAIGN_YEAR, load_people

    load_inventory(Report())
    report = Report(admin_password="same-as-admin")
    load_people(report)
    assert {role for _email, _password, role in report.people} == {
        "mutual_manager", "supporting_organization", "focal_point",
    }
    assert all(password == "same-as-admin" for _email, password, _role in report.people)
    # Only the focal point needs (and gets) a second factor, printed with the accounts.
    assert list(report.second_factors) == ["point-focal.demo@example.org"]
    focal_point = get_user_model().objects.get(email="point-focal.demo@example.org")
    assert can(focal_point, "view_country_dashboard", country="SN")
    assert Campaign.objects.get(year=DEMO_CAMPAIGN_YEAR).is_open

    manager = get_user_model().objects.get(email="gerant.demo@example.org")
    mutuals = list(manager.managed_mutuals.all())
    assert any(m.name.startswith("Bokk Faj") for m in mutuals)
    assert all(can(manager, "edit_return", mutual=m) for m in mutuals)
    client.force_login(manager)
    with translation.override("fr"):
        page = client.get(reverse("inventory:my_mutuals")).content.decode()
    assert all(m.name in page.replace("&#x27;", "'") for m in mutuals)
    load_people(Report())  # a second run changes nothing
    assert get_user_model().objects.filter(email__endswith=".demo@example.org").count() == 3


def test_the_demo_records_are_unevenly_complete_so_the_disclosure_scores_spread():
    """Issue 14: every demo mutual showed 5 of 5 diamonds, so the score told nothing."""
    from collections import Counter

    from inventory.returns.disclosure import disclosure_score

    rows = [row for row in demo_rows() if row["year"] == "2024"]
    scores = Counter(disclosure_score(row) for row in rows)
    assert len(scores) >= 3 and scores[5] < 0.75 * len(rows)
    assert all("Mutuelle de santé de A" not in row["mutual_name"] for row in demo_rows())  # d’Atlantique
