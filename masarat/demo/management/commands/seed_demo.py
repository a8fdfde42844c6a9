"""``masarat seed-demo``: load the demo data into the configured database, without serving it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.cases.lifecycle import Status
from masarat.demo.seeding import DEFAULT_CASES, DEMO_PASSWORD, AccountRow, SeedConflict, SeedReport, seed_demo


class Command(BaseCommand):
    help = "Load demo agencies, accounts and cases at every stage into the configured database."
    requires_migrations_checks = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=DEFAULT_CASES,
                            help=f"How many cases to create (default {DEFAULT_CASES}).")

    def handle(self, *args: Any, cases: int, **options: Any) -> None:
        # The demo accounts have a published password, and one of them is a superuser.
        if not (settings.DEMO or settings.DEBUG):
            raise CommandError("Demo data is only loaded in demo mode: set MASARAT_DEMO=1.")
        if cases < 0:
            raise CommandError("--cases cannot be negative.")
        try:
            report = seed_demo(cases=cases, stdout=self.stdout)
        except SeedConflict as exc:
            raise CommandError(str(exc)) from exc
        self._summary(report)
        self.stdout.write("")
        self.stdout.write(accounts_table(report.accounts))
        self.stdout.write(f"\nEvery demo account has the password: {DEMO_PASSWORD}")

    def _summary(self, report: SeedReport) -> None:
        if not report.created:
            self.stdout.write("The demo accounts exist already: nothing was created.")
            return
        self.stdout.write(self.style.SUCCESS(f"Created {report.cases_created} cases:"))
        for status, count in report.cases_by_status.items():
            self.stdout.write(f"  {count:4d}  {Status(status).label}")


def accounts_table(accounts: Sequence[AccountRow]) -> str:
    rows = [("Username", "Name", "Role", "Agency", "Region"),
            *((a.username, a.name, a.role, a.agency, a.region) for a in accounts)]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
