"""Money in euros: the returns table's amounts converted with the rate of their currency and year.

A rate is *local units for 1 EUR* (655.957 XOF). The CFA francs (XOF, XAF) are pegged to the euro
at 655.957 — a fact, not a table entry, so they convert for any year whatever the table holds. Other
currencies float: they convert only with the rate the secretariat entered for that currency and
year (`ExchangeRate`). Without one nothing is converted and the row says why — a neighbouring
year's rate or the country's usual currency would be a guess published as a figure.

Pure functions: `rates` is a mapping {(currency, year): Decimal} (`ExchangeRate.objects.table()`).
"""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum

FIXED_PARITY = Decimal("655.957")
FIXED_CURRENCIES = frozenset({"XOF", "XAF"})
FIRST_YEAR = 1998  # the contract's first reporting year
CENT = Decimal("0.01")

# The returns table's money columns, each followed in the downloads by `<name>_eur`.
# average_episode_cost is an indicator (benefits_paid / care_episodes), money all the same.
MONEY_COLUMNS = [
    "contribution_amount", "contributions_due", "contributions_collected", "benefits_paid",
    "operating_expenses", "subsidies", "other_income", "reserves", "average_episode_cost",
]


class RateSource(StrEnum):
    """Where a row's `eur_rate` comes from (the `eur_rate_source` column's codes)."""

    FIXED_PARITY = "fixed_parity"
    EURO = "euro"
    YEARLY_RATE = "yearly_rate"
    NO_RATE = "no_rate"
    NO_CURRENCY = "no_currency"


Rates = Mapping[tuple[str, int], Decimal]


def rate_for(currency: str | None, year: int, rates: Rates) -> tuple[Decimal | None, RateSource]:
    """Units of `currency` for 1 EUR in `year`, and where that rate comes from (None: no rate)."""
    currency = (currency or "").strip().upper()
    if not currency:
        return None, RateSource.NO_CURRENCY
    if currency in FIXED_CURRENCIES:
        return FIXED_PARITY, RateSource.FIXED_PARITY
    if currency == "EUR":
        return Decimal(1), RateSource.EURO
    rate = rates.get((currency, int(year)))
    if rate is None or rate <= 0:
        return None, RateSource.NO_RATE
    return Decimal(rate), RateSource.YEARLY_RATE


def to_eur(amount, currency: str | None, year: int, rates: Rates) -> Decimal | None:
    """`amount` of `currency` in `year` as euros rounded to the cent; None when the amount is
    missing or there is no rate (never estimated)."""
    if amount is None or amount == "":
        return None
    rate, _source = rate_for(currency, year, rates)
    if rate is None:
        return None
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    except InvalidOperation as error:
        raise ValueError(f"not an amount: {amount!r}") from error
    return (value / rate).quantize(CENT, rounding=ROUND_HALF_UP)


def _plain(value: Decimal | None):
    """A Decimal as the tables' plain numbers: int when whole, else float (as `exports._number`)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def eur_columns(row: Mapping, rates: Rates) -> dict:
    """The columns the portal adds to a returns-table row (`returns.extension.json`): `eur_rate`,
    `eur_rate_source`, then `<money column>_eur` for each of `MONEY_COLUMNS`.

    `row` has the contract's `currency`, `year` and money columns (plain numbers or None).
    """
    rate, source = rate_for(row.get("currency"), row["year"], rates)
    added = {"eur_rate": _plain(rate), "eur_rate_source": str(source)}
    for name in MONEY_COLUMNS:
        added[f"{name}_eur"] = _plain(to_eur(row.get(name), row.get("currency"), row["year"], rates))
    return added
