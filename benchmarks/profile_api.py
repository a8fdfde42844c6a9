"""The CPU cost of one case-list API request, in this process, without a server or other clients.

Sends ``--requests`` requests to ``/api/v1/cases/`` through Django's test client (as the national
coordinator, with a bearer token) after a few to warm up, and reports the process CPU time and
the wall-clock time per request (the difference is mostly the database), the number of queries,
then, with ``--profile``, the functions where the time goes (cProfile, sorted by cumulative time).

    DATABASE_URL=postgres://... python benchmarks/profile_api.py --requests 200 --profile 25
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import data_size, setup_django  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--path", default="/api/v1/cases/")
    parser.add_argument("--profile", type=int, default=0, metavar="LINES",
                        help="Also profile the requests and print this many lines of the profile.")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    setup_django()
    from django.db import connection
    from django.test import Client

    from masarat.accounts.models import User
    from masarat.accounts.services import api_token_create

    token = api_token_create(user=User.objects.get(username="national.coordinator"), name="profile")
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="fr")

    def one() -> None:
        response = client.get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"{args.path} answered {response.status_code}")

    for _ in range(10):
        one()
    queries: list[tuple[float, str]] = []

    def timed(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql))

    with connection.execute_wrapper(timed):
        one()
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(args.requests):
        one()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"Data: {data_size()}; load average {[round(x, 2) for x in os.getloadavg()]}")
    print(f"{args.path}: {args.requests} requests, {len(queries)} queries each; per request "
          f"{cpu / args.requests * 1000:.2f} ms of CPU in this process, "
          f"{wall / args.requests * 1000:.2f} ms wall clock")
    for seconds, sql in queries:
        print(f"  {seconds * 1000:6.2f} ms  {sql[:160]}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            one()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.profile)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(args.profile)
    return 0


if __name__ == "__main__":
    sys.exit(main())
