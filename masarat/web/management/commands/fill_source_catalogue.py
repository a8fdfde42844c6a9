"""Fill the English catalogue from the source strings, which are written in English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SOURCE_LANGUAGE = "en"


class Command(BaseCommand):
    help = "Copy each English source string into the English catalogue where it is still empty."

    def handle(self, *args: Any, **options: Any) -> None:
        filled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in Path(locale_dir).glob(f"{SOURCE_LANGUAGE}/LC_MESSAGES/*.po"):
                catalogue = polib.pofile(str(po_path))
                for entry in catalogue:
                    if entry.obsolete:
                        continue
                    # A guess of makemessages (fuzzy) is replaced too: in the source language a string is itself.
                    fuzzy = "fuzzy" in entry.flags
                    if entry.msgid_plural:
                        if fuzzy or not all(entry.msgstr_plural.values()):
                            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                            filled += 1
                    elif fuzzy or not entry.msgstr:
                        entry.msgstr = entry.msgid
                        filled += 1
                    if fuzzy:
                        entry.flags.remove("fuzzy")
                    entry.previous_msgid = entry.previous_msgid_plural = None
                catalogue.save()
        self.stdout.write(f"{filled} English entries filled.")
