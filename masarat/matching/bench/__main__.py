"""The matching benchmark (not a test): Masarat and Splink on the same data, in the same run.

    python -m masarat.matching.bench run [--persons 20000] [--datasets synthetic febrl3] [--no-splink]
    python -m masarat.matching.bench speed [--records 100000] [--index 1000000] [--queries 1000]
    python -m masarat.matching.bench train

Needs the ``bench`` extra (``pip install -e ".[bench]"``) for FEBRL and Splink.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from functools import partial

from masarat.matching.bench import datasets
from masarat.matching.bench.metrics import b_cubed, pairwise
from masarat.matching.bench.train import main as train_main
from masarat.matching.bench.train import to_records
from masarat.matching.blocking import MemoryIndex
from masarat.matching.engine import candidates_for, deduplicate
from masarat.matching.records import prepare


def _cpu_seconds() -> float:
    """User and system time of this process and of its finished children (the comparing processes)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def _measure(name: str, dataset: str, rows: datasets.Labelled, cluster: Callable[[], dict[str, str]]) -> str:
    truth = {row["record_id"]: entity for row, entity in rows}
    started, cpu = time.perf_counter(), _cpu_seconds()
    clusters = cluster()
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    p, b = pairwise(clusters, truth), b_cubed(clusters, truth)
    line = (f"| {dataset} | {name} | {len(rows):,} | {p.precision:.4f} | {p.recall:.4f} | {p.f1:.4f} | "
            f"{b.precision:.4f} | {b.recall:.4f} | {b.f1:.4f} | {seconds:.1f} s | {cpu:.1f} s | "
            f"{len(rows) / seconds:,.0f} |")
    print(line, flush=True)
    return line


def run(arguments: argparse.Namespace) -> None:
    print(f"load average {os.getloadavg()[0]:.1f}")
    print("| Data | Tool | Records | Pairwise P | Pairwise R | Pairwise F1 | B-cubed P | B-cubed R | B-cubed F1 "
          "| Time | CPU | Records/s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for dataset in arguments.datasets:
        if dataset == "synthetic":
            rows = datasets.synthetic(arguments.persons, seed=arguments.seed)
        else:
            rows = datasets.febrl(dataset)
        _measure("Masarat", dataset, rows, partial(_masarat, rows))
        if arguments.splink:
            from masarat.matching.bench.splink_runner import run_splink

            _measure("Splink", dataset, rows, partial(run_splink, rows))


def _masarat(rows: datasets.Labelled) -> dict[str, str]:
    return deduplicate(to_records(rows)).clusters


def speed(arguments: argparse.Namespace) -> None:
    rows = datasets.synthetic(int(arguments.records / 1.8) + 1, seed=arguments.seed)[:arguments.records]
    records = to_records(rows)
    started, cpu = time.perf_counter(), _cpu_seconds()
    result = deduplicate(records)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    print(f"dedup-file engine: {len(records):,} records in {seconds:.1f} s, CPU {cpu:.1f} s (user+sys, all "
          f"processes), load average {os.getloadavg()[0]:.1f} ({result.compared_pairs:,} pairs compared)",
          flush=True)
    if not arguments.index:
        return
    rows = datasets.synthetic(int(arguments.index / 1.8) + 1, seed=arguments.seed + 1)[:arguments.index]
    index = MemoryIndex()
    started = time.perf_counter()
    for record in to_records(rows):
        index.add(prepare(record))
    print(f"index of {len(index):,} persons built in {time.perf_counter() - started:.0f} s", flush=True)
    queries = to_records(random.Random(arguments.seed).sample(rows, arguments.queries))
    latencies = []
    for query in queries:
        started = time.perf_counter()
        candidates_for(query, index)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    print(f"candidates_for over {len(index):,} persons, {len(queries)} new referrals: "
          f"median {statistics.median(latencies):.1f} ms, p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, "
          f"max {latencies[-1]:.1f} ms")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m masarat.matching.bench")
    commands = parser.add_subparsers(dest="command", required=True)
    running = commands.add_parser("run", help="quality and throughput, Masarat and Splink side by side")
    running.add_argument("--datasets", nargs="+", default=["synthetic", "febrl3"])
    running.add_argument("--persons", type=int, default=20_000, help="synthetic persons (about 1.8 records each)")
    running.add_argument("--seed", type=int, default=2026)
    running.add_argument("--no-splink", dest="splink", action="store_false")
    speeding = commands.add_parser("speed", help="batch throughput and the latency of one check")
    speeding.add_argument("--records", type=int, default=100_000)
    speeding.add_argument("--index", type=int, default=1_000_000)
    speeding.add_argument("--queries", type=int, default=1_000)
    speeding.add_argument("--seed", type=int, default=2026)
    commands.add_parser("train", help="retrain data/model.json on the synthetic population")
    arguments = parser.parse_args(argv)
    if arguments.command == "run":
        run(arguments)
    elif arguments.command == "speed":
        speed(arguments)
    else:
        train_main()


if __name__ == "__main__":
    main()
