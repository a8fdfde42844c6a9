"""``masarat statistics rebuild``: write every case's statistical fact and the counts kept from them again."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.audit.services import record_event
from masarat.statistics import facts


class Command(BaseCommand):
    help = ("Rebuild the statistics' facts (one per case) and the referral, stage and backlog counts from the "
            "cases: after an upgrade that adds them, a bulk load, or a change of public holidays or deadline "
            "settings.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        rebuild = commands.add_parser("rebuild", help="Compute every fact again, in batches, then the counts.")
        rebuild.add_argument("--batch", type=int, default=5000, help="Cases per transaction (default 5000).")
        rebuild.add_argument("--start-after", type=int, default=0, metavar="CASE_ID",
                             help="Go on after this case (the last one an interrupted rebuild reported).")

    def handle(self, *args: Any, action: str, batch: int, start_after: int, **options: Any) -> None:
        if batch < 1 or start_after < 0:
            raise CommandError("--batch must be at least 1 and --start-after at least 0.")

        def progress(done: int, total: int, seconds: float) -> None:
            self.stderr.write(f"statistics: {done}/{total} cases, {done / seconds if seconds else 0:,.0f} cases/s")
            self.stderr.flush()

        count = facts.rebuild(batch_size=batch, start_after=start_after, progress=progress)
        record_event(actor=None, action="statistics.rebuild", target_type="statistics",
                     details={"cases": count, "start_after": start_after})
        self.stdout.write(self.style.SUCCESS(f"Statistics rebuilt from {count} cases."))
