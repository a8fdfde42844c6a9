"""The case-list API under concurrent clients, against a bare Django view on the same server.

Starts gunicorn on the benchmark settings (the application plus ``/bench/bare/``, a view that runs
one indexed query), then, in turn, has ``--clients`` threads request the case-list API (as the
national coordinator, with a bearer token) and the bare view, each for ``--seconds``, twice over
(API, bare, API, bare) so that a passing load on the machine weighs on both. Reports throughput
and latency of each, and the ratio of the API's throughput to the bare view's.

    DATABASE_URL=postgres://... python benchmarks/concurrency.py --clients 32 --seconds 30
"""

from __future__ import annotations

import argparse
import http.client
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import data_size, machine, setup_django, start_gunicorn, summary, write_json  # noqa: E402

RATIO_TARGET = 0.5


def load(port: int, path: str, headers: dict[str, str], clients: int, seconds: float) -> dict[str, Any]:
    """``clients`` threads each sending requests one after another for ``seconds``."""
    timings: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
            if ok:
                timings[index].append((time.perf_counter() - started) * 1000)
            else:
                errors[index] += 1

    threads = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = [timing for per_client in timings for timing in per_client]
    return {**summary(every), "errors": sum(errors), "seconds": round(elapsed, 1),
            "throughput": len(every) / elapsed}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30, help="Per run; each endpoint runs twice.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per worker (default 4).")
    parser.add_argument("--json", help="Also write the results to this file.")
    args = parser.parse_args(argv)
    setup_django()
    from masarat.accounts.models import User
    from masarat.accounts.services import api_token_create

    token = api_token_create(user=User.objects.get(username="national.coordinator"), name="benchmark")
    report: dict[str, Any] = {"machine": machine(), "data": data_size(), "clients": args.clients,
                              "server": f"gunicorn, {args.workers} workers x {args.threads} threads (gthread)"}
    server = start_gunicorn(args.port, args.workers, args.threads)
    try:
        endpoints = {"case-list API": ("/api/v1/cases/", {"Authorization": f"Bearer {token}"}),
                     "bare view": ("/bench/bare/", {})}
        runs: dict[str, list[dict[str, Any]]] = {name: [] for name in endpoints}
        for path, headers in endpoints.values():  # warm every worker
            load(args.port, path, headers, args.clients, 3)
        for _round in range(2):
            for name, (path, headers) in endpoints.items():
                runs[name].append(load(args.port, path, headers, args.clients, args.seconds))
                result = runs[name][-1]
                print(f"{name:15s} {result['throughput']:8.1f} req/s  p50 {result['p50']:7.1f} ms  "
                      f"p95 {result['p95']:7.1f} ms  p99 {result['p99']:7.1f} ms  errors {result['errors']}")
    finally:
        server.terminate()
        server.wait(timeout=30)
    throughput = {name: sum(r["throughput"] for r in results) / len(results) for name, results in runs.items()}
    ratio = throughput["case-list API"] / throughput["bare view"]
    report.update(runs=runs, throughput=throughput, ratio=ratio, ratio_target=RATIO_TARGET)
    print(f"\nData: {report['data']}\nMachine: {report['machine']}")
    print(f"Throughput with {args.clients} clients: case-list API {throughput['case-list API']:.1f} req/s, "
          f"bare view {throughput['bare view']:.1f} req/s; ratio {ratio:.2f} (target at least {RATIO_TARGET})")
    write_json(args.json, report)
    errors = sum(r["errors"] for results in runs.values() for r in results)
    return 1 if errors or ratio < RATIO_TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
