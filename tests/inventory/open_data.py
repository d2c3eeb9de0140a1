"""A small inventory for the open-data tests, and the returns table computed from it independently
(plain Python from the figures given to the factories, not the portal's code)."""

import csv
import io
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from inventory.contract import schema
from inventory.contract.choices import ReturnState
from inventory.models import ExchangeRate
from tests.factories import CountryFactory, MutualFactory, ReturnFactory

PARITY = Decimal("655.957")
GHS_2024 = Decimal("12.5")
MONEY = ["contribution_amount", "contributions_due", "contributions_collected", "benefits_paid",
         "operating_expenses", "subsidies", "other_income", "reserves"]


def build_inventory() -> dict:
    """Public validated returns in XOF (SN), XAF (CM), GHS with a rate (2024) and without (2025), and
    with no currency (GN); plus what must stay out: a submitted return, a hidden mutual's return."""
    sn, cm = CountryFactory(code="SN", currency="XOF"), CountryFactory(code="CM", currency="XAF")
    gh, gn = CountryFactory(code="GH", currency="GHS"), CountryFactory(code="GN", currency="GNF")
    ExchangeRate.objects.create(currency="GHS", year=2024, rate=GHS_2024, source="test")
    thies = MutualFactory(name="Mutuelle de Thiès", country=sn, acronym="MST", year_created=2001)
    kaolack = MutualFactory(name="Mutuelle de Kaolack", country=sn)
    douala = MutualFactory(name="Mutuelle de Douala", country=cm, mutual_type="enterprise")
    accra = MutualFactory(name="Accra Mutual", country=gh)
    conakry = MutualFactory(name="Mutuelle de Conakry", country=gn)
    hidden = MutualFactory(name="Mutuelle discrète", country=sn, is_public=False)
    V = ReturnState.VALIDATED
    returns = [
        ReturnFactory(mutual=thies, year=2024, state=V, status="functional", members=1000, beneficiaries=4000,
                      target_population=20000, currency="XOF", contributions_due=Decimal("1200000"),
                      contributions_collected=Decimal("1000000"), benefits_paid=Decimal("750000.50"),
                      care_episodes=300, covers_drugs=True, covers_surgery=False),
        ReturnFactory(mutual=thies, year=2025, state=V, status="functional", members=1250,
                      renewed_members=800, currency="XOF", contributions_collected=Decimal("1311914"),
                      reserves=Decimal("0"), contribution_amount=Decimal("3500")),
        ReturnFactory(mutual=douala, year=2025, state=V, status="functional", members=400, currency="XAF",
                      contributions_collected=Decimal("655957"), benefits_paid=Decimal("327978.50"),
                      care_episodes=7),
        ReturnFactory(mutual=accra, year=2024, state=V, status="setup", members=50, currency="GHS",
                      contributions_collected=Decimal("1000"), subsidies=Decimal("333.33")),
        ReturnFactory(mutual=accra, year=2025, state=V, status="functional", members=60, currency="GHS",
                      contributions_collected=Decimal("1500")),
        ReturnFactory(mutual=conakry, year=2025, state=V, status="dormant", members=10,
                      contributions_collected=Decimal("90000")),
    ]
    submitted = ReturnFactory(mutual=kaolack, year=2025, state=ReturnState.SUBMITTED, status="functional",
                              members=777, currency="XOF")
    hidden_return = ReturnFactory(mutual=hidden, year=2025, state=V, status="functional", members=888)
    return {"returns": returns, "submitted": submitted, "hidden": hidden_return,
            "mutuals": {"thies": thies, "kaolack": kaolack, "douala": douala, "accra": accra}}


def _eur(amount, currency, year):
    """Independent conversion: fixed parity for XOF/XAF, the test's GHS 2024 rate, else nothing."""
    if amount is None:
        return None
    rate = {"XOF": PARITY, "XAF": PARITY}.get(currency) or ({("GHS", 2024): GHS_2024}.get((currency, year)))
    if rate is None:
        return None
    return float((Decimal(amount) / rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def expected_rows(inventory) -> dict[tuple[str, int], dict]:
    """{(mutual_id, year): {column: value}} for the columns checked independently."""
    rows = {}
    for ret in inventory["returns"]:
        currency = ret.currency
        expected = {
            "mutual_name": ret.mutual.name, "country": ret.mutual.country_id, "status": ret.status,
            "members": ret.members, "currency": currency or None,
            "contributions_collected": float(ret.contributions_collected),
            "collection_rate": (float(ret.contributions_collected / ret.contributions_due)
                                if ret.contributions_due else None),
            "eur_rate": {"XOF": 655.957, "XAF": 655.957}.get(currency)
            or (12.5 if (currency, ret.year) == ("GHS", 2024) else None),
            "eur_rate_source": {"XOF": "fixed_parity", "XAF": "fixed_parity"}.get(currency)
            or ("yearly_rate" if (currency, ret.year) == ("GHS", 2024)
                else "no_rate" if currency else "no_currency"),
        }
        for name in MONEY:
            expected[f"{name}_eur"] = _eur(getattr(ret, name), currency, ret.year)
        cost = (ret.benefits_paid / ret.care_episodes) if ret.benefits_paid and ret.care_episodes else None
        expected["average_episode_cost_eur"] = _eur(cost, currency, ret.year)
        rows[(ret.mutual.mutual_id, ret.year)] = expected
    return rows


# --- Reading the formats back into typed values -----------------------------------------------------

def parse_csv(data: bytes, table: str = "returns") -> list[dict]:
    """CSV bytes → typed rows, by the published schema (empty cell → None)."""
    kinds = {f["name"]: f["type"] for f in schema.published_fields(table)}
    rows = []
    for raw in csv.DictReader(io.StringIO(data.decode("utf-8"))):
        row = {}
        for name, text in raw.items():
            kind = kinds[name]
            if text == "":
                row[name] = None
            elif kind == "integer":
                row[name] = int(text)
            elif kind == "number":
                row[name] = float(text)
            elif kind == "boolean":
                row[name] = {"true": True, "false": False}[text]
            elif kind == "datetime":
                row[name] = datetime.fromisoformat(text)
            else:
                row[name] = text
        rows.append(row)
    return rows


def normalized(value):
    """Values compared across formats: empty strings are missing, datetimes in UTC to the second."""
    if value == "":
        return None
    if isinstance(value, datetime):
        from datetime import UTC

        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(microsecond=0)
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value
