"""Time the statistics dashboard's queries over many synthetic cases.

Usage (a database of its own, migrated; never a production database, it adds synthetic cases):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/masarat_bench MASARAT_DEMO=1 \
        .venv/bin/masarat migrate && \
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/masarat_bench MASARAT_DEMO=1 \
        .venv/bin/python bench/statistics_dashboard.py --cases 100000 --runs 5

Cases are inserted in bulk with plausible profiles and lifecycle timestamps (no person: the
statistics never read one). Then the whole release of the dashboard (every table, protected) is
built ``--runs`` times for a few filter sets, and the median and worst times are printed.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "masarat.settings")

import django

django.setup()

from django.utils import timezone  # noqa: E402

from masarat.accounts.models import Role, User  # noqa: E402
from masarat.cases.lifecycle import Status  # noqa: E402
from masarat.cases.models import Case, CaseExploitation  # noqa: E402
from masarat.cases.vocabulary import ExploitationForm  # noqa: E402
from masarat.organisations.models import Agency, AgencyKind  # noqa: E402
from masarat.organisations.regions import Region  # noqa: E402
from masarat.people.ages import AGE_BANDS  # noqa: E402
from masarat.statistics.release import build_release  # noqa: E402
from masarat.statistics.selectors import Filters  # noqa: E402

PREFIX = "BENCH"
STATUSES = [Status.REFERRED, Status.AWAITING_PRELIMINARY, Status.REFLECTION_PERIOD, Status.IDENTIFIED,
            Status.NOT_PRESUMED, Status.NOT_IDENTIFIED, Status.CLOSED, Status.ANONYMOUS_NOTIFICATION]


def populate(count: int, rng: random.Random) -> None:
    existing = Case.objects.filter(reference__startswith=PREFIX).count()
    if existing >= count:
        return
    agencies = [Agency.objects.get_or_create(name=f"Bench {kind}", defaults={"kind": kind, "region": region})[0]
                for kind, region in zip(AgencyKind.values, Region.values, strict=False)]
    user = User.objects.filter(username="bench").first() or User.objects.create(
        username="bench", role=Role.FRONTLINE_RESPONDER, agency=agencies[0])
    now = timezone.now()
    batch: list[Case] = []
    for number in range(existing, count):
        referred = now - timedelta(days=rng.randint(0, 4 * 365), hours=rng.randint(0, 23))
        status = rng.choice(STATUSES)
        band = rng.choice(AGE_BANDS)[2]
        acknowledged = referred + timedelta(hours=rng.randint(1, 72)) if status != Status.REFERRED else None
        preliminary = referred + timedelta(days=rng.randint(2, 40)) if status not in (
            Status.REFERRED, Status.AWAITING_PRELIMINARY, Status.ANONYMOUS_NOTIFICATION) else None
        formal = preliminary + timedelta(days=rng.randint(30, 400)) if preliminary and status in (
            Status.IDENTIFIED, Status.NOT_IDENTIFIED) else None
        batch.append(Case(
            reference=f"{PREFIX}-{number:08d}", status=status, referring_agency=rng.choice(agencies),
            referred_by=user, region=rng.choice(Region.values), sex=rng.choice(["female", "male"]),
            is_child=band in ("0--8", "9--17"), age_band=band, nationality=rng.choice(["MA", "NG", "CI", "SN", "GN"]),
            referred_at=referred, acknowledged_at=acknowledged, preliminary_decided_at=preliminary,
            reflection_ends_on=(timezone.localdate(preliminary) + timedelta(days=30)) if preliminary else None,
            formal_decided_at=formal, status_before_close=Status.IDENTIFIED if status == Status.CLOSED else "",
            due_on=timezone.localdate(now) + timedelta(days=rng.randint(-30, 10)),
        ))
        if len(batch) == 5000:
            _save(batch, rng)
            batch = []
    if batch:
        _save(batch, rng)


def _save(batch: list[Case], rng: random.Random) -> None:
    created = Case.objects.bulk_create(batch)
    CaseExploitation.objects.bulk_create(
        CaseExploitation(case=case, form=form) for case in created
        for form in rng.sample(ExploitationForm.values, rng.randint(1, 2)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    rng = random.Random(9)
    started = time.perf_counter()
    populate(options.cases, rng)
    print(f"{Case.objects.count()} cases ready in {time.perf_counter() - started:.1f} s")
    today = timezone.localdate()
    scenarios = {
        "everything, per quarter": (Filters(), "quarter"),
        "last year, per month": (Filters(start=today - timedelta(days=365), end=today), "month"),
        "one region, women, sexual exploitation": (
            Filters(region=Region.TANGER_TETOUAN_AL_HOCEIMA, sex="female", exploitation="SexualExploitation"), "year"),
        "one year, one nationality": (Filters(start=date(today.year - 1, 1, 1), end=date(today.year - 1, 12, 31),
                                              nationality="NG"), "quarter"),
    }
    for name, (filters, granularity) in scenarios.items():
        times = []
        for _run in range(options.runs):
            began = time.perf_counter()
            build_release(filters, granularity)
            times.append(time.perf_counter() - began)
        print(f"{name}: median {statistics.median(times):.2f} s, worst {max(times):.2f} s over {options.runs} runs")


if __name__ == "__main__":
    main()
