"""The ISO 3166-1 countries, with their English and French names, as the seeding writes them.

Names come from `pycountry` (the Debian iso-codes data and its French translation): English is the
common name where ISO gives one ("Tanzania" rather than "Tanzania, United Republic of"), French is
its translation, else the translation of the ISO name; `READABLE` puts the few names that ISO writes
inverted for sorting ("Russie, Fédération de") in the order a reader says them.

`NETWORK` lists the countries of the network (`../shared/DOMAIN.md`: the West and Central African
countries of the inventory, and those of the Great Lakes): a country seeded from that list starts in
the network, any other one outside it.

`seed_countries` creates the countries missing from the table and never touches an existing row (its
names, currency, focal point or flag may have been edited by the secretariat): run on an upgraded
database it only adds; run twice it adds nothing.
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


def seed_countries(country_model) -> int:
    """Create the ISO countries missing from `country_model`'s table (a historical model in a
    migration); returns how many were created."""
    existing = set(country_model.objects.values_list("code", flat=True))
    missing = [country_model(**row) for row in iso_countries() if row["code"] not in existing]
    country_model.objects.bulk_create(missing)
    return len(missing)
