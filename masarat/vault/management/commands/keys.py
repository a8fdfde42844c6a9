"""``masarat keys``: generate a key, see which keys protect the data, rotate to the current key,
recompute the blind indexes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.vault.cipher import DecryptionError
from masarat.vault.columns import NOT_ENCRYPTED, BatchDone, column_status, context_of, rotate_column
from masarat.vault.fields import encrypted_fields
from masarat.vault.keys import generate_key, keyring


class Command(BaseCommand):
    help = "Manage the encryption keys of identities."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("generate", help="Print a new random 32-byte key (URL-safe base64).")
        actions.add_parser("status", help="Count the encrypted values of each column under each key.")
        rotate = actions.add_parser(
            "rotate", help="Re-encrypt under the current key (the first of MASARAT_ENCRYPTION_KEYS) every value "
                           "encrypted under an older one. Resumable: run it again after an interruption.")
        rotate.add_argument("--batch-size", type=int, default=500, help="Values per transaction (default 500).")
        reindex = actions.add_parser(
            "reindex", help="Recompute every blind index (after MASARAT_BLIND_INDEX_KEY changed).")
        reindex.add_argument("--batch-size", type=int, default=500, help="Persons per transaction (default 500).")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "generate":
            self.stdout.write(generate_key())
            self.stderr.write("Keep this key outside the database and its backups; losing it loses the data.")
        elif action == "status":
            self.status()
        elif action == "rotate":
            self.rotate(self.batch_size(options))
        elif action == "reindex":
            self.reindex(self.batch_size(options))

    @staticmethod
    def batch_size(options: dict[str, Any]) -> int:
        size = int(options["batch_size"])
        if size < 1:
            raise CommandError("--batch-size must be at least 1.")
        return size

    def status(self) -> None:
        ring = keyring()
        self.stdout.write(f"Current key: {ring.current_id}; keys listed: {', '.join(ring.keys)}")
        stale = unencrypted = 0
        for model, field in encrypted_fields():
            counts = column_status(model, field.name)
            described = ", ".join(f"{key_id}: {count}" for key_id, count in sorted(counts.items())) or "empty"
            self.stdout.write(f"  {context_of(model, field.name)}  {described}")
            stale += sum(count for key_id, count in counts.items() if key_id not in (ring.current_id, NOT_ENCRYPTED))
            unencrypted += counts[NOT_ENCRYPTED]
        if unencrypted:
            self.stdout.write(self.style.ERROR(f"{unencrypted} values are not encrypted: run 'masarat migrate'."))
        if stale:
            self.stdout.write(self.style.WARNING(
                f"{stale} values are under an older key: run 'masarat keys rotate', then remove that key."))
        elif not unencrypted:
            self.stdout.write(self.style.SUCCESS(
                f"Every value is encrypted under the current key ({ring.current_id})."))

    def rotate(self, batch_size: int) -> None:
        def report(batch: BatchDone) -> None:
            self.stdout.write(f"  {batch.column}: {batch.rotated} re-encrypted, {batch.left} left")

        ring, total = keyring(), 0
        self.stdout.write(f"Re-encrypting under the key {ring.current_id}, {batch_size} values per transaction…")
        try:
            for model, field in encrypted_fields():
                total += rotate_column(model, field.name, batch_size=batch_size, progress=report)
        except DecryptionError as error:
            raise CommandError(f"{error}. Is the key of these values still listed in MASARAT_ENCRYPTION_KEYS?") \
                from None
        others = [key_id for key_id in ring.keys if key_id != ring.current_id]
        self.stdout.write(self.style.SUCCESS(f"{total} values re-encrypted; every value is under {ring.current_id}."))
        if others:
            self.stdout.write(f"Nothing is encrypted under {', '.join(others)} any more: remove it from "
                              "MASARAT_ENCRYPTION_KEYS (and from where keys are kept) once the backups made before "
                              "are no longer needed.")

    def reindex(self, batch_size: int) -> None:
        from masarat.people.search import reindex_all

        done = reindex_all(batch_size=batch_size,
                           progress=lambda count, total: self.stdout.write(f"  {count}/{total} persons indexed"))
        self.stdout.write(self.style.SUCCESS(f"Blind indexes recomputed for {done} persons."))
