"""``masarat backup FILE``: every record of Masarat in one encrypted file (see masarat/backups)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from masarat.backups.services import create_backup


class Command(BaseCommand):
    help = "Write an encrypted backup of the whole database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--force", action="store_true", help="Replace FILE if it exists.")

    def handle(self, *args: Any, file: Path, force: bool, **options: Any) -> None:
        if file.exists() and not force:
            raise CommandError(_("%(file)s exists; choose another name or add --force.") % {"file": file})
        counts = create_backup(file, progress=lambda label, count: self.stderr.write(f"… {label}: {count}"))
        self.stdout.write(_("%(records)d records from %(models)d tables written, encrypted, to %(file)s.") % {
            "records": sum(counts.values()), "models": len(counts), "file": file})
