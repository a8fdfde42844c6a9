"""A sustained load test: the day's mix of work for ``--minutes``, then errors and memory reported.

Starts gunicorn (``gthread``) on the benchmark settings, as in production, then ``--clients``
threads, each a user at work, loop over a weighted mix until the time is up:

- coordinators' queue (first pages, filters, search by reference), the case page;
- the case-list API and a case through the API (a partner system);
- referral submissions through the API (each with its own ``Idempotency-Key``), duplicate check
  included;
- the statistics dashboard.

Each client waits ``--think`` seconds (on average, exponential) between requests. Every answer
other than the expected status, and every network error, is an error. The resident memory of every
gunicorn worker is sampled every ``--sample`` seconds; memory growth is the change between the
average of the first samples after the warm-up (``--warmup`` minutes) and the average of the last
ones. It fails (exit 1) on any error or on a growth above ``--max-growth`` per cent.

    DATABASE_URL=postgres://... python benchmarks/load.py --minutes 30 --clients 8 --json load.json
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import data_size, machine, setup_django, start_gunicorn, summary, write_json  # noqa: E402


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None
    expected: int = 200


@dataclass
class Tally:
    timings: dict[str, list[float]] = field(default_factory=dict)
    errors: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, name: str, milliseconds: float | None, error: str = "", detail: str = "") -> None:
        with self.lock:
            if error:
                kind = f"{name}: {error}"
                if kind not in self.errors:  # the first of each kind, as it happens
                    print(f"error {kind} {detail[:300]}", flush=True)
                self.errors[kind] += 1
            else:
                self.timings.setdefault(name, []).append(milliseconds or 0.0)


def _session_cookie(username: str) -> str:
    """A signed-in session of ``username`` (demo accounts have no second factor), as its cookie."""
    from django.conf import settings
    from django.test import Client

    from masarat.accounts.models import User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def workload(seed: int) -> list[tuple[str, int, Any]]:
    """The mix: (name, weight, a function of a random generator giving the next request)."""
    from django.urls import reverse

    from benchmarks.latency import _referral, _sample
    from masarat.accounts.models import User
    from masarat.accounts.services import api_token_create

    references, _names = _sample(seed, 500)
    coordinator = {"Cookie": _session_cookie("national.coordinator"), "Host": "localhost"}
    analyst = {"Cookie": _session_cookie("analyst"), "Host": "localhost"}
    def bearer(username: str) -> str:
        return f"Bearer {api_token_create(user=User.objects.get(username=username), name='load test')}"

    partner = {"Authorization": bearer("national.coordinator"), "Host": "localhost"}
    responder = {"Authorization": bearer("police.rabat"), "Host": "localhost", "Content-Type": "application/json"}
    queue, cases, referrals = reverse("queue"), reverse("api-case-list"), reverse("api-referral-list")

    def referral(rng: random.Random) -> Request:
        return Request("POST", referrals, {**responder, "Idempotency-Key": uuid.uuid4().hex},
                       json.dumps(_referral(rng)).encode(), expected=201)

    return [
        ("queue", 25, lambda rng: Request("GET", f"{queue}?page={rng.randint(1, 5)}", coordinator)),
        ("queue with filters", 10, lambda rng: Request("GET", (
            f"{queue}?status={rng.choice(['referred', 'awaiting_preliminary', 'reflection_period'])}"
            f"&region={rng.choice(['MA-01', 'MA-04', 'MA-06', 'MA-09'])}"), coordinator)),
        ("queue search by reference", 5,
         lambda rng: Request("GET", f"{queue}?q={rng.choice(references)}", coordinator)),
        ("case page", 25, lambda rng: Request("GET", reverse("case", args=[rng.choice(references)]), coordinator)),
        ("case-list API", 15, lambda rng: Request("GET", f"{cases}?page={rng.randint(1, 3)}", partner)),
        ("case API", 5, lambda rng: Request("GET", reverse("api-case-detail", args=[rng.choice(references)]), partner)),
        ("referral submission API", 10, referral),
        ("dashboard", 5, lambda rng: Request("GET", reverse("overview"), analyst)),
    ]


def client_loop(port: int, mix: list[tuple[str, int, Any]], seed: int, think: float, stop: float,
                tally: Tally) -> None:
    rng = random.Random(seed)
    names = [name for name, _weight, _make in mix]
    weights = [weight for _name, weight, _make in mix]
    makers = {name: make for name, _weight, make in mix}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while time.monotonic() < stop:
        name = rng.choices(names, weights)[0]
        request = makers[name](rng)
        started = time.perf_counter()
        try:
            status, body = _send(connection, request)
            if status != request.expected:
                tally.record(name, None, f"HTTP {status}", f"{request.path} {body[:300]!r}")
            else:
                tally.record(name, (time.perf_counter() - started) * 1000)
        except (OSError, http.client.HTTPException) as error:
            tally.record(name, None, type(error).__name__, f"{request.path} {error}")
            connection.close()
        time.sleep(rng.expovariate(1 / think) if think > 0 else 0)


def _send(connection: http.client.HTTPConnection, request: Request) -> tuple[int, bytes]:
    """One request. The server closes a kept-alive connection that stayed idle (gunicorn: after 2 s);
    like any HTTP client, send again once on a new connection when the reused one turns out closed
    (safe here: reads, and referrals carry an Idempotency-Key)."""
    reused = connection.sock is not None
    try:
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
    except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
        if not reused:
            raise
        connection.close()
        connection.request(request.method, request.path, body=request.body, headers=request.headers)
        response = connection.getresponse()
    body = response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status, body


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _resident_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--think", type=float, default=0.5, help="Mean pause of a client between requests (s).")
    parser.add_argument("--warmup", type=float, default=3, help="Minutes before memory is first compared.")
    parser.add_argument("--sample", type=float, default=30, help="Seconds between memory samples.")
    parser.add_argument("--max-growth", type=float, default=10, help="Allowed memory growth, per cent.")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", help="Also write the results to this file.")
    args = parser.parse_args(argv)
    setup_django()
    mix = workload(args.seed)
    report: dict[str, Any] = {"machine": machine(), "data_before": data_size(), "clients": args.clients,
                              "think_seconds": args.think, "minutes": args.minutes,
                              "server": f"gunicorn, {args.workers} workers x {args.threads} threads (gthread)"}
    server = start_gunicorn(args.port, args.workers, args.threads)
    tally = Tally()
    samples: list[tuple[float, int]] = []  # (minutes since start, total resident KiB of the workers)
    began = time.monotonic()
    stop = began + args.minutes * 60
    try:
        clients = [threading.Thread(target=client_loop, daemon=True,
                                    args=(args.port, mix, args.seed + index, args.think, stop, tally))
                   for index in range(args.clients)]
        for client in clients:
            client.start()
        while time.monotonic() < stop:
            time.sleep(min(args.sample, max(0.0, stop - time.monotonic())))
            elapsed = (time.monotonic() - began) / 60
            workers = _children(server.pid)
            samples.append((round(elapsed, 2), sum(_resident_kib(pid) for pid in workers)))
            done = sum(len(values) for values in tally.timings.values())
            print(f"{elapsed:6.1f} min  {done:7d} requests  {sum(tally.errors.values()):4d} errors  "
                  f"workers {len(workers)}  resident {samples[-1][1] / 1024:7.1f} MiB", flush=True)
        for client in clients:
            client.join(timeout=90)
    finally:
        server.terminate()
        server.wait(timeout=30)

    after_warmup = [kib for minute, kib in samples if minute >= args.warmup]
    window = max(1, len(after_warmup) // 5)
    first, last = after_warmup[:window] or [0], after_warmup[-window:] or [0]
    start_kib, end_kib = sum(first) / len(first), sum(last) / len(last)
    growth = (end_kib - start_kib) / start_kib * 100 if start_kib else float("nan")
    requests = sum(len(values) for values in tally.timings.values())
    errors = sum(tally.errors.values())
    report.update(
        data_after=data_size(), requests=requests, errors=errors, error_kinds=dict(tally.errors),
        throughput=requests / (args.minutes * 60),
        latency={name: summary(values) for name, values in sorted(tally.timings.items())},
        memory_samples=samples, memory_start_mib=start_kib / 1024, memory_end_mib=end_kib / 1024,
        memory_growth_percent=growth,
    )
    print(f"\n{requests} requests in {args.minutes:g} min ({report['throughput']:.1f}/s), {errors} errors")
    for name, values in sorted(report["latency"].items()):
        print(f"  {name:27s} n {values['n']:6d}  p50 {values['p50']:7.1f} ms  p95 {values['p95']:7.1f} ms")
    for kind, count in sorted(tally.errors.items()):
        print(f"  error {kind}: {count}")
    print(f"Workers' resident memory: {start_kib / 1024:.1f} MiB after the warm-up, {end_kib / 1024:.1f} MiB "
          f"at the end ({growth:+.1f} %, allowed {args.max_growth:g} %)")
    print(f"Data before: {report['data_before']}\nData after: {report['data_after']}\nMachine: {report['machine']}")
    write_json(args.json, report)
    return 1 if errors or not growth <= args.max_growth else 0


if __name__ == "__main__":
    sys.exit(main())
