"""``masarat generate --cases N``: synthetic cases at national scale, for load and benchmarks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from masarat.cases.lifecycle import Status
from masarat.demo.generation import DEFAULT_BATCH, DEFAULT_SEED, DEFAULT_YEARS, generate


class Command(BaseCommand):
    help = ("Create N synthetic cases (persons encrypted and indexed, every stage, several years) in bulk, "
            "referred and decided by the demo accounts.")
    requires_migrations_checks = True

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="How many cases to create.")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                            help=f"Random seed: the same seed gives the same data (default {DEFAULT_SEED}).")
        parser.add_argument("--years", type=int, default=DEFAULT_YEARS,
                            help=f"Years of history the settled cases spread over (default {DEFAULT_YEARS}).")
        parser.add_argument("--batch", type=int, default=DEFAULT_BATCH,
                            help=f"Cases written per transaction (default {DEFAULT_BATCH}).")
        parser.add_argument("--force", action="store_true",
                            help="Generate outside demo mode (never on a database that holds real cases).")

    def handle(self, *args: Any, cases: int, seed: int, years: int, batch: int, force: bool, **options: Any) -> None:
        if not (settings.DEMO or settings.DEBUG or force):
            raise CommandError("Synthetic data is only generated in demo mode (MASARAT_DEMO=1), or with --force.")
        if cases < 1 or years < 1 or batch < 1:
            raise CommandError("--cases, --years and --batch must be at least 1.")

        def progress(done: int, total: int, seconds: float) -> None:
            rate = done / seconds if seconds else 0.0
            left = (total - done) / rate if rate else 0.0
            self.stderr.write(f"generate: {done}/{total} cases ({100 * done // total}%), {rate:,.0f} cases/s, "
                              f"{seconds:,.0f} s elapsed, about {left:,.0f} s left")
            self.stderr.flush()

        report = generate(cases=cases, seed=seed, years=years, batch_size=batch, progress=progress)
        self.stdout.write(self.style.SUCCESS(
            f"Created {report.cases} cases in {report.seconds:,.1f} s ({report.cases / report.seconds:,.0f} cases/s)."))
        for status in Status:
            if report.by_status[status]:
                self.stdout.write(f"  {report.by_status[status]:9d}  {status.label}")
        self.stdout.write("Rows written: " + ", ".join(f"{name} {count}" for name, count in report.rows.items()))
