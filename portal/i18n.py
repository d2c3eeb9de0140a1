"""Small language helpers shared by every app (no models, no pages)."""

import re
import unicodedata

from django import forms
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.urls import translate_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, gettext_noop


def is_english() -> bool:
    """True when the active language is English; French is the default for anything else."""
    return (get_language() or "fr").startswith("en")


def is_portuguese() -> bool:
    """True when the active language is Portuguese (its names fall back to the French ones)."""
    return (get_language() or "fr").startswith("pt")


def is_french() -> bool:
    """True when the active language is French, the default (no active language counts as French)."""
    return not (is_english() or is_portuguese())


# pycountry's Portuguese names where they are not the ones written in Cape Verde and Guinea-Bissau.
PORTUGUESE_COUNTRY_NAMES = {
    "CD": "República Democrática do Congo",
    "CG": "República do Congo",
    "GW": "Guiné-Bissau",
    "TZ": "Tanzânia",
    "IR": "Irão",
    "KR": "Coreia do Sul",
    "KP": "Coreia do Norte",
}


def portuguese_country_name(code: str) -> str:
    """The country's name in Portuguese (ISO 3166's names as translated by pycountry, with the usual
    forms above); "" when the code is unknown."""
    import gettext

    import pycountry

    code = str(code or "").upper()
    if code in PORTUGUESE_COUNTRY_NAMES:
        return PORTUGUESE_COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return ""
    names = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["pt"], fallback=True)
    return names.gettext(getattr(country, "common_name", None) or country.name)


class BilingualNameMixin:
    """For records that carry `name_fr` and `name_en`: `name` follows the active language. In
    Portuguese, a record's `portuguese_name()` when it has one, else the French name."""

    @property
    def name(self) -> str:
        if is_portuguese():
            return self.portuguese_name() or self.name_fr
        return self.name_en if is_english() else self.name_fr

    def portuguese_name(self) -> str:
        return ""


def language_home(code: str) -> str:
    return f"/{code}/"


def local_path_in(path: str, code: str) -> str:
    """The same view as `path` in language `code`, always a path on this site: the language's home page
    when `path` would leave the site (`//evil.example/x/`, `/\\evil.example`, `https:/…`; the
    request's path is the visitor's to choose) or does not exist in that language."""
    translated = translate_url(path, code)
    if translated == path and not path.startswith(language_home(code)):
        return language_home(code)  # nothing to translate: an unknown URL, e.g. a 404
    is_local = (
        translated.startswith("/") and not translated.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(translated, allowed_hosts=None)
    )
    return translated if is_local else language_home(code)


# --- Names in the order a reader expects ------------------------------------------------------

def collation_key(text) -> tuple[str, str]:
    """The key that sorts names as a dictionary does, in French as in English: accents and case
    count only to break a tie ("Bénin" before "Burkina Faso", "Éthiopie" among the E's), where a
    sort by code point puts every accented or lower-case initial after "Z". Needs no system locale
    (Unicode decomposition, then case folding)."""
    text = str(text or "")
    folded = unicodedata.normalize("NFKD", text.casefold())
    base = "".join(char for char in folded if not unicodedata.combining(char))
    return base, text


def by_name(items, name=str) -> list:
    """`items` sorted by `name(item)` (their `str` by default) with `collation_key`; `name` may give
    a tuple of names (a country's, then a mutual's)."""

    def key(item):
        value = name(item)
        return tuple(map(collation_key, value)) if isinstance(value, tuple) else collation_key(value)

    return sorted(items, key=key)


class ByLabelChoiceIterator(ModelChoiceIterator):
    """A model choice field's options in the order of their labels (`collation_key`), whatever the
    query's order; the empty choice (and any other that is not a record) stays first."""

    def __iter__(self):
        head, records = [], []
        for choice in super().__iter__():
            (records if isinstance(choice[0], ModelChoiceIteratorValue) else head).append(choice)
        yield from head
        yield from sorted(records, key=lambda choice: collation_key(choice[1]))


class ByNameChoiceField(forms.ModelChoiceField):
    """A model choice field offering its records in the order of their names."""

    iterator = ByLabelChoiceIterator


class ByNameMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple model choice field offering its records in the order of their names."""

    iterator = ByLabelChoiceIterator


def name_field(prefix: str = "") -> str:
    """The field holding a bilingual record's name in the reader's language (`prefix`: a relation,
    e.g. "country__")."""
    return f"{prefix}name_en" if is_english() else f"{prefix}name_fr"


def keys_by_name(queryset, *fields) -> list:
    """The primary keys of `queryset` in the order of `fields` (names, compared with
    `collation_key`; the key breaks ties): what a paginated list sorts before reading one page,
    since neither SQLite nor PostgreSQL's default collation sorts accents as a reader does."""
    rows = queryset.order_by().values_list("pk", *fields)
    return [row[0] for row in sorted(rows, key=lambda row: (*map(collation_key, row[1:]), row[0]))]


# --- French typography that depends on the words ------------------------------------------------

# "de" before a word opening with a vowel (or a mute-looking h is left alone: "de Hann" is right).
_DE_BEFORE_VOWEL = re.compile(r"\b([Dd])e ([AEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒaeiouyàâäéèêëîïôöùûüœ])")


def elide_french(text: str) -> str:
    """French elision of "de" before a vowel in a text that joined "de" to a name ("la déclaration
    de Aar Sa Jaboot" -> "la déclaration d’Aar Sa Jaboot"), with the typographic apostrophe of the
    catalogue."""
    return _DE_BEFORE_VOWEL.sub(lambda match: f"{match.group(1)}’{match.group(2)}", text or "")


def elide(text: str) -> str:
    """`elide_french` in French; in another language the text is returned as it is."""
    return elide_french(text) if is_french() and text else text


def ordinal(number: int, *, feminine: bool = False) -> tuple[str, str]:
    """The ordinal of `number` in the active language, as its figure and its suffix (shown raised):
    ("4", "e") and ("1", "re") for a feminine French noun ("1re édition"), ("4", "th"), ("22", "nd"),
    ("4.", "ª") for a feminine Portuguese noun ("4.ª edição") and ("4.", "º") otherwise."""
    figure = str(number)
    if is_portuguese():
        return f"{figure}.", "ª" if feminine else "º"
    if not is_english():
        return figure, ("re" if feminine else "er") if number == 1 else "e"
    if number % 100 in (11, 12, 13):
        return figure, "th"
    return figure, {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def french_colon() -> str:
    """":" after a label, with the no-break space (U+00A0) French typography puts before it."""
    return "\u00a0:" if is_french() else ":"


# --- Month and day names in Portuguese -----------------------------------------------------------

# Django's own Portuguese catalogue writes the months and days with a capital ("Domingo, 7 de Dezembro
# de 2026"); since the 1990 spelling agreement, in force in Portugal, Cape Verde and Guinea-Bissau,
# they take a small letter ("domingo, 7 de dezembro de 2026"). Named here so that `makemessages`
# keeps them in the portal's catalogues, which Django reads before its own (LOCALE_PATHS): the
# Portuguese one gives the small letter, the French one the names Django's French catalogue gives.
MONTH_NAMES = [
    gettext_noop("January"), gettext_noop("February"), gettext_noop("March"), gettext_noop("April"),
    gettext_noop("May"), gettext_noop("June"), gettext_noop("July"), gettext_noop("August"),
    gettext_noop("September"), gettext_noop("October"), gettext_noop("November"), gettext_noop("December"),
]
DAY_NAMES = [
    gettext_noop("Monday"), gettext_noop("Tuesday"), gettext_noop("Wednesday"), gettext_noop("Thursday"),
    gettext_noop("Friday"), gettext_noop("Saturday"), gettext_noop("Sunday"),
]
