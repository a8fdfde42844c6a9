"""``masarat restore FILE``: restore an encrypted backup into a new, migrated database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from masarat.backups.archive import BackupError
from masarat.backups.services import restore_backup


class Command(BaseCommand):
    help = "Restore an encrypted backup into a new database (create it and run 'masarat migrate' first)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        if not file.is_file():
            raise CommandError(_("%(file)s: no such file.") % {"file": file})
        try:
            report = restore_backup(file, progress=lambda label, count: self.stderr.write(f"… {label}: {count}"))
        except BackupError as error:
            raise CommandError(_("Nothing was restored: %(reason)s") % {"reason": error}) from error
        self.stdout.write(_("%(records)d records restored from the backup of %(created)s. "
                            "Run 'masarat audit verify' to check the audit trail.") % {
            "records": sum(report.counts.values()), "created": report.created_at})
