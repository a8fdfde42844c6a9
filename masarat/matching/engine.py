"""What the rest of Masarat calls: candidates for one record, and the deduplication of a whole list.

``candidates_for(record, index)`` looks a new record up in an index of known persons and returns
the possible duplicates, best first, each with its score and the reasons. The index may be the
in-memory :class:`~masarat.matching.blocking.MemoryIndex` or anything with the same four methods
(:class:`CandidateIndex`), for example one kept in the database with HMAC blocking keys.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Protocol

from masarat.matching.blocking import NEIGHBOURS, Hasher, MemoryIndex, blocking_keys
from masarat.matching.compare import Comparison, compare
from masarat.matching.model import (
    Model,
    NameFrequencies,
    Reason,
    contradicts,
    data_frequencies,
    default_model,
    estimate_u,
    fit_prior,
    probability_of,
)
from masarat.matching.records import Features, MatchRecord, prepare

# Chosen on generated lists of other seeds than the benchmark's (seeds 7 to 10, see docs/benchmarks.md): of 0.55,
# 0.575 and 0.6, the one farthest from missing either aim (pairwise precision 0.98, F1 0.95) on its worst seed.
DEFAULT_THRESHOLD = 0.575
Progress = Callable[[str, int, int], None]


class CandidateIndex(Protocol):
    hasher: Hasher

    def lookup(self, hashed_keys: Sequence[str]) -> set[str]: ...

    def features(self, record_id: str) -> Features: ...

    def name_frequencies(self, field: str) -> NameFrequencies: ...


@dataclass(frozen=True, slots=True)
class Candidate:
    record_id: str
    score: float  # probability of being the same person, 0 to 1
    weight: float  # the same in bits (log2 of the odds): easier to compare between candidates
    reasons: tuple[Reason, ...]
    names_swapped: bool


def candidates_for(record: MatchRecord | Features, index: CandidateIndex, *, model: Model | None = None,
                   threshold: float = 0.5, limit: int = 20) -> list[Candidate]:
    """Records of the index that may be the same person as ``record``, best first."""
    features = record if isinstance(record, Features) else prepare(record)
    scoring = (model or default_model()).with_frequencies({
        name: index.name_frequencies(name) for name in ("given_name", "family_name", "full_name")
    })
    keys = sorted({index.hasher(key) for key in blocking_keys(features)})
    found: list[Candidate] = []
    for record_id in index.lookup(keys):
        if record_id == features.record_id:
            continue
        score = scoring.score(features, index.features(record_id))
        if score.is_match and score.probability >= threshold:
            found.append(Candidate(record_id, score.probability, score.weight, score.reasons, score.swapped))
    found.sort(key=lambda c: (-c.weight, c.record_id))
    return found[:limit]


@dataclass
class Deduplication:
    clusters: dict[str, str]  # record id -> cluster id (the first record id of its cluster)
    model: Model
    compared_pairs: int
    linked_pairs: int


def deduplicate(records: Sequence[MatchRecord], *, threshold: float = DEFAULT_THRESHOLD, train: bool = True,
                progress: Progress | None = None, max_block: int = 200, workers: int | None = None,
                neighbours: int = NEIGHBOURS) -> Deduplication:
    """Cluster a list of records into persons. Record ids must be unique.

    ``neighbours`` is the window of the sorted neighbourhood in the name blocks too large to be
    compared in full (0 or 1: none)."""
    report = progress or (lambda stage, done, total: None)
    features = []
    for done, record in enumerate(records, start=1):
        features.append(prepare(record))
        if done % 10_000 == 0:
            report("prepare", done, len(records))
    index = MemoryIndex(max_block=max_block)
    for f in features:
        index.add(f)
    position = {f.record_id: i for i, f in enumerate(features)}
    pairs: set[tuple[int, int]] = set()
    for ids in index.blocks():
        members = sorted(position[i] for i in ids)
        pairs.update(combinations(members, 2))
    for first, second in index.neighbour_pairs(neighbours):
        i, j = position[first], position[second]
        pairs.add((i, j) if i < j else (j, i))
    report("block", len(pairs), len(pairs))
    comparisons = _compare_all(features, sorted(pairs), report, workers)
    model = fit_model(features, list(comparisons.values())) if train else default_model()
    scoring = model.with_frequencies(data_frequencies(features))
    scored: list[tuple[float, int, int]] = []
    for (i, j), comparison in comparisons.items():
        if contradicts(comparison):
            continue
        weight = scoring.match_weight(features[i], features[j], comparison)
        if probability_of(weight) >= threshold:
            scored.append((weight, i, j))
    def probability(i: int, j: int) -> float:
        comparison = _comparison(features, comparisons, i, j)
        return probability_of(scoring.match_weight(features[i], features[j], comparison))

    representative = cluster(len(features), scored,
                             lambda i, j: not contradicts(_comparison(features, comparisons, i, j)),
                             probability=probability, threshold=threshold)
    cluster_of = {f.record_id: features[representative[position[f.record_id]]].record_id for f in features}
    return Deduplication(clusters=cluster_of, model=scoring, compared_pairs=len(pairs), linked_pairs=len(scored))


_shared: list[Features] = []
PARALLEL_FROM_PAIRS = 200_000
CHUNK = 50_000


def _compare_chunk(chunk: list[tuple[int, int]]) -> list[Comparison]:
    return [compare(_shared[i], _shared[j]) for i, j in chunk]


def _compare_all(features: list[Features], pairs: list[tuple[int, int]], report: Progress,
                 workers: int | None) -> dict[tuple[int, int], Comparison]:
    """Every candidate pair compared; on several processes (forked, sharing the features) for large files."""
    workers = workers or min(os.cpu_count() or 1, 4)
    chunks = [pairs[start:start + CHUNK] for start in range(0, len(pairs), CHUNK)]
    comparisons: dict[tuple[int, int], Comparison] = {}
    if workers > 1 and len(pairs) >= PARALLEL_FROM_PAIRS and "fork" in multiprocessing.get_all_start_methods():
        _shared[:] = features
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for done, (chunk, result) in enumerate(zip(chunks, pool.imap(_compare_chunk, chunks),
                                                           strict=True), start=1):
                    comparisons.update(zip(chunk, result, strict=True))
                    report("compare", min(done * CHUNK, len(pairs)), len(pairs))
        finally:
            _shared.clear()
        return comparisons
    for done, chunk in enumerate(chunks, start=1):
        comparisons.update(zip(chunk, (compare(features[i], features[j]) for i, j in chunk), strict=True))
        report("compare", min(done * CHUNK, len(pairs)), len(pairs))
    return comparisons


def fit_model(features: Sequence[Features], comparisons: Sequence[Comparison]) -> Model:
    """The shipped m, u from random pairs of this data, and the share of same-person pairs by EM."""
    base = default_model()
    if len(features) < 200 or not comparisons:
        return base
    start = Model(prior=base.prior, m=base.m, u=estimate_u(features))
    return fit_prior(comparisons, start, len(features) * (len(features) - 1) // 2)


def _comparison(features: Sequence[Features], cache: dict[tuple[int, int], Comparison], i: int, j: int) -> Comparison:
    key = (i, j) if i < j else (j, i)
    comparison = cache.get(key)
    if comparison is None:
        comparison = cache[key] = compare(features[key[0]], features[key[1]])
    return comparison


def cluster(size: int, links: Sequence[tuple[float, int, int]], compatible: Callable[[int, int], bool],
            max_checks: int = 400, probability: Callable[[int, int], float] | None = None,
            threshold: float = 0.0) -> list[int]:
    """Clusters from scored links, strongest first, with a check of the whole clusters before two join.

    Two clusters join when no pair across them contradicts (two different given names, years of
    birth far apart: see :func:`~masarat.matching.model.contradicts`), or when the pairs across them
    that are linked outnumber those that contradict: one record with a wrong date should not keep
    apart three that agree with each other, but A like B, B like C and A clearly not C stays two
    persons (one link against one contradiction). With ``probability``, two clusters of which one has
    several records join only if the pairs across them are, on average, at least ``threshold`` likely
    to be one person: one strong link does not pull a whole family in. Returns each item's
    representative (the smallest index of its cluster).
    """
    parent = list(range(size))
    members: dict[int, list[int]] = {i: [i] for i in range(size)}
    linked = {(i, j) if i < j else (j, i) for _weight, i, j in links}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for _weight, i, j in sorted(links, key=lambda link: (-link[0], link[1], link[2])):
        ri, rj = root(i), root(j)
        if ri == rj:
            continue
        left, right = members[ri], members[rj]
        if len(left) * len(right) > max_checks:
            continue
        across = [(a, b) if a < b else (b, a) for a in left for b in right]
        contradictions = sum(1 for a, b in across if not compatible(a, b))
        if contradictions and contradictions >= sum(1 for pair in across if pair in linked):
            continue
        if probability is not None and len(across) > 1 \
                and sum(probability(a, b) for a, b in across) < threshold * len(across):
            continue
        keep, gone = (ri, rj) if ri < rj else (rj, ri)
        parent[gone] = keep
        members[keep] = members[keep] + members.pop(gone)
    return [root(i) for i in range(size)]
