"""The French and Portuguese catalogues are complete and compiled; makemessages finds nothing left to
translate in either (English is the language of the source strings)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
CATALOGUES = ["fr", "pt"]


def catalogue_path(language):
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def untranslated(catalogue):
    return [
        entry.msgid for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]


@pytest.mark.parametrize("language", CATALOGUES)
def test_catalogue_has_no_untranslated_or_fuzzy_entry(language):
    assert untranslated(polib.pofile(str(catalogue_path(language)))) == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_compiled_catalogue_matches_the_po_file(language):
    path = catalogue_path(language)
    po = {(e.msgid, e.msgstr) for e in polib.pofile(str(path)) if not e.msgid_plural}
    mo = {(e.msgid, e.msgstr) for e in polib.mofile(str(path.with_suffix(".mo"))) if not e.msgid_plural}
    assert po == mo, f"run `make messages` to recompile locale/{language}/LC_MESSAGES/django.mo"


def test_every_language_of_the_site_but_english_has_a_catalogue():
    """English is the source strings' language; every other language the site offers needs its own
    catalogue, kept complete by the tests above."""
    from django.conf import settings

    assert sorted(code for code, _name in settings.LANGUAGES if code != "en") == sorted(CATALOGUES)


@pytest.mark.skipif(
    not shutil.which("xgettext") and not os.environ.get("CI"),
    reason="GNU gettext is not installed here (CI installs it)",
)
@pytest.mark.parametrize("language", CATALOGUES)
def test_makemessages_adds_no_untranslated_entry(tmp_path, language):
    # Run on a copy of the sources: the tracked catalogue is never rewritten by a test.
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy,
        ignore=shutil.ignore_patterns(".venv", "var", "staticfiles", ".git", "tests", "bench"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", language, "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
    )
    assert untranslated(polib.pofile(str(copy / catalogue_path(language).relative_to(ROOT)))) == []


def test_no_plural_entry_shadows_a_plain_string():
    """A msgid used both with gettext and as the singular of a plural form becomes one plural entry in
    the catalogue, and gettext then finds no translation for it: "Focal point" showed in English on the
    French profile page. Every plain use of a plural entry's singular is listed here."""
    plural_singulars = {entry.msgid for entry in polib.pofile(str(PO)) if entry.msgid_plural}
    plain_uses = []
    for folder in ("portal", "inventory", "library", "templates"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt"}:
                continue
            text = path.read_text(encoding="utf-8")
            for msgid in plural_singulars:
                for call in (f'_("{msgid}")', f'gettext("{msgid}")', f'gettext_lazy("{msgid}")',
                             f'translate "{msgid}"', f"translate '{msgid}'"):
                    if call in text:
                        plain_uses.append(f"{path.relative_to(ROOT)}: {call}")
    assert plain_uses == []
