"""Pairwise and B-cubed precision, recall and F1 of a clustering against the truth."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Over all pairs of records: is the pair in one predicted cluster, in one true person?"""
    both = Counter((predicted[r], truth[r]) for r in truth)
    true_positive = sum(_pairs(n) for n in both.values())
    predicted_pairs = sum(_pairs(n) for n in Counter(predicted[r] for r in truth).values())
    true_pairs = sum(_pairs(n) for n in Counter(truth.values()).values())
    return Scores(
        precision=true_positive / predicted_pairs if predicted_pairs else 1.0,
        recall=true_positive / true_pairs if true_pairs else 1.0,
    )


def b_cubed(predicted: Mapping[str, str], truth: Mapping[str, str]) -> Scores:
    """Per record: the share of its predicted cluster that is truly it, and of its person that was found."""
    both = Counter((predicted[r], truth[r]) for r in truth)
    predicted_size = Counter(predicted[r] for r in truth)
    true_size = Counter(truth.values())
    precision = recall = 0.0
    for record in truth:
        shared = both[(predicted[record], truth[record])]
        precision += shared / predicted_size[predicted[record]]
        recall += shared / true_size[truth[record]]
    count = len(truth) or 1
    return Scores(precision=precision / count, recall=recall / count)
