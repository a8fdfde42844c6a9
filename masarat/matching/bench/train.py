"""Train the shipped model (``data/model.json``) on the labelled synthetic population.

    python -m masarat.matching.bench train

m comes from the pairs of records of one person, u from random pairs, and the prior is the share of
same-person pairs among all pairs (the batch command re-estimates u and the prior on its own data).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from itertools import combinations

from masarat.matching.bench.datasets import Labelled, synthetic
from masarat.matching.bench.generator import COLUMNS
from masarat.matching.compare import compare
from masarat.matching.csvfile import read_records
from masarat.matching.model import DEFAULT_MODEL_FILE, Model, estimate_u, train_supervised
from masarat.matching.records import MatchRecord, prepare


def to_records(rows: Labelled) -> list[MatchRecord]:
    """The rows as the batch command reads them (through the same CSV reader)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for row, _entity in rows:
        writer.writerow(row)
    buffer.seek(0)
    return read_records(buffer).records


def train(persons: int = 20_000, seed: int = 11) -> Model:
    rows = synthetic(persons, seed=seed)
    features = [prepare(r) for r in to_records(rows)]
    entity = {row["record_id"]: person for row, person in rows}
    by_person: dict[str, list[int]] = defaultdict(list)
    for i, f in enumerate(features):
        by_person[entity[f.record_id]].append(i)
    matches = [compare(features[i], features[j]) for ids in by_person.values() for i, j in combinations(ids, 2)]
    prior = len(matches) / (len(features) * (len(features) - 1) / 2)
    return train_supervised(matches, estimate_u(features, pairs=200_000), prior)


def main() -> None:
    model = train()
    DEFAULT_MODEL_FILE.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"written {DEFAULT_MODEL_FILE.name}: prior {model.prior:.4f}")
