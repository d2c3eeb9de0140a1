"""The normaliser and light stemmer behind the embedded engine (library/text.py)."""

import pytest

from library.text import MAX_QUERY_WORDS, fold, normalise, query_stems, query_words, stem


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Sénégal", "senegal"),
        ("CÔTE D’IVOIRE", "côte d’ivoire".replace("ô", "o")),
        ("Œuvre", "oeuvre"),
        ("ﬁnancement", "financement"),
        ("Straße", "strasse"),
    ],
)
def test_fold_lowercases_and_strips_accents(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "group",
    [
        ["mutuelle", "mutuelles", "mutuel", "mutuels"],
        ["cotisation", "cotisations", "cotiser", "cotisées"],
        ["insurance", "insured", "insurer", "insuring"],
        ["policy", "policies"],
        ["hôpital", "hôpitaux"],
        ["member", "members"],
        ["étude", "études", "Etudes"],
        ["financement", "financements", "financer"],
    ],
)
def test_forms_of_one_word_share_a_stem(group):
    assert len({stem(fold(w)) for w in group}) == 1


@pytest.mark.parametrize("word", ["mali", "ghana", "2012", "covid19", "ong"])
def test_short_words_and_numbers_keep_their_stem_apart(word):
    assert stem(fold(word)) == fold(word)


def test_different_words_stay_apart():
    assert stem("mutuel") != stem("mutual")
    assert stem("guide") != stem("guise")


def test_normalise_gives_space_separated_stems():
    assert normalise("Guide de calcul des cotisations des mutuelles au Mali") == (
        "guid de calcul des cotis des mutuel au mali"
    )
    assert normalise("") == ""
    assert normalise("«—»!? 😀") == ""


def test_query_words_drop_operators_stopwords_and_punctuation():
    assert query_words('"mutuelles" AND (Mali OR -Sénégal*) NEAR title:guide') == [
        "mutuelles",
        "mali",
        "senegal",
        "title",
        "guide",
    ]
    assert query_words("le la les de") == []


def test_query_words_are_capped_and_deduplicated():
    assert len(query_words(" ".join(f"w{i}" for i in range(100)))) == MAX_QUERY_WORDS
    assert query_words("x" * 100_000) == ["x" * 1000]
    assert query_stems("mutuelle mutuelles Mutuels") == ["mutuel"]
