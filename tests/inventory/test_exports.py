"""A return as a row of the published returns table."""

from decimal import Decimal

import pytest

from inventory.contract import schema
from inventory.contract.choices import ReturnState
from inventory.models import Union
from inventory.opendata.exports import return_row
from tests.factories import MutualFactory, ReturnFactory

pytestmark = pytest.mark.django_db


def test_row_has_the_contract_columns_in_order_and_no_personal_data():
    mutual = MutualFactory(
        contact_name="Awa Diop", contact_phone="+221 77 000 00 00", contact_email="awa@example.org",
        union=Union.objects.create(name="Union des mutuelles de Thiès"),
    )
    row = return_row(ReturnFactory(mutual=mutual, state=ReturnState.VALIDATED))
    assert list(row) == schema.column_names()
    assert row["union"] == "Union des mutuelles de Thiès"
    assert row["validation_status"] == "validated"
    values = {str(v) for v in row.values()}
    assert not values & {"Awa Diop", "+221 77 000 00 00", "awa@example.org"}


def test_row_indicators_use_last_year_validated_members():
    mutual = MutualFactory()
    last = ReturnFactory(mutual=mutual, year=2024, members=1000, state=ReturnState.VALIDATED)
    now = ReturnFactory(
        mutual=mutual, year=2025, members=1250, renewed_members=800,
        contributions_due=Decimal("1000.00"), contributions_collected=Decimal("850.50"),
    )
    row = return_row(now, last)
    assert row["growth_rate"] == pytest.approx(0.25)
    assert row["renewal_rate"] == pytest.approx(0.8)
    assert row["collection_rate"] == pytest.approx(0.8505)
    assert row["contributions_due"] == 1000 and isinstance(row["contributions_due"], int)
    assert row["contributions_collected"] == 850.5
    assert row["penetration_rate"] is None  # no target population: not computable
