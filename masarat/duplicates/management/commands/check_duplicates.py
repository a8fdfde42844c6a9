"""``masarat check-duplicates``: compare with everyone the persons never compared, and keep what is found."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.duplicates.services import persons_check_unchecked


class Command(BaseCommand):
    help = ("Compare with every other person each person never compared (recorded before this version, or "
            "generated), and keep the possible duplicates found, as a referral does. Resumable: run it again "
            "after an interruption; persons already compared are skipped.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=None, help="Check at most this many persons.")
        parser.add_argument("--batch-size", type=int, default=200, help="Persons read at a time (default 200).")

    def handle(self, *args: Any, limit: int | None, batch_size: int, **options: Any) -> None:
        if batch_size < 1 or (limit is not None and limit < 1):
            raise CommandError("--limit and --batch-size must be at least 1.")
        checked = persons_check_unchecked(limit=limit, batch_size=batch_size,
                                          progress=lambda done: self.stdout.write(f"{done} persons checked"))
        self.stdout.write(self.style.SUCCESS(f"Done: {checked} persons compared with every other person."))
