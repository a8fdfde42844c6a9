"""How many audit events per second the chain takes, appended by ``--threads`` threads at once,
each event its own transaction (as a read outside any transaction: a list or a file shown).

Writes real ``bench.append`` events into the trail: run it on a benchmark database only. With
``--synchronous-commit off`` (an experiment, never a setting of the application), the commits stop
waiting for the write-ahead log to reach the disk: the difference is what the disk's flush costs
under the chain's lock.

    DATABASE_URL=postgres://... python benchmarks/audit_append.py --threads 8 --seconds 5
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.common import setup_django  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--synchronous-commit", choices=["on", "off"], default="on")
    args = parser.parse_args(argv)
    setup_django()
    from django.db import connection

    from masarat.audit.services import record_event

    counts = [0] * args.threads

    def append(index: int) -> None:
        try:
            if args.synchronous_commit == "off":
                with connection.cursor() as cursor:
                    cursor.execute("SET synchronous_commit = off")
            stop = time.monotonic() + args.seconds
            while time.monotonic() < stop:
                record_event(actor=None, action="bench.append", target_type="bench", details={"thread": index})
                counts[index] += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(index,)) for index in range(args.threads)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"{args.threads} threads, synchronous_commit {args.synchronous_commit}: "
          f"{sum(counts) / args.seconds:.0f} appends/s (load average {[round(x, 2) for x in os.getloadavg()]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
