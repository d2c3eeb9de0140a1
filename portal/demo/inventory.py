"""A plausible demo inventory, clearly labelled: every mutual's name ends with "(démo)".

The mutuals named in the seed documents appear with invented figures; the others are generated.
Deterministic (fixed seed), as rows of the returns table, so the demo goes through the same import
as a real file.
"""

import io
import random

from inventory.contract import schema
from portal.core.spreadsheets import csv_writer
from portal.i18n import elide_french

LABEL = " (démo)"
YEARS = range(2016, 2026)

# Mutuals named in the seeds (ILO STEP and Concertation documents): (country, name, acronym, region).
NAMED = [
    ("BJ", "Mutuelle de santé d'Abomey", "", "Zou"),
    ("BJ", "Mutuelle de santé de Kétou", "", "Plateau"),
    ("BF", "Mutuelle de Zabré", "", "Centre-Est"),
    ("BF", "Mutuelle de Koudougou", "", "Centre-Ouest"),
    ("BF", "Mutuelle de Toéghin", "", "Plateau-Central"),
    ("BF", "Mutuelle de Saaba", "", "Centre"),
    ("CD", "Mutuelle de santé des enseignants des écoles catholiques de Kinshasa", "MUSECKIN", "Kinshasa"),
    ("CD", "Mutuelle de santé de Kisantu", "MUSAKIS", "Kongo-Central"),
    ("CD", "Mutuelle de santé de Kisenso", "MUSAKI", "Kinshasa"),
    ("SN", "Mutuelle de santé Wer werlé Dakar", "", "Dakar"),
    ("SN", "Mutuelle de santé Wer werlé Thiès", "", "Thiès"),
    ("SN", "Bokk Faj", "", "Thiès"),
    ("SN", "Aar Sa Jaboot", "", "Fatick"),
    ("SN", "Mutuelle de santé de Diaobé", "", "Kolda"),
    ("SN", "Mutuelle des volontaires et contractuels de l'éducation", "MVCE", "Dakar"),
    ("CM", "Mutuelle de Nylon", "", "Littoral"),
]
COUNTRIES = {
    "SN": ("XOF", ["Dakar", "Thiès", "Kaolack", "Fatick", "Kolda", "Saint-Louis"]),
    "ML": ("XOF", ["Bamako", "Kayes", "Sikasso", "Ségou", "Mopti"]),
    "BF": ("XOF", ["Centre", "Hauts-Bassins", "Centre-Ouest", "Est", "Nord"]),
    "CI": ("XOF", ["Abidjan", "Bouaké", "Korhogo", "San-Pédro"]),
    "BJ": ("XOF", ["Zou", "Plateau", "Borgou", "Atlantique"]),
    "TG": ("XOF", ["Maritime", "Plateaux", "Kara", "Savanes"]),
    "NE": ("XOF", ["Niamey", "Maradi", "Zinder", "Tahoua"]),
    "GN": ("GNF", ["Conakry", "Kindia", "Labé", "Kankan"]),
    "MR": ("MRU", ["Nouakchott", "Nouadhibou", "Kiffa"]),
    "CM": ("XAF", ["Littoral", "Centre", "Ouest", "Nord"]),
    "TD": ("XAF", ["N'Djamena", "Moundou", "Abéché"]),
    "CD": ("CDF", ["Kinshasa", "Kongo-Central", "Sud-Kivu", "Kasaï"]),
    "RW": ("RWF", ["Kigali", "Huye", "Musanze"]),
    "BI": ("BIF", ["Bujumbura", "Gitega", "Ngozi"]),
}
# Rough yearly contribution per member, in local currency.
_CONTRIBUTION = {"XOF": 4000, "XAF": 4000, "GNF": 60000, "MRU": 250, "CDF": 15000, "RWF": 3000,
                 "BIF": 8000}


# Cells a mutual often leaves empty, and the share of mutuals with that habit.
_GAPS = (
    (("operating_expenses", "contributions_due"), 0.25),
    (("target_population",), 0.15),
    (("payment_mode",), 0.1),
)


def demo_rows(generated_per_country: int = 20, seed: int = 2026) -> list[dict]:
    """Rows (strings, as in a file) of the demo inventory, in the returns table's columns."""
    rng = random.Random(seed)
    identities = []
    numbers = dict.fromkeys(COUNTRIES, 0)
    for country, name, acronym, region in NAMED:
        identities.append((country, name, acronym, region))
    for country, (_currency, regions) in COUNTRIES.items():
        for _n in range(generated_per_country):
            region = rng.choice(regions)
            name = elide_french(f"Mutuelle de santé de {region} n° {rng.randint(1, 99)}")
            identities.append((country, name, "", region))
    rows = []
    for country, name, acronym, region in identities:
        numbers[country] += 1
        currency = COUNTRIES[country][0]
        rows.extend(_mutual_rows(rng, f"{country}-{numbers[country]:04d}", country, name + LABEL,
                                 acronym, region, currency))
    return rows


def _mutual_rows(rng, mutual_id, country, name, acronym, region, currency):
    created = rng.randint(1995, 2018)
    identity = {
        "mutual_id": mutual_id, "mutual_name": name, "acronym": acronym, "country": country,
        "region": region, "locality": "", "year_created": str(created),
        "mutual_type": rng.choice(schema.enum("mutual_type")[:5]),
        "legal_status": rng.choice(schema.enum("legal_status")),
        "union": rng.choice(["", f"Union des mutuelles de {region}"]),
    }
    members = rng.randint(80, 3000)
    fee = _CONTRIBUTION[currency] * rng.uniform(0.6, 1.6)
    # Records are not all complete: a mutual without bookkeeping of its expenses, without an estimate
    # of its target population, or unsure how providers are paid leaves those cells empty most years
    # (so the disclosure score tells mutuals apart). Drawn from their own generator: the figures
    # that are given stay those of `rng`.
    gaps_rng = random.Random(mutual_id)
    habits = {columns: gaps_rng.random() < share for columns, share in _GAPS}
    status = "setup" if created >= 2016 else "functional"
    rows = []
    for year in YEARS:
        if year < created or rng.random() < 0.12:
            continue  # not created yet, or did not report that year
        if status == "functional" and rng.random() < 0.04:
            status = "dormant"
        elif status == "setup" and year > created:
            status = "functional"
        members = max(20, int(members * rng.uniform(0.85, 1.25)))
        beneficiaries = int(members * rng.uniform(2.5, 5.0))
        due = members * fee
        collected = due * rng.uniform(0.55, 0.98)
        benefits = collected * rng.uniform(0.4, 1.1)
        episodes = int(beneficiaries * rng.uniform(0.2, 1.2))
        latest = year == YEARS[-1]
        rows.append({
            **identity, "year": str(year), "status": status,
            "target_population": str(beneficiaries * rng.randint(4, 15)),
            "members": str(members), "beneficiaries": str(beneficiaries),
            "new_members": str(int(members * rng.uniform(0.05, 0.3))),
            "renewed_members": str(int(members * rng.uniform(0.5, 0.85))),
            "membership_unit": rng.choice(["individual", "family"]),
            "contribution_amount": f"{fee / 12:.0f}", "contribution_period": "month",
            "currency": currency, "waiting_period_days": str(rng.choice([30, 60, 90])),
            "covers_primary_care": "true", "covers_drugs": "true",
            "covers_hospitalization": rng.choice(["true", "false"]),
            "covers_surgery": rng.choice(["true", "false", ""]),
            "covers_childbirth": rng.choice(["true", "false"]), "covers_transport": "false",
            "covers_lab": rng.choice(["true", "false"]),
            "copayment_percent": str(rng.choice([0, 10, 20, 25, 30])),
            "payment_mode": rng.choice(["third_party", "third_party", "reimbursement"]),
            "contracted_providers": str(rng.randint(1, 12)),
            "contributions_due": f"{due:.0f}", "contributions_collected": f"{collected:.0f}",
            "benefits_paid": f"{benefits:.0f}",
            "operating_expenses": f"{collected * rng.uniform(0.1, 0.3):.0f}",
            "subsidies": f"{collected * rng.uniform(0, 0.6):.0f}",
            "other_income": f"{collected * rng.uniform(0, 0.1):.0f}",
            "reserves": f"{benefits * rng.uniform(0.1, 0.8):.0f}", "care_episodes": str(episodes),
            "provider_payment_delay_days": str(rng.randint(15, 120)),
            "software": rng.choice(["", "MAS Gestion", "Excel"]),
            "paid_staff": str(rng.randint(0, 4)), "volunteer_staff": str(rng.randint(2, 15)),
            "general_assembly_held": rng.choice(["true", "true", "false"]),
            # The latest year is still being checked by the focal points for some mutuals.
            "validation_status": "submitted" if latest and rng.random() < 0.3 else "validated",
        })
        for columns, habit in habits.items():
            if habit and gaps_rng.random() < 0.8:
                rows[-1].update(dict.fromkeys(columns, ""))
    return rows


def demo_csv(rows: list[dict]) -> io.BytesIO:
    """The rows as a UTF-8 CSV file in memory, ready for `imports.import_returns`: the header, then
    each row in the contract's column order, with `\n` line ends. Written with the portal's CSV
    writer like every other CSV; the demo's cells hold no formula sign, so they go out as generated."""
    text = io.StringIO()
    columns = [c for c in schema.column_names() if c in rows[0]]
    writer = csv_writer(text, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[column] for column in columns])
    return io.BytesIO(text.getvalue().encode("utf-8"))
