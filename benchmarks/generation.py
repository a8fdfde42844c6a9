"""The cost of ``masarat generate``: wall-clock time, and the CPU time of the generating processes
and of the PostgreSQL processes serving them, per case.

The command runs as a child process (with its own children when ``--jobs`` is above 1); its CPU
time is read from the kernel once it has ended. PostgreSQL's is read from ``/proc`` (Linux, same
machine as the server, as a user allowed to read the server's processes): every process serving
the database, polled twice a second while the command runs (a process that lives less than half a
second is missed). Wall-clock time depends on what else the machine runs: the CPU times say what
the generation costs, and the load average is reported with them.

    DATABASE_URL=postgres://... MASARAT_DEMO=1 python benchmarks/generation.py --cases 100000 --jobs 2 --bulk
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import machine, setup_django, write_json


def _server_processes(database: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                       [database])
        return [row[0] for row in cursor.fetchall()]


def _cpu_seconds(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--bulk", action="store_true")
    parser.add_argument("--json", help="Also write the figures to this file.")
    args = parser.parse_args()
    environment = dict(os.environ)  # the command's, before this script picks its own settings
    setup_django()
    from django.db import connection

    database = connection.settings_dict["NAME"]
    command = [sys.executable, "-m", "masarat", "generate", "--cases", str(args.cases), "--jobs", str(args.jobs),
               "--seed", str(args.seed), *(["--bulk"] if args.bulk else [])]
    load_before = os.getloadavg()
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, env=environment)  # noqa: S603
    server: dict[int, float] = {}
    while process.poll() is None:
        for pid in _server_processes(database):
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                server[pid] = seconds
        time.sleep(0.5)
    wall = time.monotonic() - started
    if process.returncode:
        sys.exit(f"masarat generate failed ({process.returncode})")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    generating = usage.ru_utime + usage.ru_stime
    postgres = sum(server.values())
    report = {
        "command": " ".join(command[1:]), "cases": args.cases, "wall_seconds": round(wall, 1),
        "cases_per_second": round(args.cases / wall), "generating_cpu_seconds": round(generating, 1),
        "postgresql_cpu_seconds": round(postgres, 1), "postgresql_processes": len(server),
        "cpu_ms_per_case": {"generating": round(1000 * generating / args.cases, 3),
                            "postgresql": round(1000 * postgres / args.cases, 3),
                            "total": round(1000 * (generating + postgres) / args.cases, 3)},
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()], "machine": machine(),
    }
    for name, value in report.items():
        print(f"{name}: {value}")
    write_json(args.json, report)


if __name__ == "__main__":
    main()
