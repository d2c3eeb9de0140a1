"""The embedded engine near the limit (issue #16): facet counts from bitmaps kept in step with the index,
autocompletion on an index of the titles' words. Its behaviour is the behaviour suite's
(test_search_behaviour.py); these tests hold what is particular to how it gets there."""

import numpy as np
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from library.search import SearchQuery, fold_prefix
from library.search_embedded import EmbeddedEngine, _known_positions

from .test_search_behaviour import CORPUS, doc


@pytest.fixture
def engine(db):
    engine = EmbeddedEngine()
    engine.rebuild(CORPUS)
    return engine


def test_counts_follow_every_write_to_the_index(engine):
    assert engine.search(SearchQuery()).facets["country"]["GH"] == 1
    engine.index([doc("ghana-2", "Assurance santé au Ghana", countries=["GH"], year=2021)])
    result = engine.search(SearchQuery(countries=("GH",)))
    assert (result.count, result.facets["country"]["GH"]) == (2, 2)
    assert [h.ref for h in result.results] == ["ghana-2", "insured-members"]
    engine.remove(["insured-members"])
    result = engine.search(SearchQuery(q="ghana"))
    assert (result.count, result.facets["country"], result.facets["year"]) == (1, {"GH": 1}, {"2021": 1})


def test_a_write_rolled_back_leaves_no_count_behind(engine):
    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        engine.index([doc("draft", "Rapport provisoire", countries=["TD"], year=2022)])
        assert engine.search(SearchQuery()).facets["country"]["TD"] == 1  # read inside the write
        raise RolledBack
    result = engine.search(SearchQuery())
    assert (result.count, "TD" in result.facets["country"]) == (len(CORPUS), False)


def test_entries_written_while_the_index_is_read_are_left_for_the_next_read():
    # The snapshot reads ids, date order and facet values in separate statements: an id that appeared
    # in between has no position (it is left out), the others keep theirs, in the order given.
    known = np.array([3, 5, 9, 12])
    assert _known_positions(known, np.array([12, 4, 3, 13, 9])).tolist() == [3, 0, 2]
    assert _known_positions(np.array([], dtype=np.int64), np.array([1])).tolist() == []


def test_a_search_counts_its_facets_without_a_grouped_count(engine):
    engine.search(SearchQuery())  # the process reads the index once
    with CaptureQueriesContext(connection) as queries:
        result = engine.search(
            SearchQuery(q="mutuelles", types=("guide", "case_study"), countries=("ML", "SN"), year_min=2005)
        )
    assert result.count == 2
    assert result.facets["resource_type"] == {"case_study": 1, "guide": 1, "report": 1}
    # The token of the index, the words' matches, the page, the page's entries.
    assert len(queries) <= 4
    assert not [q["sql"] for q in queries if "GROUP BY" in q["sql"].upper()]


TITLES = [
    "Rapport 2020 : l'assurance-maladie au Sénégal",
    "Assurance maladie universelle",
    "L'ASSURANCE des mutuelles_pilotes",
    "Ασφάλιση υγείας στην Ελλάδα",
    "Guide n°3 pour les gérants",
]


def expected_suggestions(prefix):
    """What autocompletion answered when it scanned every title with LIKE '%…%'."""
    *whole, last = fold_prefix(prefix)
    found = []
    for title in TITLES:
        padded = f" {' '.join(fold_prefix(title))} "
        if all(f" {w} " in padded for w in whole) and f" {last}" in padded:
            found.append(title)
    return sorted(found)


@pytest.mark.parametrize(
    ("typed", "finds"),
    [("assurance maladie", 2), ("L'assurance-mal", 1), ("2020 l'assur", 1), ("ΑΣΦΑΛ", 1), ("ασφαλιση υγ", 1),
     ("mutuelles pil", 1), ("mutuelles_pil", 1), ("n 3 pour", 1), ("n°3", 1), ("gerant", 1), ("a", 3),
     ("assur mal", 0)],
)
def test_autocomplete_reads_an_index_and_finds_what_the_title_scan_found(db, typed, finds):
    engine = EmbeddedEngine()
    engine.rebuild([doc(f"t{i}", title) for i, title in enumerate(TITLES)])
    prefixes = [typed[:n] for n in range(1, len(typed) + 1) if fold_prefix(typed[:n])]
    with CaptureQueriesContext(connection) as queries:
        found = {p: [s.title for s in engine.autocomplete(p)] for p in prefixes}
    assert found == {p: expected_suggestions(p) for p in prefixes}
    assert len(found[typed]) == finds
    assert not [q["sql"] for q in queries if " LIKE " in q["sql"].upper()]
