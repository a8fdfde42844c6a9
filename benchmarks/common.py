"""What the benchmark scripts share: Django set up on the benchmark settings, percentiles, reports."""

from __future__ import annotations

import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    os.environ.setdefault("MASARAT_DEMO", "1")
    import django

    django.setup()


def percentile(sorted_values: Sequence[float], share: float) -> float:
    """The value below which ``share`` of the values fall (nearest rank)."""
    if not sorted_values:
        return float("nan")
    rank = max(0, min(len(sorted_values) - 1, round(share * len(sorted_values) + 0.5) - 1))
    return sorted_values[rank]


def summary(milliseconds: Sequence[float]) -> dict[str, float]:
    values = sorted(milliseconds)
    return {"n": len(values), "p50": percentile(values, 0.50), "p95": percentile(values, 0.95),
            "p99": percentile(values, 0.99), "mean": statistics.fmean(values) if values else float("nan")}


def data_size() -> dict[str, Any]:
    from masarat.cases.models import Case, CaseEvent
    from masarat.people.models import Person, PersonSearchToken

    return {"cases": Case.objects.count(), "persons": Person.objects.count(),
            "search_tokens": PersonSearchToken.objects.count(), "timeline_events": CaseEvent.objects.count()}


def machine() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0]
    return {"cpus": os.cpu_count(), "load_average": [round(x, 2) for x in os.getloadavg()],
            "python": platform.python_version(), "database": database.split(" on ")[0]}


def write_json(path: str | None, report: dict[str, Any]) -> None:
    if path:
        Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def wait_for(port: int, timeout: float = 60) -> None:
    """Return once the server on ``port`` answers its liveness check."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/health/live")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the server did not answer on port {port}")


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    """gunicorn (gthread) on the benchmark settings, as in production; returns once it answers."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
                   "MASARAT_DEMO": os.environ.get("MASARAT_DEMO", "1"), "MASARAT_LOG_LEVEL": "WARNING"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603 - our own server, with arguments we chose
        [str(gunicorn), "masarat.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--worker-class", "gthread", "--threads", str(threads), "--access-logfile", "/dev/null",
         "--log-level", "warning"],
        cwd=ROOT, env=environment,
    )
    try:
        wait_for(port)
    except BaseException:
        server.terminate()
        raise
    return server
