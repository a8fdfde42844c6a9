"""Latency of what people wait on: the coordinator's queue (filters, search), the case page, the
submission of a referral and, when the statistics app is installed, the dashboard.

Each request goes through the whole application (middleware, access policy, audit trail,
templates or serializers) in this process, with Django's test client, against the configured
database: run ``masarat generate`` on it first. Reports p50, p95 and p99 in milliseconds.

    DATABASE_URL=postgres://... python benchmarks/latency.py --requests 200 --json latency.json
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import data_size, machine, setup_django, summary, write_json

# The threshold of automatic links during the submission scenario: any value turns the duplicate check on;
# a high one keeps the benchmark's random referrals from being linked to recorded persons.
AUTO_LINK_SCORE = 0.99
TARGETS_MS = {"queue": 100, "case page": 100, "referral submission": 200, "dashboard": 1000}


def _sample(seed: int, size: int) -> tuple[list[str], list[str]]:
    """References of cases, and names ("given family") of persons, picked at random over the whole table."""
    from django.db.models import Max

    from masarat.cases.models import Case

    rng = random.Random(seed)
    highest = Case.objects.aggregate(top=Max("pk"))["top"] or 0
    references: list[str] = []
    names: list[str] = []
    while len(references) < size and highest:
        ids = [rng.randint(1, highest) for _ in range(size)]
        for case in Case.objects.filter(pk__in=ids).select_related("person"):
            references.append(case.reference)
            if case.person is not None and case.person.given_name_latin and case.person.family_name_latin:
                names.append(f"{case.person.given_name_latin} {case.person.family_name_latin}")
    return references[:size], names or ["Diallo"]


def _unchecked_references(seed: int, size: int, taken: set[str]) -> list[str]:
    """References of cases whose person was never compared with the others (generated data), at random."""
    from django.db.models import Exists, Max, OuterRef

    from masarat.cases.models import Case
    from masarat.duplicates.models import DuplicateCheck

    rng = random.Random(seed + 1)
    highest = Case.objects.aggregate(top=Max("pk"))["top"] or 0
    found: list[str] = []
    for _ in range(20):
        if len(found) >= size or not highest:
            break
        ids = [rng.randint(1, highest) for _ in range(2 * size)]
        found += [reference for reference in Case.objects.filter(pk__in=ids, person__isnull=False)
                  .exclude(Exists(DuplicateCheck.objects.filter(person_id=OuterRef("person_id"))))
                  .values_list("reference", flat=True) if reference not in taken and reference not in found]
    return found[:size]


def _referral(rng: random.Random) -> dict[str, Any]:
    from masarat.demo.names import POOLS

    nationality = rng.choice(sorted(POOLS))
    pool = POOLS[nationality]
    return {
        "given_name_latin": rng.choice(pool.female)[0], "family_name_latin": rng.choice(pool.family)[0],
        "sex": "female", "birth_precision": "year", "birth_year": rng.randint(1975, 2004),
        "nationalities": [nationality], "languages": ["fr"], "phone": f"066{rng.randint(1000000, 9999999)}",
        "region": "MA-04", "circumstances": "Rencontrée à la gare routière : travaille sans salaire.",
        "exploitation_forms": ["ForcedLabour"], "exploitation_countries": ["MA"], "exploitation_regions": ["MA-04"],
        "indicators": ["wages_withheld", "excessive_hours"], "consent": "given",
        "consent_informed_by": "Agent de police", "consent_language": "fr", "urgent_needs": ["shelter"],
    }


def scenarios(seed: int, sample_size: int) -> dict[str, tuple[str, Callable[[], Any]]]:
    from django.apps import apps
    from django.test import Client, override_settings
    from django.urls import reverse

    from masarat.accounts.models import CoordinationScope, Role, User
    from masarat.accounts.services import api_token_create

    rng = random.Random(seed)
    references, names = _sample(seed, sample_size)
    national = User.objects.get(username="national.coordinator")
    regional = User.objects.filter(role=Role.COORDINATOR, coordination_scope=CoordinationScope.REGIONAL,
                                   agency__region="MA-04").first() or national
    coordinator, regional_client = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    coordinator.force_login(national)
    regional_client.force_login(regional)
    frontline = User.objects.get(username="police.rabat")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {api_token_create(user=frontline, name='benchmark')}"}
    api = Client(HTTP_HOST="localhost")
    queue = reverse("queue")

    def get(client: Client, url: Callable[[], str]) -> Callable[[], Any]:
        def run() -> Any:
            response = client.get(url())
            if response.status_code != 200:
                raise RuntimeError(f"{response.status_code} for {response.request['PATH_INFO']}")
            return response
        return run

    def check_at_referral() -> None:
        # Untimed: what the submission of each of these referrals did (``duplicates.services.after_referral``).
        from masarat.cases.models import Case
        from masarat.duplicates.services import last_check, person_check

        for case in Case.objects.filter(reference__in=references, person__isnull=False).select_related("person"):
            if last_check(case.person) is None:
                person_check(case.person)

    kept_page = get(coordinator, lambda: reverse("case", args=[rng.choice(references)]))
    kept_page.prepare = check_at_referral  # type: ignore[attr-defined]
    first_visits = iter(_unchecked_references(seed, sample_size + 50, set(references)))

    def first_visit() -> Any:
        reference = next(first_visits, None)
        if reference is None:
            raise RuntimeError("no case left whose person was never checked")
        return get(coordinator, lambda: reverse("case", args=[reference]))()

    def submit() -> Any:
        # With automatic links allowed, the submission itself looks for the person among those recorded
        # (``duplicates.services.after_referral``): the duplicate check is inside the timed request.
        with override_settings(MASARAT_AUTO_LINK_SCORE=AUTO_LINK_SCORE):
            response = api.post(reverse("api-referral-list"), _referral(rng), content_type="application/json",
                                **bearer)
        if response.status_code != 201:
            raise RuntimeError(f"referral refused: {response.status_code} {response.content[:300]!r}")
        return response

    found: dict[str, tuple[str, Callable[[], Any]]] = {
        "queue: first page (national coordinator)": ("queue", get(coordinator, lambda: queue)),
        "queue: first page (regional coordinator)": ("queue", get(regional_client, lambda: queue)),
        "queue: status + region + overdue": ("queue", get(coordinator, lambda: (
            f"{queue}?status={rng.choice(['referred', 'awaiting_preliminary', 'reflection_period'])}"
            f"&region={rng.choice(['MA-01', 'MA-04', 'MA-06', 'MA-09'])}&overdue=on"))),
        "queue: form of exploitation + child": ("queue", get(coordinator, lambda: (
            f"{queue}?exploitation={rng.choice(['ForcedLabour', 'SexualExploitation', 'Servitude'])}"
            "&child=yes"))),
        "queue: search by name": ("queue", get(coordinator, lambda: f"{queue}?q={rng.choice(names)}")),
        "queue: search by reference": ("queue", get(coordinator, lambda: f"{queue}?q={rng.choice(references)}")),
        "queue: page 20": ("queue", get(coordinator, lambda: f"{queue}?page=20")),
        # The duplicates kept by the check at referral, as for every person referred through Masarat.
        "case page": ("case page", kept_page),
        # A person loaded without that check (here: generated), compared with everyone on this first visit.
        "case page, person never checked (first visit)": ("case page", first_visit),
        "case-list API (one client)": ("queue", get(coordinator, lambda: reverse("api-case-list"))),
        "referral submission with duplicate check (API)": ("referral submission", submit),
    }
    if apps.is_installed("masarat.statistics"):
        found["dashboard"] = ("dashboard", get(coordinator, lambda: reverse("overview")))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per scenario (default 200).")
    parser.add_argument("--warmup", type=int, default=10, help="Untimed requests first (default 10).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="Run the scenarios whose name contains this text.")
    parser.add_argument("--json", help="Also write the results to this file.")
    args = parser.parse_args(argv)
    setup_django()
    report: dict[str, Any] = {"machine": machine(), "data": data_size(), "results": {}}
    print(f"Data: {report['data']}\nMachine: {report['machine']}\n")
    print("Milliseconds; cpu p50 is the CPU time of the application's process alone (the database's is not in it).")
    print(f"{'scenario':45s} {'n':>5s} {'p50 ms':>8s} {'p95 ms':>8s} {'p99 ms':>8s} {'cpu p50':>8s}  target p95")
    missed = []
    for name, (kind, run) in scenarios(args.seed, max(50, args.requests)).items():
        if args.only and args.only not in name:
            continue
        if prepare := getattr(run, "prepare", None):
            prepare()
        for _ in range(args.warmup):
            run()
        timings, cpu = [], []
        for _ in range(args.requests):
            started, cpu_started = time.perf_counter(), time.process_time()
            run()
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
        # The CPU time of this process (the database's is not in it) shows what a busy machine adds.
        result = {**summary(timings), "cpu_p50": summary(cpu)["p50"], "target_p95": TARGETS_MS[kind]}
        report["results"][name] = result
        verdict = "met" if result["p95"] <= result["target_p95"] else "MISSED"
        if verdict == "MISSED":
            missed.append(name)
        print(f"{name:45s} {result['n']:5d} {result['p50']:8.1f} {result['p95']:8.1f} {result['p99']:8.1f}"
              f" {result['cpu_p50']:8.1f}"
              f"  {result['target_p95']:5d} {verdict}")
    if "dashboard" not in report["results"] and not args.only:
        print("(no dashboard: the statistics app is not installed)")
    write_json(args.json, report)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
