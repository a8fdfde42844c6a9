"""Latency of the statistics dashboard (``/statistics/``), over several sets of filters.

Each request goes through the whole application (middleware, access policy, audit trail, every
table built and protected together, charts, template) with Django's test client, as the demo's
analyst, against the configured database: fill it first with ``masarat generate --cases N``.
The filter sets are requested in turn (so that a passing load on the machine weighs on all of
them); p50, p95 and p99 in milliseconds are printed for each and for all requests together,
with the number of cases and the load average of the machine.

    DATABASE_URL=postgres://... MASARAT_DEMO=1 python benchmarks/dashboard.py --rounds 20 --json dashboard.json

With ``--parts``, the aggregates of ``masarat.statistics.summary`` are timed alone instead (no
page, no disclosure control), each filter set in turn, and the median of the rounds is printed
per filter set and aggregate: where the time of a request goes.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, setup_django, summary, write_json

TARGET_P95_MS = 1000


def filter_sets(today: date) -> dict[str, dict[str, str]]:
    last_year = date(today.year - 1, 1, 1)
    return {
        "everything, per quarter": {},
        "last 365 days, per month": {"start": f"{today - timedelta(days=365)}", "end": f"{today}",
                                     "granularity": "month"},
        "one year, per month": {"start": f"{last_year}", "end": f"{date(last_year.year, 12, 31)}",
                                "granularity": "month"},
        "one region": {"region": "MA-04"},
        "women (half of the cases)": {"sex": "female"},
        "region + women + sexual exploitation, per year": {
            "region": "MA-01", "sex": "female", "exploitation": "SexualExploitation", "granularity": "year"},
        "police referrals, children 9-17": {"agency_kind": "police", "age_band": "9--17"},
        "one nationality, 15 Feb to 20 Oct of last year": {
            "nationality": "NG", "start": f"{last_year.replace(month=2, day=15)}",
            "end": f"{last_year.replace(month=10, day=20)}"},
        "forced labour, last 90 days": {"exploitation": "ForcedLabour", "start": f"{today - timedelta(days=89)}",
                                        "end": f"{today}"},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=20, help="Timed requests per filter set (default 20).")
    parser.add_argument("--warmup", type=int, default=1, help="Untimed rounds first (default 1).")
    parser.add_argument("--user", default="analyst", help="Who looks (default: the demo's analyst).")
    parser.add_argument("--json", help="Also write the results to this file.")
    parser.add_argument("--parts", action="store_true", help="Time each aggregate alone, not the page.")
    args = parser.parse_args(argv)
    setup_django()
    if args.parts:
        return parts(args.rounds, args.warmup, args.json)
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from masarat.accounts.models import User
    from masarat.cases.models import Case
    from masarat.statistics.models import CaseFact

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=args.user))
    url = reverse("overview")
    sets = filter_sets(timezone.localdate())
    cases, facts = Case.objects.count(), CaseFact.objects.count()
    report: dict[str, Any] = {"machine": machine(), "data": {"cases": cases, "facts": facts}, "results": {}}
    print(f"Cases: {cases:,} (facts: {facts:,})\nMachine: {report['machine']}\n")
    timings: dict[str, list[float]] = {name: [] for name in sets}
    for round_number in range(args.warmup + args.rounds):
        for name, query in sets.items():
            started = time.perf_counter()
            response = client.get(url, query)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code} for {name}")
            if round_number >= args.warmup:
                timings[name].append(elapsed)
    print(f"{'filters':50s} {'n':>4s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s}")
    everything = [t for values in timings.values() for t in values]
    for name, measured in [*timings.items(), ("all requests", everything)]:
        result = summary(measured)
        report["results"][name] = result
        print(f"{name:50s} {result['n']:4d} {result['p50']:8.1f} {result['p95']:8.1f} {result['p99']:8.1f}")
    overall = report["results"]["all requests"]["p95"]
    report["machine_after"] = machine()["load_average"]
    print(f"\np95 over all requests: {overall:.0f} ms, target {TARGET_P95_MS} ms: "
          f"{'met' if overall <= TARGET_P95_MS else 'MISSED'} (load average after: {report['machine_after']})")
    write_json(args.json, report)
    return 0 if overall <= TARGET_P95_MS else 1


def parts(rounds: int, warmup: int, json_path: str | None) -> int:
    """The median time of each aggregate of the dashboard, per filter set, in milliseconds."""
    from statistics import median

    from django.utils import timezone

    from masarat.statistics import summary as aggregates
    from masarat.statistics.selectors import Filters

    today = timezone.localdate()
    report: dict[str, Any] = {"machine": machine(), "results": {}}
    timings: dict[tuple[str, str], list[float]] = {}
    for round_number in range(warmup + rounds):
        for name, query in filter_sets(today).items():
            values = dict(query)
            granularity = values.pop("granularity", "quarter")
            filters = Filters(**{key: date.fromisoformat(value) if key in ("start", "end") else value
                                 for key, value in values.items()})
            calls: list[tuple[str, Any, tuple[Any, ...]]] = [
                ("referrals", aggregates.referrals, (filters, granularity)), ("stages", aggregates.stages, (filters,)),
                ("backlog", aggregates.backlog, (filters, today)), ("flows", aggregates.stage_flows, (filters, today))]
            for part, function, arguments in calls:
                started = time.perf_counter()
                function(*arguments)
                if round_number >= warmup:
                    timings.setdefault((name, part), []).append((time.perf_counter() - started) * 1000)
    print(f"Machine: {report['machine']}\n\n{'filters':50s} {'referrals':>9s} {'stages':>9s} {'backlog':>9s} "
          f"{'flows':>9s}")
    for name in filter_sets(today):
        medians = {part: median(timings[(name, part)]) for part in ("referrals", "stages", "backlog", "flows")}
        report["results"][name] = medians
        print(f"{name:50s} " + " ".join(f"{value:9.1f}" for value in medians.values()))
    report["machine_after"] = machine()["load_average"]
    print(f"\n(median of {rounds} rounds, milliseconds; load average after: {report['machine_after']})")
    write_json(json_path, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
