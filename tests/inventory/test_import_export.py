"""The data contract end to end: import a random inventory, export it, and check every cell
against an independent computation; bad files import nothing and say why."""

import csv
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from inventory.contract import schema
from inventory.contract.choices import ReturnState
from inventory.contract.imports import import_returns
from inventory.contract.reading import ImportFailed
from inventory.models import Mutual, ReturnRevision, YearlyReturn

pytestmark = pytest.mark.django_db
COMPUTED = schema.indicator_names()
INPUT_COLUMNS = [c for c in schema.column_names() if c not in COMPUTED and c != "last_updated"]


def random_inventory(rng, mutuals=250, years=range(2014, 2026)):
    """Rows as a researcher's file would hold them: strings, plain decimals, gaps in the years."""
    rows = []
    countries = ["SN", "ML", "BF", "CI", "GN", "CM", "BJ", "TG"]
    for n in range(mutuals):
        country = rng.choice(countries)
        identity = {
            "mutual_id": f"{country}-{1000 + n:04d}", "mutual_name": f"Mutuelle {n}",
            "acronym": rng.choice(["", f"M{n}"]), "country": country, "region": rng.choice(["", "Nord"]),
            "locality": "", "year_created": str(rng.randint(1990, 2013)),
            "mutual_type": rng.choice(schema.enum("mutual_type")),
            "legal_status": rng.choice(schema.enum("legal_status")),
            "union": rng.choice(["", f"Union {country}"]),
        }
        members = rng.randint(50, 5000)
        for year in years:
            if rng.random() < 0.15:
                continue  # this mutual did not report that year
            members = max(0, members + rng.randint(-300, 400))
            money = lambda: rng.choice(["", "0", str(rng.randint(0, 10**8)), f"{rng.randint(0, 10**6)}.5"])  # noqa: E731
            count = lambda: rng.choice(["", "0", str(rng.randint(1, 20000))])  # noqa: E731
            rows.append({**identity, "year": str(year),
                "status": rng.choice(schema.enum("status")),
                "target_population": count(), "members": str(members), "beneficiaries": count(),
                "new_members": count(), "renewed_members": count(),
                "membership_unit": rng.choice(["", *schema.enum("membership_unit")]),
                "contribution_amount": money(), "contribution_period": rng.choice(["", "month", "year"]),
                "currency": "XOF", "waiting_period_days": count(),
                "covers_primary_care": rng.choice(["", "true", "false"]),
                "covers_drugs": "true", "covers_hospitalization": "false", "covers_surgery": "",
                "covers_childbirth": "true", "covers_transport": "", "covers_lab": "false",
                "copayment_percent": rng.choice(["", "0", "25", "12.5"]),
                "payment_mode": rng.choice(["", *schema.enum("payment_mode")]),
                "contracted_providers": count(), "contributions_due": money(),
                "contributions_collected": money(), "benefits_paid": money(),
                "operating_expenses": money(), "subsidies": money(), "other_income": money(),
                "reserves": money(), "care_episodes": count(), "provider_payment_delay_days": count(),
                "software": rng.choice(["", "MAS Gestion"]), "paid_staff": count(),
                "volunteer_staff": count(), "general_assembly_held": rng.choice(["true", "false"]),
                "validation_status": "validated",
            })
    return rows


def write_csv(path, rows, columns=None):
    columns = columns or INPUT_COLUMNS
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def num(text):
    return None if text == "" else float(text)


def expected_indicators(row, previous_members):
    """Written from the schema's descriptions, independently of inventory/returns/indicators.py."""
    def div(a, b):
        return None if a is None or b is None or b == 0 else a / b

    def total(*xs):
        return None if any(x is None for x in xs) else sum(xs)

    v = {k: num(row[k]) for k in (
        "target_population", "members", "beneficiaries", "renewed_members", "contributions_due",
        "contributions_collected", "benefits_paid", "operating_expenses", "subsidies",
        "other_income", "reserves", "care_episodes")}
    return {
        "penetration_rate": div(v["beneficiaries"], v["target_population"]),
        "growth_rate": div(None if previous_members is None else v["members"] - previous_members,
                           previous_members),
        "renewal_rate": div(v["renewed_members"], previous_members),
        "collection_rate": div(v["contributions_collected"], v["contributions_due"]),
        "utilisation_rate": div(v["care_episodes"], v["beneficiaries"]),
        "average_episode_cost": div(v["benefits_paid"], v["care_episodes"]),
        "claims_ratio": div(v["benefits_paid"], v["contributions_collected"]),
        "expense_ratio": div(v["operating_expenses"], v["contributions_collected"]),
        "own_resources_coverage": div(total(v["contributions_collected"], v["other_income"]),
                                      total(v["benefits_paid"], v["operating_expenses"])),
        "subsidy_dependence": div(v["subsidies"], total(v["contributions_collected"],
                                                        v["other_income"], v["subsidies"])),
        "reserve_cover_months": div(v["reserves"], None if v["benefits_paid"] is None
                                    else v["benefits_paid"] / 12),
    }


def export_rows():
    out = io.StringIO()
    call_command("export_inventory", "--what", "returns", "--format", "csv", stdout=out, stderr=io.StringIO())
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_random_inventory_round_trips_through_import_and_export(tmp_path):
    rng = random.Random(1998)
    rows = random_inventory(rng)
    assert len(rows) > 2000
    out = io.StringIO()
    call_command("import_inventory", str(write_csv(tmp_path / "inventory.csv", rows)), stdout=out)
    assert f"Returns: {len(rows)} created" in out.getvalue()

    exported = export_rows()
    assert list(exported[0]) == schema.published_column_names()  # the contract, then the EUR columns
    assert len(exported) == len(rows)
    by_key = {(r["mutual_id"], r["year"]): r for r in exported}
    members = {(r["mutual_id"], int(r["year"])): float(r["members"]) for r in rows}
    for source in rows:
        got = by_key[(source["mutual_id"], source["year"])]
        for column in INPUT_COLUMNS:
            if schema.field(column)["type"] == "number":
                assert num(got[column]) == num(source[column]), column
            else:
                assert got[column] == source[column], column
        previous = members.get((source["mutual_id"], int(source["year"]) - 1))
        for name, value in expected_indicators(source, previous).items():
            if value is None:
                assert got[name] == "", (name, source)
            else:
                assert float(got[name]) == pytest.approx(value, rel=1e-9), name
                assert "e" not in got[name].lower()


def test_importing_the_same_file_again_changes_nothing(tmp_path):
    rows = random_inventory(random.Random(7), mutuals=20)
    path = write_csv(tmp_path / "inventory.csv", rows)
    first = import_returns(path)
    revisions = ReturnRevision.objects.count()
    again = import_returns(path)
    assert (again.returns_created, again.returns_updated, again.returns_unchanged) == (
        0, 0, first.returns_created,
    )
    assert ReturnRevision.objects.count() == revisions


def test_a_correction_becomes_a_new_revision(tmp_path):
    rows = random_inventory(random.Random(8), mutuals=3)
    import_returns(write_csv(tmp_path / "a.csv", rows))
    rows[0]["members"] = "4321"
    report = import_returns(write_csv(tmp_path / "b.csv", rows))
    assert report.returns_updated == 1
    ret = YearlyReturn.objects.get(mutual__mutual_id=rows[0]["mutual_id"], year=rows[0]["year"])
    assert ret.members == 4321
    assert ret.revisions.order_by("-number").first().changed_fields == ["members"]


def test_an_invalid_file_imports_nothing_and_lists_every_problem(tmp_path):
    rows = random_inventory(random.Random(9), mutuals=5)
    rows[1]["members"] = "beaucoup"
    rows[2]["status"] = "fonctionnelle"
    rows[3]["mutual_id"] = "SN-12"
    rows[4]["copayment_percent"] = "150"
    before = (Mutual.objects.count(), YearlyReturn.objects.count())
    with pytest.raises(ImportFailed) as failure:
        import_returns(write_csv(tmp_path / "bad.csv", rows))
    found = {(p.row, p.column, p.value) for p in failure.value.problems}
    assert found == {
        (3, "members", "beaucoup"), (4, "status", "fonctionnelle"), (5, "mutual_id", "SN-12"),
        (6, "copayment_percent", "150"),
    }
    assert (Mutual.objects.count(), YearlyReturn.objects.count()) == before


def test_unknown_columns_are_an_error_not_dropped(tmp_path):
    rows = random_inventory(random.Random(10), mutuals=1)[:1]
    rows[0]["phone_of_manager"] = "+221 77"
    path = write_csv(tmp_path / "extra.csv", rows, [*INPUT_COLUMNS, "phone_of_manager"])
    with pytest.raises(ImportFailed) as failure:
        import_returns(path)
    assert [(p.row, p.column) for p in failure.value.problems] == [(1, "phone_of_manager")]


def test_a_mutual_described_differently_in_two_rows_is_an_error(tmp_path):
    rows = random_inventory(random.Random(11), mutuals=1)[:2]
    rows[1]["mutual_name"] = "Autre nom"
    with pytest.raises(ImportFailed) as failure:
        import_returns(write_csv(tmp_path / "two.csv", rows))
    assert [(p.row, p.column) for p in failure.value.problems] == [(3, "mutual_name")]


def test_rows_without_validation_status_arrive_submitted_and_stay_private(tmp_path):
    rows = random_inventory(random.Random(12), mutuals=2)
    for row in rows:
        row["validation_status"] = ""
    import_returns(write_csv(tmp_path / "sub.csv", rows))
    assert set(YearlyReturn.objects.values_list("state", flat=True)) == {ReturnState.SUBMITTED}
    assert export_rows() == []


def test_xlsx_files_import_like_csv(tmp_path):
    from openpyxl import Workbook

    rows = random_inventory(random.Random(13), mutuals=2)
    book = Workbook()
    sheet = book.active
    sheet.append(INPUT_COLUMNS)
    for row in rows:
        sheet.append([int(row[c]) if c == "year" else row[c] for c in INPUT_COLUMNS])
    book.save(tmp_path / "inventory.xlsx")
    report = import_returns(tmp_path / "inventory.xlsx")
    assert report.returns_created == len(rows)


@pytest.mark.parametrize("name,content,reason", [
    ("notes.txt", b"hello", "Only .csv and .xlsx"),
    ("broken.xlsx", b"not a zip", "not a readable XLSX"),
    ("latin1.csv", "mutual_id;année\n".encode("latin-1"), "not UTF-8"),
])
def test_files_that_are_not_inventories_get_a_clear_error(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with translation.override("en"), pytest.raises(ImportFailed) as failure:
        import_returns(path)
    assert reason in failure.value.problems[0].reason


def test_the_command_fails_loudly_with_each_problem(tmp_path, capsys):
    rows = random_inventory(random.Random(14), mutuals=1)[:1]
    rows[0]["members"] = "-5"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_inventory", str(write_csv(tmp_path / "neg.csv", rows)), stderr=err)
    assert "row 2, column members, value '-5'" in err.getvalue()


def test_formula_like_texts_come_back_as_typed_from_an_exported_csv(tmp_path):
    """The export puts a ' before a text a spreadsheet would run; importing that file gives the text
    as it was typed, so an exported file imports back unchanged (no ' piling up at each round)."""
    rows = random_inventory(random.Random(3), mutuals=3, years=range(2024, 2025))
    typed = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+221 33 000", "'guillemet", "-moins"]
    for row, text in zip(rows, typed, strict=False):
        row["locality"] = text
    import_returns(write_csv(tmp_path / "first.csv", rows))
    exported = export_rows()
    assert {r["locality"] for r in exported} >= {"'=HYPERLINK(\"http://evil.example\",\"x\")", "''guillemet"}

    again = tmp_path / "exported.csv"
    buffer = io.StringIO()
    call_command("export_inventory", "--what", "returns", "--format", "csv", "--output", str(again),
                 stdout=buffer, stderr=io.StringIO())
    result = import_returns(again)
    assert result.returns_updated == 0 and result.mutuals_updated == 0
    assert sorted(Mutual.objects.filter(locality__in=typed).values_list("locality", flat=True)) == sorted(
        typed[:len(rows)])


def test_figures_validated_by_an_import_are_recorded_as_the_importers_override(tmp_path):
    """Nobody validates figures they brought in without it showing: an import's validated rows carry
    the file as the override's reason in the returns' history."""
    from inventory.models import ReturnTransition

    rows = random_inventory(random.Random(11), mutuals=2, years=range(2024, 2025))
    for row in rows:
        row["validation_status"] = "validated"
    import_returns(write_csv(tmp_path / "validated.csv", rows))
    transitions = ReturnTransition.objects.filter(to_state=ReturnState.VALIDATED)
    assert transitions.count() == len(rows)
    assert all("validated.csv" in t.override_reason for t in transitions)
