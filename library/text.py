"""Text normalisation shared by the library's search engines.

`fold` (case and accents away) is the kernel's (`portal.core.text`), shared with the site search.
The embedded engine indexes and queries text that went through `normalise()`: lowercased, accents
stripped, split into words, each word cut by a light French and English stemmer. SQLite's FTS5 and
PostgreSQL's 'simple' configuration then only match equal words, so both databases behave the same.
The stemmer is deliberately small and a little aggressive; it only has to give the same stem to the
forms a reader would expect to find together ("mutuelle", "mutuelles", "mutuel"; "insurance",
"insured", "insurer").
"""

from __future__ import annotations

import re

from portal.core.text import fold

# Longest query accepted (characters, words): the rest is ignored, never an error.
MAX_QUERY_CHARS = 1000
MAX_QUERY_WORDS = 20

_WORD = re.compile(r"[^\W_]+")
_VOWELS = set("aeiouy")

# Suffixes cut after the plural, first match wins, only when at least three letters remain.
_SUFFIXES = ("ement", "ation", "ance", "ence", "ing", "ee", "ed", "er", "e")

# Words dropped from queries (not from the index): alone they would make "every word must match"
# fail on documents that merely phrase things differently. Also the words of operator syntax.
STOPWORDS = frozenset(
    """
    a an and are as at be by for from in is it of on or not the to with near
    au aux ce ces d dans de des du en et est l la le les leur ou par pour qu que qui sa se ses sur un une
    """.split()
)


def words(text: str) -> list[str]:
    """The folded words of `text`, in order (punctuation, quotes and operators are separators)."""
    return _WORD.findall(fold(text))


def stem(word: str) -> str:
    """A light French and English stem of a folded word: plurals, then one common inflection."""
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word.endswith("x") and len(word) > 4 and word[-2] in "eu":
        word = word[:-1]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    # "mutuell" → "mutuel": French doubles a consonant before a feminine -e.
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in _VOWELS:
        word = word[:-1]
    return word


def normalise(text: str) -> str:
    """`text` as the embedded engine indexes it: stems of its folded words, separated by spaces."""
    return " ".join(stem(w) for w in words(text))


def query_words(q: str) -> list[str]:
    """The folded words of a query that must each match: stopwords and operators left out, capped."""
    found = [w for w in words(q[:MAX_QUERY_CHARS]) if w not in STOPWORDS]
    return list(dict.fromkeys(found))[:MAX_QUERY_WORDS]


def query_stems(q: str) -> list[str]:
    """The stems of `query_words(q)`, without duplicates."""
    return list(dict.fromkeys(stem(w) for w in query_words(q)))
