"""The peer benchmark's computation (inventory/opendata/peers.py), without HTTP or database: quartiles
against plain Python, the minimum group size, the size bands, the mutual counted in its own groups,
the synthesis's rules (functional returns only, the episode cost within the country only)."""

import math
import statistics

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inventory.opendata import peers
from inventory.opendata.synthesis import FIGURES, compute_synthesis, indicator_columns, with_indicators


def plain_quartiles(values):
    """Linear interpolation between order statistics, written out: position q × (n − 1)."""
    values = sorted(values)
    result = []
    for q in (0.25, 0.5, 0.75):
        position = q * (len(values) - 1)
        low = math.floor(position)
        high = min(low + 1, len(values) - 1)
        result.append(values[low] + (values[high] - values[low]) * (position - low))
    return result


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1e6, allow_nan=False)), max_size=30))
def test_quartiles_match_a_plain_computation(values):
    given_values = [v for v in values if v is not None]
    n, p25, p50, p75 = peers.quartiles(values)
    assert n == len(given_values)
    if not given_values:
        assert (p25, p50, p75) == (None, None, None)
        return
    expected = plain_quartiles(given_values)
    assert [p25, p50, p75] == pytest.approx(expected, rel=1e-9, abs=1e-9)
    assert p50 == pytest.approx(statistics.median(given_values), rel=1e-9, abs=1e-9)  # the synthesis's


def test_quartiles_of_an_even_count_take_the_midpoint():
    assert peers.quartiles([1, 2, 3, 4]) == (4, 1.75, 2.5, 3.25)
    assert peers.quartiles([5, None, float("nan")]) == (1, 5.0, 5.0, 5.0)


@pytest.mark.parametrize(("beneficiaries", "band"), [
    (None, None), (float("nan"), None), (-1, None), (0, "under_1000"), (999, "under_1000"),
    (1000, "1000_4999"), (4999, "1000_4999"), (5000, "5000_19999"), (19999.5, "5000_19999"),
    (20000, "20000_more"), (3_000_000, "20000_more"),
])
def test_size_bands_lower_bound_included(beneficiaries, band):
    assert peers.size_band(beneficiaries) == band
    column = peers.size_bands(pd.Series([beneficiaries], dtype=float))
    assert column.iloc[0] == band


def test_size_bands_cover_every_size_once():
    bands = peers.SIZE_BANDS
    assert bands[0][1] == 0 and bands[-1][2] == math.inf
    assert all(a[2] == b[1] for a, b in zip(bands, bands[1:], strict=False))


def _returns(rows):
    """A synthesis frame (`with_indicators`) from short rows: mutual_id, country, year, status,
    beneficiaries and a collection rate (contributions due 100, collected `collected`)."""
    records = []
    for mutual_id, country, year, status, beneficiaries, collected in rows:
        record = dict.fromkeys(FIGURES, np.nan)
        record.update(mutual_id=mutual_id, country=country, year=year, status=status,
                      beneficiaries=beneficiaries, contributions_due=100.0,
                      contributions_collected=collected)
        records.append(record)
    return with_indicators(pd.DataFrame.from_records(records))


def _types(mapping):
    return pd.DataFrame({"mutual_id": list(mapping), "mutual_type": list(mapping.values())})


def _mutual(frame, types, mutual_id, year):
    row = frame.loc[(frame["mutual_id"] == mutual_id) & (frame["year"] == year)].iloc[0].to_dict()
    row["mutual_type"] = dict(zip(types["mutual_id"], types["mutual_type"], strict=True))[mutual_id]
    return row


def _collection(result):
    return next(b for b in result if b.indicator == "collection_rate")


def test_groups_below_the_minimum_carry_no_figure():
    # Six functional mutuals in SN (community), four in ML (socio-professional).
    rows = [(i, "SN", 2024, "functional", 500, 50 + i) for i in range(1, 7)]
    rows += [(i, "ML", 2024, "functional", 500, 90 + i) for i in range(7, 11)]
    frame, types = _returns(rows), _types({**dict.fromkeys(range(1, 7), "community"),
                                           **dict.fromkeys(range(7, 11), "socio_professional")})
    stats = peers.peer_statistics(peers.peer_frame(frame, types))
    sn = _collection(peers.benchmark(_mutual(frame, types, 1, 2024), stats, 2024))
    country, kind, size, network = sn.groups
    assert (country.key, country.n, country.enough) == ("SN", 6, True)
    assert country.p50 == pytest.approx(0.535)  # 51…56 %: halfway between 53 and 54
    assert (kind.key, kind.n) == ("community", 6)
    assert (size.key, size.n, size.enough) == ("under_1000", 10, True)
    assert (network.key, network.n) == ("ALL", 10)
    ml = _collection(peers.benchmark(_mutual(frame, types, 7, 2024), stats, 2024))
    country, kind = ml.groups[:2]
    assert (country.key, country.n, country.enough) == ("ML", 4, False)
    assert (country.p25, country.p50, country.p75) == (None, None, None)
    assert (kind.n, kind.enough, kind.p50) == (4, False, None)
    assert ml.value == pytest.approx(0.97)  # its own figure is always shown


def test_exactly_the_minimum_is_enough():
    rows = [(i, "SN", 2024, "functional", 500, 60) for i in range(peers.MIN_PEERS)]
    frame = _returns(rows)
    types = _types(dict.fromkeys(range(peers.MIN_PEERS), "community"))
    stats = peers.peer_statistics(peers.peer_frame(frame, types))
    country = _collection(peers.benchmark(_mutual(frame, types, 0, 2024), stats, 2024)).groups[0]
    assert country.n == peers.MIN_PEERS and country.enough and country.p50 == pytest.approx(0.6)


def test_the_mutual_counts_in_its_own_groups_and_the_medians_are_the_synthesis():
    rows = [(i, "SN", 2024, "functional", 1000 * i, 40 + 7 * i) for i in range(1, 8)]
    rows += [(i, "BF", 2024, "functional", 300, 70) for i in range(8, 14)]
    frame = _returns(rows)
    types = _types(dict.fromkeys(range(1, 14), "community"))
    stats = peers.peer_statistics(peers.peer_frame(frame, types))
    result = _collection(peers.benchmark(_mutual(frame, types, 1, 2024), stats, 2024))
    synthesis = compute_synthesis(frame, pd.DataFrame({"mutual_id": range(1, 14),
                                                       "country": ["SN"] * 7 + ["BF"] * 6,
                                                       "year_created": np.nan}))
    by_country = synthesis.set_index("country")
    country, _kind, _size, network = result.groups
    assert country.n == 7  # mutual 1 is one of the seven
    assert country.p50 == pytest.approx(by_country.loc["SN", "collection_rate_median"])
    assert network.n == 13
    assert network.p50 == pytest.approx(by_country.loc["ALL", "collection_rate_median"])


def test_only_functional_returns_are_peers_and_bands_follow_the_year():
    rows = [(i, "SN", 2024, "functional", 6000, 50) for i in range(1, 6)]
    rows += [(6, "SN", 2024, "dormant", 6000, 10), (7, "SN", 2024, "setup", 6000, 10)]
    rows += [(1, "SN", 2023, "functional", 800, 50)]
    frame = _returns(rows)
    types = _types(dict.fromkeys(range(1, 8), "community"))
    peer_rows = peers.peer_frame(frame, types)
    assert set(peer_rows["mutual_id"]) == {1, 2, 3, 4, 5}
    stats = peers.peer_statistics(peer_rows)
    this_year = _collection(peers.benchmark(_mutual(frame, types, 1, 2024), stats, 2024))
    assert this_year.groups[0].n == 5 and this_year.groups[0].p50 == pytest.approx(0.5)
    assert this_year.groups[2].key == "5000_19999"
    last_year = _collection(peers.benchmark(_mutual(frame, types, 1, 2023), stats, 2023))
    assert last_year.groups[2].key == "under_1000" and last_year.groups[2].n == 1
    # A dormant mutual still sees its own figure beside the functional peers'.
    dormant = _collection(peers.benchmark(_mutual(frame, types, 6, 2024), stats, 2024))
    assert dormant.value == pytest.approx(0.1) and dormant.groups[0].n == 5
    assert peers.group_sizes(peer_rows, _mutual(frame, types, 6, 2024), 2024)[peers.COUNTRY] == 5


def test_episode_cost_is_compared_within_the_country_only():
    records = []
    for i in range(6):
        record = dict.fromkeys(FIGURES, np.nan)
        record.update(mutual_id=i, country="SN", year=2024, status="functional", beneficiaries=100.0,
                      benefits_paid=1000.0 * (i + 1), care_episodes=10.0)
        records.append(record)
    frame = with_indicators(pd.DataFrame.from_records(records))
    types = _types(dict.fromkeys(range(6), "community"))
    stats = peers.peer_statistics(peers.peer_frame(frame, types))
    cost = next(b for b in peers.benchmark(_mutual(frame, types, 0, 2024), stats, 2024)
                if b.indicator == "average_episode_cost")
    country, kind, size, network = cost.groups
    assert country.enough and country.p50 == pytest.approx(350.0)
    assert [g.compared for g in (kind, size, network)] == [False, False, False]
    assert not any(g.enough for g in (kind, size, network))


def test_a_mutual_without_type_or_beneficiaries_has_no_such_group():
    rows = [(i, "SN", 2024, "functional", 500, 50) for i in range(1, 7)]
    rows[0] = (1, "SN", 2024, "functional", np.nan, 50)
    frame = _returns(rows)
    types = _types({1: "", **dict.fromkeys(range(2, 7), "community")})
    stats = peers.peer_statistics(peers.peer_frame(frame, types))
    result = _collection(peers.benchmark(_mutual(frame, types, 1, 2024), stats, 2024))
    _country, kind, size, _network = result.groups
    assert kind.key is None and not kind.enough and kind.n == 0
    assert size.key is None and not size.enough


def test_every_indicator_is_benchmarked_in_the_published_order():
    frame = _returns([(1, "SN", 2024, "functional", 500, 50)])
    stats = peers.peer_statistics(peers.peer_frame(frame, _types({1: "community"})))
    result = peers.benchmark(_mutual(frame, _types({1: "community"}), 1, 2024), stats, 2024)
    assert [b.indicator for b in result] == indicator_columns()
    assert peers.peer_statistics(peers.peer_frame(frame.iloc[:0], _types({}))).empty


def test_the_glossary_states_the_bands_and_the_minimum_the_code_uses():
    from django.utils import translation

    from inventory.opendata.glossary import BY_ANCHOR

    entry = BY_ANCHOR["peer_groups"]
    with translation.override("en"):
        assert f"fewer than {peers.MIN_PEERS} returns" in str(entry.formula)
        bounds = [f"{low:,}" for _code, low, _high, _label in peers.SIZE_BANDS[1:]]
        assert all(bound in str(entry.definition) for bound in bounds)
        assert "under 1,000; 1,000 to 4,999; 5,000 to 19,999; 20,000 or more" in str(entry.definition)


@pytest.mark.parametrize(("value", "position"), [
    (0.50, "low"), (0.525, "middle"), (0.55, "middle"), (0.575, "middle"), (0.60, "high"), (None, None),
])
def test_the_position_in_the_country_follows_its_quartiles(value, position):
    # A country group of five whose quartiles are 52.5 %, 55 % and 57.5 %: the bounds belong to the middle.
    country = peers.PeerFigures(peers.COUNTRY, "SN", 5, 0.525, 0.55, 0.575)
    assert peers.IndicatorBenchmark("collection_rate", value, [country]).position() == position
    small = peers.PeerFigures(peers.COUNTRY, "SN", 4)
    assert peers.IndicatorBenchmark("collection_rate", value, [small]).position() is None


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["SN", "ML"]), st.sampled_from(["community", "students"]),
                          st.sampled_from([2023, 2024]), st.sampled_from(["functional", "dormant"]),
                          st.one_of(st.none(), st.integers(0, 30000)),
                          st.one_of(st.none(), st.floats(0, 2000, allow_nan=False))), max_size=40))
def test_every_groups_statistics_match_a_plain_computation(rows):
    records = []
    for i, (country, _type, year, status, beneficiaries, collected) in enumerate(rows):
        record = dict.fromkeys(FIGURES, np.nan)
        record.update(mutual_id=i, country=country, year=year, status=status, contributions_due=1000.0,
                      beneficiaries=np.nan if beneficiaries is None else float(beneficiaries),
                      contributions_collected=np.nan if collected is None else collected)
        records.append(record)
    frame = with_indicators(pd.DataFrame.from_records(records, columns=[
        "mutual_id", "country", "year", "status", *FIGURES]))
    types = _types({i: row[1] for i, row in enumerate(rows)})
    stats = peers.peer_statistics(peers.peer_frame(frame, types))
    stats = stats.loc[stats["indicator"] == "collection_rate"]
    expected = {}
    for country, kind, year, status, beneficiaries, collected in rows:
        if status != "functional" or collected is None:
            continue
        keys = {peers.COUNTRY: country, peers.TYPE: kind, peers.SIZE: peers.size_band(beneficiaries),
                peers.NETWORK: peers.NETWORK_KEY}
        for group, key in keys.items():
            if key is not None:
                expected.setdefault((group, key, year), []).append(collected / 1000)
    got = {(r.group, r.key, r.year): r for r in stats.itertuples()}
    assert set(got) == set(expected)
    for where, values in expected.items():
        row = got[where]
        assert row.n == len(values)
        assert [row.p25, row.p50, row.p75] == pytest.approx(plain_quartiles(values), rel=1e-9, abs=1e-12)
