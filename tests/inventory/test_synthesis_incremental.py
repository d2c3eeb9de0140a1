"""The synthesis updated in place after a change equals the synthesis recomputed whole.

Pure functions over frames (no database): a small random inventory, random sequences of changes
(validate, un-validate, edit a figure, close a mutual, change its year of creation, move it to another
country, make it private or public again), the (country, year) pairs each change touches by the rules
the signals use (`return_change_pairs`, `mutual_change_pairs`), `update_synthesis` from the previous
table against `compute_synthesis` on everything. Then the same through the database, the signals and
the worker's refresh."""

import logging

import pandas as pd
import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inventory.opendata.synthesis import (
    FIGURES,
    closed_returns,
    compute_synthesis,
    first_closed,
    mutual_change_pairs,
    return_change_pairs,
    update_closed,
    update_synthesis,
    with_indicators,
)

COUNTRIES = ["SN", "ML", "BF"]
YEARS = list(range(2018, 2024))
STATUSES = ["project", "setup", "functional", "dormant", "closed"]
figure = st.one_of(st.none(), st.integers(0, 2000))


# --- A pure model of the inventory -----------------------------------------------------------------

def returns_of(mutuals: dict, returns: dict, years=None) -> pd.DataFrame:
    """What `synthesis_returns(years)` reads: validated returns of public mutuals (of `years` and the
    year before each when given), with their indicators."""
    wanted = None if years is None else {y for year in years for y in (year - 1, year)}
    rows = [
        {"mutual_id": pk, "country": mutuals[pk]["country"], "year": year, "status": r["status"],
         **{name: r[name] for name in FIGURES}}
        for (pk, year), r in sorted(returns.items())
        if r["validated"] and mutuals[pk]["public"] and (wanted is None or year in wanted)
    ]
    frame = pd.DataFrame(rows, columns=["mutual_id", "country", "year", "status", *FIGURES])
    return with_indicators(frame.astype(dict.fromkeys(FIGURES, float)))


def mutuals_of(mutuals: dict) -> pd.DataFrame:
    rows = [{"mutual_id": pk, "country": m["country"], "year_created": m["year_created"]}
            for pk, m in sorted(mutuals.items()) if m["public"]]
    frame = pd.DataFrame(rows, columns=["mutual_id", "country", "year_created"])
    return frame.astype({"year_created": float})


def validated_years(returns: dict, pk: int) -> list[int]:
    return [year for (p, year), r in returns.items() if p == pk and r["validated"]]


@st.composite
def a_return(draw):
    return {"validated": draw(st.booleans()), "status": draw(st.sampled_from(STATUSES)),
            **{name: draw(figure) for name in FIGURES}}


@st.composite
def inventories(draw):
    count = draw(st.integers(1, 6))
    mutuals = {
        pk: {"country": draw(st.sampled_from(COUNTRIES)),
             "year_created": draw(st.one_of(st.none(), st.integers(2015, 2024))),
             "public": draw(st.booleans() | st.just(True))}
        for pk in range(1, count + 1)
    }
    returns = {}
    for pk in mutuals:
        for year in draw(st.sets(st.sampled_from(YEARS), max_size=len(YEARS))):
            returns[(pk, year)] = draw(a_return())
    return mutuals, returns


def apply_change(data, mutuals: dict, returns: dict) -> set:
    """One random change, made in the model; the pairs it touches by the signals' rules."""
    kind = data.draw(st.sampled_from([
        "validate", "unvalidate", "edit", "close", "year_created", "move", "publication", "new return",
    ]))
    pk = data.draw(st.sampled_from(sorted(mutuals)))
    mutual = mutuals[pk]
    if kind in {"year_created", "move", "publication"}:
        before = (mutual["country"], mutual["public"])
        if kind == "year_created":
            mutual["year_created"] = data.draw(st.one_of(st.none(), st.integers(2015, 2024)))
        elif kind == "move":
            mutual["country"] = data.draw(st.sampled_from(COUNTRIES))
        else:
            mutual["public"] = not mutual["public"]
        after = (mutual["country"], mutual["public"])
        return mutual_change_pairs(before, after, validated_years(returns, pk))
    year = data.draw(st.sampled_from(YEARS))
    if (pk, year) not in returns:
        returns[(pk, year)] = {"validated": False, "status": "functional", **dict.fromkeys(FIGURES)}
    ret = returns[(pk, year)]
    was_validated = ret["validated"]
    if kind == "validate":
        ret["validated"] = True
    elif kind == "unvalidate":
        ret["validated"] = False
    elif kind == "edit":
        ret[data.draw(st.sampled_from(FIGURES))] = data.draw(figure)
    elif kind == "close":
        ret["status"] = "closed"
    else:
        returns[(pk, year)] = data.draw(a_return())
        ret = returns[(pk, year)]
    if not (was_validated or ret["validated"]):
        return set()  # a draft's change: nothing public moved (as the signals skip it)
    return return_change_pairs(mutual["country"], year)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(inventory=inventories(), data=st.data())
def test_the_updated_synthesis_equals_a_full_recompute(inventory, data):
    mutuals, returns = inventory
    table = compute_synthesis(returns_of(mutuals, returns), mutuals_of(mutuals))
    closed = closed_returns(returns_of(mutuals, returns))
    for _step in range(data.draw(st.integers(1, 4))):
        # One refresh may follow several changes (versions): their pairs together.
        pairs = set()
        for _change in range(data.draw(st.integers(1, 3))):
            pairs |= apply_change(data, mutuals, returns)
        years = sorted({year for _country, year in pairs})
        read = returns_of(mutuals, returns, years)  # what the worker reads again
        closed = update_closed(closed, read, years)
        table = update_synthesis(table, read, mutuals_of(mutuals), first_closed(closed), pairs)
        expected = compute_synthesis(returns_of(mutuals, returns), mutuals_of(mutuals))
        pd.testing.assert_frame_equal(table, expected)
        pd.testing.assert_series_equal(first_closed(closed), first_closed(returns_of(mutuals, returns)))


# --- The rules, one by one ---------------------------------------------------------------------------

def test_a_return_touches_its_year_and_the_next_in_its_country():
    assert return_change_pairs("SN", 2021) == {("SN", 2021), ("SN", 2022)}


def test_a_mutual_moved_touches_its_years_in_both_countries():
    assert mutual_change_pairs(("SN", True), ("ML", True), [2020, 2022]) == {
        ("SN", 2020), ("SN", 2022), ("ML", 2020), ("ML", 2022)}


def test_a_mutual_made_private_or_public_touches_its_years_in_its_country():
    assert mutual_change_pairs(("SN", True), ("SN", False), [2020]) == {("SN", 2020)}
    assert mutual_change_pairs(("SN", False), ("SN", True), [2020]) == {("SN", 2020)}


def test_a_private_mutual_moved_or_a_mutual_unchanged_touches_nothing():
    assert mutual_change_pairs(("SN", False), ("ML", False), [2020]) == set()
    assert mutual_change_pairs(("SN", True), ("SN", True), [2020]) == set()


def one_inventory():
    mutuals = {1: {"country": "SN", "year_created": 2010, "public": True},
               2: {"country": "SN", "year_created": None, "public": True},
               3: {"country": "ML", "year_created": 2019, "public": True}}
    base = dict.fromkeys(FIGURES, 100.0)
    returns = {(pk, year): {"validated": True, "status": "functional", **base}
               for pk in mutuals for year in (2020, 2021, 2022)}
    return mutuals, returns


def update_with(mutuals, returns, table, pairs):
    years = sorted({year for _country, year in pairs})
    return update_synthesis(table, returns_of(mutuals, returns, years), mutuals_of(mutuals),
                            first_closed(returns_of(mutuals, returns)), pairs)


def full(mutuals, returns):
    return compute_synthesis(returns_of(mutuals, returns), mutuals_of(mutuals))


def row(table, country, year):
    return table.loc[(table["country"] == country) & (table["year"] == year)].iloc[0]


def test_the_next_year_is_needed_a_change_of_members_moves_the_growth_rate_after():
    mutuals, returns = one_inventory()
    table = compute_synthesis(returns_of(mutuals, returns), mutuals_of(mutuals))
    returns[(1, 2020)]["members"] = 50.0
    only_that_year = update_with(mutuals, returns, table, {("SN", 2020)})
    updated = update_with(mutuals, returns, table, return_change_pairs("SN", 2020))
    expected = compute_synthesis(returns_of(mutuals, returns), mutuals_of(mutuals))
    growth = row(expected, "SN", 2021)["growth_rate_median"]
    assert row(only_that_year, "SN", 2021)["growth_rate_median"] != growth
    pd.testing.assert_frame_equal(updated, expected)


def test_a_closing_moves_the_mutuals_known_of_every_later_year_everywhere():
    mutuals, returns = one_inventory()
    table = compute_synthesis(returns_of(mutuals, returns), mutuals_of(mutuals))
    assert row(table, "SN", 2022)["mutuals_known"] == 2
    returns[(1, 2020)]["status"] = "closed"
    updated = update_with(mutuals, returns, table, return_change_pairs("SN", 2020))
    assert row(updated, "SN", 2022)["mutuals_known"] == 1  # 2022 is not among the pairs
    assert row(updated, "ALL", 2022)["mutuals_known"] == 2
    pd.testing.assert_frame_equal(updated, full(mutuals, returns))


def test_a_country_year_left_without_validated_returns_disappears():
    mutuals, returns = one_inventory()
    table = compute_synthesis(returns_of(mutuals, returns), mutuals_of(mutuals))
    pairs = set()
    for year in (2020, 2021, 2022):
        returns[(3, year)]["validated"] = False
        pairs |= return_change_pairs("ML", year)
    updated = update_with(mutuals, returns, table, pairs)
    assert "ML" not in set(updated["country"])
    pd.testing.assert_frame_equal(updated, full(mutuals, returns))


# --- Through the database: signals, record of the changes, the worker's refresh ----------------------

@pytest.fixture
def inventory(db):
    from inventory.contract.choices import ReturnState
    from tests.factories import CountryFactory, MutualFactory, ReturnFactory

    senegal, mali = CountryFactory(code="SN"), CountryFactory(code="ML")
    mutuals = [MutualFactory(country=senegal), MutualFactory(country=senegal), MutualFactory(country=mali)]
    returns = {}
    for n, mutual in enumerate(mutuals):
        for year in (2021, 2022, 2023):
            returns[(n, year)] = ReturnFactory(
                mutual=mutual, year=year, status="functional", members=100 + 10 * n + year - 2021,
                target_population=1000, beneficiaries=300, state=ReturnState.VALIDATED)
    return mutuals, returns


def refreshed(caplog):
    """The worker's refresh of the current version; how it was done (from its log line)."""
    from inventory.opendata.synthesis import refresh_synthesis

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="inventory.opendata.synthesis"):
        table = refresh_synthesis()
    return table, " ".join(r.getMessage() for r in caplog.records)


def test_the_synthesis_read_from_the_used_columns_equals_the_wide_reader(inventory):
    from inventory.opendata.synthesis import full_synthesis, mutuals_frame, returns_frame

    mutuals, _returns = inventory
    mutuals[1].year_created = 2022
    mutuals[1].save()
    pd.testing.assert_frame_equal(full_synthesis(), compute_synthesis(returns_frame(), mutuals_frame()))


@pytest.mark.parametrize("change", ["validate", "unvalidate", "move", "private", "year_created"])
def test_the_worker_updates_the_synthesis_in_place_as_a_full_recompute(
        inventory, change, caplog, django_capture_on_commit_callbacks):
    from inventory.contract.choices import ReturnState
    from inventory.opendata.synthesis import full_synthesis
    from inventory.returns.services import return_validate
    from portal.accounts.roles import Role
    from tests.factories import CountryFactory, UserFactory

    mutuals, returns = inventory
    with django_capture_on_commit_callbacks(execute=True):
        mutuals[0].save()  # a first version, recorded
    before, how = refreshed(caplog)
    ret = returns[(0, 2022)]
    with django_capture_on_commit_callbacks(execute=True):
        if change == "validate":
            ret.state = ReturnState.SUBMITTED
            ret.save()
        elif change == "unvalidate":
            ret.state = ReturnState.SUBMITTED
            ret.save()
        elif change == "move":
            mutuals[0].country = CountryFactory(code="BF")
            mutuals[0].save()
        elif change == "private":
            mutuals[0].is_public = False
            mutuals[0].save()
        else:
            mutuals[2].year_created = 2023
            mutuals[2].save()
    if change == "validate":
        refreshed(caplog)
        with django_capture_on_commit_callbacks(execute=True):
            return_validate(ret=ret, user=UserFactory(roles=[Role.SECRETARIAT]))
    table, how = refreshed(caplog)
    assert "updated where changed" in how
    pd.testing.assert_frame_equal(table, full_synthesis())
    assert not table.equals(before) or change == "validate"


def test_one_transaction_records_one_version_with_every_pair(inventory, django_capture_on_commit_callbacks):
    from django.db import transaction

    from inventory import signals
    from inventory.contract.choices import ReturnState
    from inventory.models import InventoryState
    from inventory.opendata.synthesis import CHANGES_KEY

    signals._pending.__dict__.clear()  # what earlier tests' rolled-back transactions left
    _mutuals, returns = inventory
    version = InventoryState.current_version()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for key in [(0, 2021), (2, 2023)]:
            returns[key].state = ReturnState.RETURNED
            returns[key].save()
    assert InventoryState.current_version() == version + 1
    assert cache.get(CHANGES_KEY.format(version=version + 1)) == (
        "pairs", frozenset({("SN", 2021), ("SN", 2022), ("ML", 2023), ("ML", 2024)}))


def test_a_draft_saved_touches_no_row(inventory, django_capture_on_commit_callbacks):
    from inventory import signals
    from inventory.models import InventoryState
    from inventory.opendata.synthesis import CHANGES_KEY
    from tests.factories import ReturnFactory

    mutuals, _returns = inventory
    signals._pending.__dict__.clear()  # the fixture's changes, never committed in a test
    with django_capture_on_commit_callbacks(execute=True):
        ReturnFactory(mutual=mutuals[0], year=2024, status="functional", members=5)
    assert cache.get(CHANGES_KEY.format(version=InventoryState.current_version())) == ("pairs", frozenset())


def test_a_lost_record_means_a_full_recompute(inventory, caplog, django_capture_on_commit_callbacks):
    from inventory.contract.choices import ReturnState
    from inventory.models import InventoryState
    from inventory.opendata.synthesis import CHANGES_KEY, full_synthesis

    _mutuals, returns = inventory
    with django_capture_on_commit_callbacks(execute=True):
        returns[(0, 2021)].save()
    refreshed(caplog)
    with django_capture_on_commit_callbacks(execute=True):
        returns[(0, 2021)].state = ReturnState.SUBMITTED
        returns[(0, 2021)].save()
    cache.delete(CHANGES_KEY.format(version=InventoryState.current_version()))
    table, how = refreshed(caplog)
    assert "recomputed whole" in how
    pd.testing.assert_frame_equal(table, full_synthesis())


# The synthesis CSV the code before issue 16 wrote for this inventory (commit 24b91a0, same test run
# on it): the narrow reader and the new computation publish the same bytes.
SYNTHESIS_BEFORE_SHA256 = "039eff4a8470fb28a35b3ef06a2a5f294fe6452fd2b3d1d5ac92ca47ae52fa74"


def test_the_published_synthesis_is_byte_identical_to_before(tmp_path, db):
    import hashlib
    import io
    import random

    from django.core.management import call_command

    from inventory.opendata.synthesis import write_synthesis_csv
    from tests.inventory.test_import_export import random_inventory, write_csv

    rows = random_inventory(random.Random(16), mutuals=120)
    call_command("import_inventory", str(write_csv(tmp_path / "inventory.csv", rows)), stdout=io.StringIO())
    out = io.StringIO()
    count = write_synthesis_csv(out)
    assert count > 50
    assert hashlib.sha256(out.getvalue().encode()).hexdigest() == SYNTHESIS_BEFORE_SHA256


def test_a_mutual_saved_without_its_previous_state_means_a_full_recompute(
        inventory, caplog, django_capture_on_commit_callbacks):
    from inventory.models import Mutual
    from inventory.opendata.synthesis import full_synthesis

    mutuals, _returns = inventory
    with django_capture_on_commit_callbacks(execute=True):
        mutuals[0].save()
    refreshed(caplog)
    only_name = Mutual.objects.only("name").get(pk=mutuals[2].pk)  # its country and publication unknown
    with django_capture_on_commit_callbacks(execute=True):
        Mutual.objects.filter(pk=only_name.pk).update(is_public=False)  # behind the signals' back
        only_name.name = "Renamed"
        only_name.save(update_fields=["name"])
    table, how = refreshed(caplog)
    assert "recomputed whole" in how
    assert "ML" not in set(table["country"])
    pd.testing.assert_frame_equal(table, full_synthesis())
