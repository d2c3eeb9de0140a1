"""The French catalogue is complete and compiled; makemessages finds nothing left to translate."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def untranslated(catalogue):
    return [
        entry.msgid for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    assert untranslated(polib.pofile(str(PO))) == []


def test_compiled_catalogue_matches_the_po_file():
    po = {(e.msgid, e.msgstr) for e in polib.pofile(str(PO)) if not e.msgid_plural}
    mo = {(e.msgid, e.msgstr) for e in polib.mofile(str(MO)) if not e.msgid_plural}
    assert po == mo, "run `make messages` to recompile locale/fr/LC_MESSAGES/django.mo"


@pytest.mark.skipif(
    not shutil.which("xgettext") and not os.environ.get("CI"),
    reason="GNU gettext is not installed here (CI installs it)",
)
def test_makemessages_adds_no_untranslated_entry(tmp_path):
    # Run on a copy of the sources: the tracked catalogue is never rewritten by a test.
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT, copy,
        ignore=shutil.ignore_patterns(".venv", "var", "staticfiles", ".git", "tests", "bench"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy, check=True, capture_output=True,
    )
    assert untranslated(polib.pofile(str(copy / PO.relative_to(ROOT)))) == []


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
