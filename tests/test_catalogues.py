"""The fr, ar and en catalogues are complete and match the strings of the code."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LANGUAGES = ["fr", "ar", "en"]
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
SOURCE_DIR = LOCALE_DIR.parent


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(language):
    entries = catalogue(language)
    missing = [entry.msgid for entry in entries.untranslated_entries()]
    fuzzy = [entry.msgid for entry in entries.fuzzy_entries()]
    assert not missing, f"{language}: {len(missing)} untranslated, e.g. {missing[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


def test_the_english_catalogue_says_what_the_source_says():
    """The strings of the code are English: the English catalogue gives each one back unchanged (a guess
    of makemessages for a new plural once showed "Anonymous notification recorded" for "3 notifications
    marked read")."""
    wrong = [entry.msgid for entry in catalogue("en") if not entry.obsolete and (
        [entry.msgstr_plural.get(0), entry.msgstr_plural.get(1)] != [entry.msgid, entry.msgid_plural]
        if entry.msgid_plural else entry.msgstr != entry.msgid)]
    assert not wrong, f"{len(wrong)} English entries differ from their source, e.g. {wrong[:5]}"


def test_catalogues_are_not_stale(tmp_path, monkeypatch):
    """Re-extract the strings of the code and compare with the committed catalogue."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext (xgettext) is needed: `make test` installs it.")
    copy = tmp_path / "masarat"
    shutil.copytree(SOURCE_DIR, copy, ignore=shutil.ignore_patterns("*.mo", "__pycache__", "locale"))
    (copy / "locale").mkdir()
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["fr"], no_location=True, no_obsolete=True, verbosity=0)
    extracted = {entry.msgid for entry in polib.pofile(str(copy / "locale/fr/LC_MESSAGES/django.po"))}
    for language in LANGUAGES:
        committed = {entry.msgid for entry in catalogue(language) if not entry.obsolete}
        assert extracted - committed == set(), f"{language}: run `make messages` and translate"
        assert committed - extracted == set(), f"{language}: obsolete entries, run `make messages`"
