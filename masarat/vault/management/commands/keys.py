"""``masarat keys generate``: print a new random key for MASARAT_ENCRYPTION_KEYS or MASARAT_BLIND_INDEX_KEY."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from masarat.vault.keys import generate_key


class Command(BaseCommand):
    help = "Manage the encryption keys of identities."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("generate", help="Print a new random 32-byte key (URL-safe base64).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self.stdout.write(generate_key())
            self.stderr.write(_("Keep this key outside the database and its backups; losing it loses the data."))
