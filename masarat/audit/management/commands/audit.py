"""``masarat audit verify``: walk the hash chain of the audit trail and report the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.audit.chain import verify_chain
from masarat.audit.models import AuditEvent


class Command(BaseCommand):
    help = "Check the audit trail."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        verify = commands.add_parser(
            "verify", help="Walk the hash chain; report the first altered, inserted or deleted event.")
        verify.add_argument("--batch-size", type=int, default=2000, help="Events read at a time (default 2000).")
        verify.add_argument(
            "--expect-head", metavar="SEQUENCE:HASH",
            help="A head printed by an earlier run and kept outside the database: it must still be in the "
                 "chain, unchanged (detects events removed from the end or a rewritten chain).")

    def handle(self, *args: Any, subcommand: str, **options: Any) -> None:
        if subcommand == "verify":
            self._verify(max(1, options["batch_size"]), options["expect_head"])

    def _verify(self, batch_size: int, expect_head: str | None) -> None:
        total = AuditEvent.objects.count()

        def progress(done: int) -> None:
            self.stderr.write(f"… {done} of {total} events verified")

        report = verify_chain(AuditEvent, batch_size=batch_size, progress=progress if total > batch_size else None)
        if report.broken is not None:
            raise CommandError(
                f"Audit trail tampered with at {report.broken}. "
                f"{report.verified} events before it verified (last good: #{report.head_sequence} "
                f"{report.head_hash})."
            )
        if report.verified != total:
            # Rows the walk by sequence did not reach cannot exist with a unique, non-null sequence;
            # say so rather than call the trail intact if the schema was changed underneath.
            raise CommandError(f"{total} events in the table but {report.verified} in the chain.")
        if expect_head:
            self._check_kept_head(expect_head)
        self.stdout.write(f"{report.verified} events verified, chain intact.")
        self.stdout.write(f"Head: #{report.head_sequence} {report.head_hash}")

    def _check_kept_head(self, expect_head: str) -> None:
        sequence, _, expected_hash = expect_head.partition(":")
        if not sequence.isdigit() or not expected_hash:
            raise CommandError("--expect-head takes SEQUENCE:HASH, as printed by an earlier run.")
        kept = AuditEvent.objects.filter(sequence=int(sequence)).values_list("hash", flat=True).first()
        if kept is None:
            raise CommandError(f"Audit trail tampered with: event #{sequence}, a head kept earlier, is gone "
                               "(events were removed from the end, or the trail was emptied).")
        if kept != expected_hash.strip():
            raise CommandError(f"Audit trail tampered with: event #{sequence} no longer has the hash kept "
                               "earlier (the chain was rewritten).")
