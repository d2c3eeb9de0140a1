"""French typography (issue 14): a no-break space before : ; ? ! and inside « », elision of "de"
before a vowel ("d’Aar Sa Jaboot"), ordinals ("4e édition")."""

import re
from pathlib import Path

import polib
import pytest
from django.template.loader import render_to_string
from django.utils import translation

from portal.i18n import elide, ordinal

PO = Path(__file__).resolve().parents[2] / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MARKUP = re.compile(r"<[^>]+>|%\([a-z_]+\)[sd]|&[#\w]+;|https?://\S+|\{[^}]*\}")


def test_de_is_elided_before_a_vowel_in_french_only():
    with translation.override("fr"):
        assert elide("la déclaration 2025 de Aar Sa Jaboot") == "la déclaration 2025 d’Aar Sa Jaboot"
        assert elide("De Émergence à Thiès") == "D’Émergence à Thiès"
        assert elide("la page de Mutuelle de Hann") == "la page de Mutuelle de Hann"  # h left alone
        assert elide("chiffres de 2025") == "chiffres de 2025"
    with translation.override("en"):
        assert elide("Maison de Aar") == "Maison de Aar"


def test_ordinals_per_language():
    with translation.override("fr"):
        assert [ordinal(n, feminine=True) for n in (1, 2, 4)] == [("1", "re"), ("2", "e"), ("4", "e")]
        assert ordinal(1) == ("1", "er")
    with translation.override("en"):
        assert [ordinal(n)[1] for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
            "st", "nd", "rd", "th", "th", "th", "th", "st", "nd", "st", "th"]


@pytest.mark.django_db
def test_a_campaign_subject_elides_before_the_mutuals_name():
    from tests.factories import MutualFactory

    mutual = MutualFactory.build(name="Aar Sa Jaboot")
    with translation.override("fr"):
        subject = render_to_string("inventory/email/campaign_subject.txt",
                                   {"kind": "invitation", "year": 2025, "mutual": mutual})
    assert "d’Aar Sa Jaboot" in subject and "de Aar" not in subject


def test_a_label_written_in_a_template_gets_a_french_colon():
    with translation.override("fr"):
        html = render_to_string("includes/form_errors.html",
                                {"form": _FormWithAnError()})
    assert "Nom</a>\u00a0: Ce champ est obligatoire." in html


class _FormWithAnError:
    def non_field_errors(self):
        return []

    def __iter__(self):
        class Field:
            id_for_label, label, errors = "id_name", "Nom", ["Ce champ est obligatoire."]
        return iter([Field()])


def test_the_french_catalogue_puts_a_no_break_space_before_high_punctuation():
    """Every msgstr: a no-break space (U+00A0, or the narrow one) before : ; ? ! and inside « »,
    never a plain space (the line could break before the colon) nor none ("Score de transparence:")."""
    wrong = []
    for entry in polib.pofile(str(PO)):
        if entry.obsolete or (" " not in entry.msgid and ("/" in entry.msgid or "<" in entry.msgid)):
            continue  # URL patterns
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            plain = MARKUP.sub("", text)
            if (re.search(r"(?<=\S) [:;?!]|[^\s\u00a0\u202f\d:;?!(«'\"/=][:;?!](?=\s|$)", plain)
                    or re.search(r"« | »", plain)):
                wrong.append(entry.msgid)
    assert wrong == []
