"""``masarat generate --cases N``: synthetic cases at national scale, for load and benchmarks."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from masarat.cases.lifecycle import Status
from masarat.demo.generation import (
    DEFAULT_BATCH,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    demo_cast,
    generate,
    indexes_set_aside,
    refresh_planner_statistics,
)


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
        parser.add_argument("--jobs", type=int, default=1,
                            help="Processes generating at once, each a share of the cases with its own seed "
                                 "(default 1; the number of cores is a good choice on PostgreSQL).")
        parser.add_argument("--bulk", action="store_true",
                            help="For a load into a nearly empty PostgreSQL database: drop the secondary indexes of "
                                 "the generated tables, and build them again at the end, even if the run fails "
                                 "or is interrupted (no effect on SQLite).")
        parser.add_argument("--force", action="store_true",
                            help="Generate outside demo mode (never on a database that holds real cases).")
        # Given by --jobs to its processes: the planner's statistics are refreshed once, by the parent.
        parser.add_argument("--no-analyze", dest="analyze", action="store_false", help=argparse.SUPPRESS)

    def handle(self, *args: Any, cases: int, seed: int, years: int, batch: int, jobs: int, force: bool,
               bulk: bool = False, analyze: bool = True, **options: Any) -> None:
        if not (settings.DEMO or settings.DEBUG or force):
            raise CommandError("Synthetic data is only generated in demo mode (MASARAT_DEMO=1), or with --force.")
        if cases < 1 or years < 1 or batch < 1 or jobs < 1:
            raise CommandError("--cases, --years, --batch and --jobs must be at least 1.")
        if not bulk:
            self._generate(cases=cases, seed=seed, years=years, batch=batch, jobs=jobs, force=force, analyze=analyze)
            return
        demo_cast()  # the accounts are created (if need be) with every index in place
        previous = signal.signal(signal.SIGTERM, _terminated)  # so that the indexes are built again
        try:
            with indexes_set_aside(say=self._say):
                self._generate(cases=cases, seed=seed, years=years, batch=batch, jobs=jobs, force=force,
                               analyze=analyze)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def _say(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def _generate(self, *, cases: int, seed: int, years: int, batch: int, jobs: int, force: bool,
                  analyze: bool) -> None:
        if jobs > 1:
            self._in_parallel(cases=cases, seed=seed, years=years, batch=batch, jobs=jobs, force=force)
            if analyze:
                refresh_planner_statistics()
            return

        def progress(done: int, total: int, seconds: float) -> None:
            rate = done / seconds if seconds else 0.0
            left = (total - done) / rate if rate else 0.0
            self.stderr.write(f"generate: {done}/{total} cases ({100 * done // total}%), {rate:,.0f} cases/s, "
                              f"{seconds:,.0f} s elapsed, about {left:,.0f} s left")
            self.stderr.flush()

        report = generate(cases=cases, seed=seed, years=years, batch_size=batch, progress=progress, analyze=analyze)
        self.stdout.write(self.style.SUCCESS(
            f"Created {report.cases} cases in {report.seconds:,.1f} s ({report.cases / report.seconds:,.0f} cases/s)."))
        for status in Status:
            if report.by_status[status]:
                self.stdout.write(f"  {report.by_status[status]:9d}  {status.label}")
        self.stdout.write("Rows written: " + ", ".join(f"{name} {count}" for name, count in report.rows.items()))

    def _in_parallel(self, *, cases: int, seed: int, years: int, batch: int, jobs: int, force: bool) -> None:
        """Run ``jobs`` processes of this command, with seeds seed, seed + 1...; each reports its own progress."""
        demo_cast()  # the accounts exist before the processes start, so that none creates them twice
        connections.close_all()
        shares = [cases // jobs + (1 if index < cases % jobs else 0) for index in range(jobs)]
        started = time.monotonic()
        processes = [
            subprocess.Popen([sys.executable, "-m", "masarat", "generate", "--cases", str(share),  # noqa: S603
                              "--seed", str(seed + index), "--years", str(years), "--batch", str(batch),
                              # The checks have run in this process, against the same code and settings.
                              "--skip-checks", "--no-analyze", *(["--force"] if force else [])],
                             stdout=subprocess.DEVNULL)
            for index, share in enumerate(shares) if share
        ]
        try:
            failed = [process.args for process in processes if process.wait() != 0]
        except BaseException:
            for process in processes:  # none goes on writing once this one stops
                process.terminate()
            for process in processes:
                process.wait()
            raise
        if failed:
            raise CommandError(f"{len(failed)} of the {len(processes)} processes failed (see above).")
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(
            f"Created {cases} cases in {seconds:,.1f} s ({cases / seconds:,.0f} cases/s) with {len(processes)} "
            "processes."))


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)
