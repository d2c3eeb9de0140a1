"""Currencies: the ISO 4217 codes (from `pycountry`) and each country's usual currency.

`pycountry` has the ISO 4217 list but no country -> currency map, and the currency is the one thing
about a country that the portal cannot read from ISO 3166. `data/currencies.csv` holds that map, one
row per ISO 3166-1 country: it was written once from ISO 4217's own table ("List One", where a
currency's entities are the countries using it), by taking the currency whose ISO 4217 numeric code is
the country's ISO 3166 numeric code and, where none is (the euro, the CFA francs, the dollars used
abroad…), the currency that List One names for the country; where List One names several, the one in
everyday use. A country with no universal currency (Antarctica) has an empty cell: its currency is
unknown, and the field is blank. The file is data, kept in the repository: a later change of currency
(a country adopting the euro) is one line there for new databases, and an edit in the admin for
existing ones (the seeding never overwrites a country).
"""

import csv
import gettext
from functools import cache
from pathlib import Path

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "currencies.csv"


@cache
def _names(language: str):
    """ISO 4217 names in `language` (pycountry's translations; English when it has none)."""
    return gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def currency_choices() -> list[tuple[str, str]]:
    """(code, "XOF — Franc CFA (BCEAO)") for every ISO 4217 currency, ordered by code, the name in the
    reader's language."""
    names = _names((get_language() or "fr").split("-")[0])
    currencies = sorted(pycountry.currencies, key=lambda c: c.alpha_3)
    return [(c.alpha_3, f"{c.alpha_3} — {names.gettext(c.name)}") for c in currencies]


def validate_currency(value: str):
    """A currency is an ISO 4217 alphabetic code (any case: the model stores it in capitals)."""
    if value and pycountry.currencies.get(alpha_3=value.upper()) is None:
        raise ValidationError(
            _("%(value)s is not an ISO 4217 currency code (e.g. XOF)."), params={"value": value},
        )


@cache
def country_currencies() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> ISO 4217 code ("" when unknown), from `data/currencies.csv`."""
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        return {row["country"]: row["currency"] for row in csv.DictReader(data)}
