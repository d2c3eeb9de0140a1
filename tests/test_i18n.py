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
