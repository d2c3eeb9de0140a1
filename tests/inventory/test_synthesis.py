"""The synthesis export against an independent computation of the contract, on a random inventory:
every country, year and column, empty cells included."""

import csv
import io
import math
import random
import statistics

import pytest
from django.core.management import call_command

from inventory.contract import schema
from inventory.models import InventoryState, Mutual, YearlyReturn
from inventory.opendata.synthesis import current_synthesis, returns_frame
from portal.accounts.roles import Role
from tests.factories import CountryFactory, MutualFactory
from tests.inventory.test_import_export import expected_indicators, num, random_inventory, write_csv

pytestmark = pytest.mark.django_db
INDICATORS = schema.indicator_names()
STATUSES = ["project", "setup", "functional", "dormant", "closed"]


def expected_synthesis(rows, public_mutuals):
    """Plain Python, from the rows as imported and the public mutuals (id -> (country, year_created)),
    written from ../shared/inventory/README.md and synthesis.schema.json's descriptions."""
    validated = [r for r in rows
                 if r["validation_status"] == "validated" and r["mutual_id"] in public_mutuals]
    all_validated_members = {(r["mutual_id"], int(r["year"])): num(r["members"])
                             for r in rows if r["validation_status"] == "validated"}
    closed = {}
    for r in validated:
        if r["status"] == "closed":
            closed[r["mutual_id"]] = min(closed.get(r["mutual_id"], 9999), int(r["year"]))
    for r in validated:
        r["_ind"] = expected_indicators(r, all_validated_members.get((r["mutual_id"], int(r["year"]) - 1)))
    groups = {}
    for r in validated:
        groups.setdefault((r["country"], int(r["year"])), []).append(r)
        groups.setdefault(("ALL", int(r["year"])), []).append(r)
    table = {}
    for (country, year), rs in groups.items():
        known = sum(
            1 for mutual_id, (c, created) in public_mutuals.items()
            if (country == "ALL" or c == country) and (created is None or created <= year)
            and (mutual_id not in closed or closed[mutual_id] >= year)
        )
        functional = [r for r in rs if r["status"] == "functional"]
        row = {"country": country, "year": year, "mutuals_known": known, "mutuals_reporting": len(rs),
               "response_rate": len(rs) / known if known else None}
        for status in STATUSES:
            row[f"mutuals_{status}"] = sum(1 for r in rs if r["status"] == status)
        for name in ("target_population", "members", "beneficiaries"):
            values = [num(r[name]) for r in functional if num(r[name]) is not None]
            row[name] = sum(values) if values else None
        both = [r for r in functional if num(r["beneficiaries"]) is not None
                and num(r["target_population"]) is not None and num(r["target_population"]) > 0]
        row["penetration_rate"] = (
            sum(num(r["beneficiaries"]) for r in both) / sum(num(r["target_population"]) for r in both)
            if both else None
        )
        for name in INDICATORS:
            values = [r["_ind"][name] for r in functional if r["_ind"][name] is not None]
            row[f"{name}_median"] = statistics.median(values) if values else None
            row[f"{name}_n"] = len(values)
        if country == "ALL":
            row["average_episode_cost_median"] = row["average_episode_cost_n"] = None
        table[(country, str(year))] = row
    return table


def exported_synthesis():
    out = io.StringIO()
    call_command("export_inventory", "--what", "synthesis", "--format", "csv",
                 stdout=out, stderr=io.StringIO())
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_synthesis_export_matches_an_independent_computation(tmp_path):
    rng = random.Random(2007)
    rows = random_inventory(rng, mutuals=180)
    for row in rows:  # some returns still waiting for the focal point: never counted
        if rng.random() < 0.1:
            row["validation_status"] = "submitted"
    call_command("import_inventory", str(write_csv(tmp_path / "inventory.csv", rows)), stdout=io.StringIO())
    # Mutuals that never reported (one created later than most years), and one withdrawn from publication.
    for n, created in enumerate([None, 2020, 2001]):
        MutualFactory(name=f"Sans fiche {n}", country=CountryFactory(code="SN"), year_created=created)
    hidden = Mutual.objects.filter(country_id="ML").order_by("mutual_id").first()
    hidden.is_public = False
    hidden.save()
    public = {m.mutual_id: (m.country_id, m.year_created) for m in Mutual.objects.public()}

    expected = expected_synthesis(rows, public)
    exported = exported_synthesis()
    # The contract's columns, in its order, then the portal's one addition at the end.
    assert list(exported[0]) == [*schema.column_names("synthesis"), "year_status"]
    assert {r["year_status"] for r in exported} == {"final"}  # no campaign: every year is final
    assert {(r["country"], r["year"]) for r in exported} == set(expected)
    assert exported[-1]["country"] == "ALL"
    kinds = {f["name"]: f["type"] for f in schema.fields("synthesis")}
    for got in exported:
        want = expected[(got["country"], got["year"])]
        for column, text in got.items():
            if column in ("country", "year", "year_status"):
                continue
            value = want[column]
            where = (got["country"], got["year"], column, text, value)
            if value is None:
                assert text == "", where
            elif kinds[column] == "integer":
                assert text == str(int(value)), where
            else:
                assert "e" not in text.lower() and math.isclose(float(text), value, rel_tol=1e-9), where


def test_returns_frame_equals_the_returns_export(tmp_path):
    """The column-wise indicators behind the synthesis are the per-row ones of the export."""
    from inventory.opendata.exports import returns_rows

    rows = random_inventory(random.Random(11), mutuals=60)
    call_command("import_inventory", str(write_csv(tmp_path / "inventory.csv", rows)), stdout=io.StringIO())
    frame = returns_frame()
    exported = list(returns_rows())
    assert len(frame) == len(exported)
    for record, row in zip(frame.to_dict("records"), exported, strict=True):
        for name in [*INDICATORS, "members", "contributions_collected", "mutual_id", "year"]:
            a, b = record[name], row[name]
            if b is None:
                assert a is None or (isinstance(a, float) and math.isnan(a)), name
            elif isinstance(b, float):
                assert math.isclose(a, b, rel_tol=1e-12), name
            else:
                assert a == b, name


def test_the_synthesis_follows_a_validation_at_once(tmp_path, django_capture_on_commit_callbacks):
    from inventory.contract.choices import ReturnState
    from inventory.returns.services import return_validate
    from tests.factories import ReturnFactory, UserFactory

    mutual = MutualFactory(country=CountryFactory(code="SN"))
    with django_capture_on_commit_callbacks(execute=True):
        ret = ReturnFactory(mutual=mutual, year=2025, status="functional", members=100,
                            state=ReturnState.SUBMITTED)
    assert current_synthesis().empty
    version = InventoryState.current_version()
    secretariat = UserFactory(roles=[Role.SECRETARIAT])
    with django_capture_on_commit_callbacks(execute=True):
        return_validate(ret=ret, user=secretariat)
    assert InventoryState.current_version() > version
    table = current_synthesis()
    assert list(table["country"]) == ["SN", "ALL"]
    assert list(table["members"]) == [100, 100]
    assert YearlyReturn.objects.validated().count() == 1
