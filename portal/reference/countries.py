"""The ISO 3166-1 countries, with their English and French names, as the seeding writes them.

Names come from `pycountry` (the Debian iso-codes data and its French translation): English is the
common name where ISO gives one ("Tanzania" rather than "Tanzania, United Republic of"), French is
its translation, else the translation of the ISO name; `READABLE` puts the few names that ISO writes
inverted for sorting ("Russie, Fédération de") in the order a reader says them.

`NETWORK` lists the countries of the network (`../shared/DOMAIN.md`: the West and Central African
countries of the inventory, and those of the Great Lakes): a country seeded from that list starts in
the network, any other one outside it.

`seed_countries` creates the countries missing from the table, and completes the placeholders that an
inventory import left before the countries were seeded (it created an unknown code with the code for
both names, the file's currency or "XXX", outside the network): a row whose two names are its code
gets the ISO names, the ISO currency when its own is empty or "XXX", and joins the network when
`NETWORK` lists it. Any other existing row is never touched (its names, currency, focal point or flag
may have been edited by the secretariat; a real name in either language is such an edit). Run on an
upgraded database it adds and completes; run twice it changes nothing.

The names are those of the `pycountry` installed when the migration runs (pinned in
`requirements.lock`): a later pycountry changes no seeded row.
"""

import gettext

import pycountry

from .currencies import country_currencies

NETWORK = frozenset({"BF", "BI", "BJ", "CD", "CI", "CM", "GN", "ML", "MR", "NE", "RW", "SN", "TD", "TG"})

# code -> (English, French) where the ISO name is inverted for sorting; None keeps the ISO name.
READABLE = {
    "AX": (None, "Îles Åland"),
    "CC": (None, "Îles Cocos (Keeling)"),
    "CD": ("Democratic Republic of the Congo", None),
    "CX": (None, "Île Christmas"),
    "FK": (None, "Îles Malouines (Falkland)"),
    "FM": ("Micronesia", "Micronésie"),
    "IR": (None, "Iran"),
    "LA": (None, "Laos"),
    "PS": ("Palestine", "Palestine"),
    "RE": (None, "La Réunion"),
    "RU": ("Russia", "Russie"),
    "SB": (None, "Îles Salomon"),
    "VG": ("British Virgin Islands", None),
    "VI": ("United States Virgin Islands", "Îles Vierges des États-Unis"),
}


def _french():
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])


def iso_countries() -> list[dict]:
    """Every ISO 3166-1 country as the fields of a new `Country` row."""
    french = _french()
    currencies = country_currencies()
    rows = []
    for country in pycountry.countries:
        english = getattr(country, "common_name", None) or country.name
        translated = french.gettext(english)
        readable_en, readable_fr = READABLE.get(country.alpha_2, (None, None))
        rows.append({
            "code": country.alpha_2,
            "name_en": readable_en or english,
            "name_fr": readable_fr or (translated if translated != english else french.gettext(country.name)),
            "currency": currencies.get(country.alpha_2, ""),
            "in_network": country.alpha_2 in NETWORK,
        })
    return rows


def is_placeholder(country) -> bool:
    """Whether `country` still has the code for both names, as an import created it before the seeding
    (`name_fr=code, name_en=code`): nobody has named it yet."""
    code = country.code.strip().upper()
    return all(name.strip().upper() in ("", code) for name in (country.name_fr, country.name_en))


def seed_countries(country_model) -> int:
    """Create the ISO countries missing from `country_model`'s table (a historical model in a
    migration) and complete the placeholders (`is_placeholder`); returns how many rows it wrote."""
    iso = {row["code"]: row for row in iso_countries()}
    existing = {country.code: country for country in country_model.objects.all()}
    missing = [country_model(**row) for code, row in iso.items() if code not in existing]
    completed = []
    for code, country in existing.items():
        row = iso.get(code)
        if row is None or not is_placeholder(country):
            continue  # a code outside ISO's list (XK), or a country someone named
        country.name_fr, country.name_en = row["name_fr"], row["name_en"]
        if country.currency.strip().upper() in ("", "XXX"):
            country.currency = row["currency"]
        country.in_network = country.in_network or row["in_network"]
        completed.append(country)
    country_model.objects.bulk_create(missing)
    country_model.objects.bulk_update(completed, ["name_fr", "name_en", "currency", "in_network"])
    return len(missing) + len(completed)
