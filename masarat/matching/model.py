"""Fellegi-Sunter scoring: trained m/u probabilities, term-frequency adjustment and explanations.

A pair's weight is the sum over fields of log2(m/u) for the level the field reached, where m is the
probability of that level among pairs of the same person and u among pairs of different persons.
The exact agreement of a name uses the frequency of that name instead of u: sharing "Mohamed"
proves less than sharing a rare name. A missing field weighs nothing.

Two rules come on top of the independent fields, because the fields are not independent among
relatives, who share a family name, a phone and an address:

- a shared phone and a shared address are evidence of one household: only the stronger counts;
- a pair whose given names are two different names of the table (Mohamed / Mahmoud), whose other
  given names differ entirely (unless born the same month), or whose years of birth are far apart
  is never proposed as one person, unless their identity documents agree.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from masarat.matching.compare import FIELD_LEVELS, FIELDS, TF_LEVEL, Comparison, compare
from masarat.matching.fields import BIRTH_CONFLICT, BIRTH_DIFFERENT, BIRTH_ONE_EDIT, BIRTH_SAME_MONTH
from masarat.matching.names import NAME_CLOSE, NAME_DIFFERENT, NAME_SOUND
from masarat.matching.records import Features

DEFAULT_MODEL_FILE = Path(__file__).with_name("data") / "model.json"
HOUSEHOLD_FIELDS = ("phone", "address")
NAME_FIELDS = ("given_name", "family_name")
LEVEL_NAMES: dict[str, tuple[str, ...]] = {
    "given_name": ("different", "partial", "sound", "close", "exact"),
    "family_name": ("different", "partial", "sound", "close", "exact"),
    "birth_date": ("different", "conflict", "near", "same_year", "same_month", "one_edit", "swapped", "exact"),
    "sex": ("different", "same"),
    "nationality": ("different", "same"),
    "phone": ("different", "same"),
    "document_number": ("different", "one_edit", "same"),
    "address": ("different", "similar", "same"),
}
_SMALL = 1e-6
TF_LIMIT = 5.0  # bits: how much a rare or a common name may move the exact agreement of a name


@dataclass(frozen=True, slots=True)
class Reason:
    """One field of an explanation: its level (``LEVEL_NAMES``) and the weight it brought, in bits."""

    field: str
    outcome: str
    weight: float

    @property
    def agrees(self) -> bool:
        return self.weight > 0


@dataclass(frozen=True, slots=True)
class Score:
    weight: float
    probability: float
    reasons: tuple[Reason, ...]
    contradicted: bool  # a clear difference of given name or year of birth (see the module's rules)
    swapped: bool

    @property
    def is_match(self) -> bool:
        return not self.contradicted


@dataclass
class Model:
    prior: float  # probability that two records of a candidate pair are the same person
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    frequencies: dict[str, NameFrequencies] = field(default_factory=dict, repr=False, compare=False)

    def level_weight(self, name: str, level: int) -> float:
        weights = self.__dict__.get("_weights")
        if weights is None:
            weights = self.__dict__["_weights"] = {
                field_name: [math.log2(max(m, _SMALL) / max(u, _SMALL))
                             for m, u in zip(self.m[field_name], self.u[field_name], strict=True)]
                for field_name in self.m}
        return weights[name][level]

    def score(self, a: Features, b: Features, comparison: Comparison | None = None) -> Score:
        comparison = comparison or compare(a, b)
        reasons: list[Reason] = []
        household: list[float] = []
        full_name = "full_name" in self.frequencies and all(
            comparison.level(name) == TF_LEVEL[name] for name in ("given_name", "family_name"))
        for name, level in zip(FIELDS, comparison.levels, strict=True):
            if level is None:
                continue
            weight = self.level_weight(name, level)
            if _frequency_applies(name, level, self.frequencies, full_name):
                weight = self._tf_weight(name, a, b, comparison.swapped, weight)
            if _is_agreement(name, level):
                weight = 0.0 if _implied(name, comparison.levels) else max(weight, 0.0)  # never against a pair
            elif _is_disagreement(name, level):
                weight = min(weight, 0.0)  # nor disagreeing for it (the floor of m can make it look so)
            if name in NAME_FIELDS and weight < 0 and _identified(comparison.levels):
                weight = 0.0
            if name in HOUSEHOLD_FIELDS and weight > 0:
                household.append(weight)
            reasons.append(Reason(name, LEVEL_NAMES[name][level], weight))
        if full_name:
            # Both names the same: how common is the whole name ("Mohamed Alaoui" proves less than a rare one)?
            adjustment = _tf_adjustment(self.frequencies["full_name"], a.full_name_ident, b.full_name_ident)
            reasons.append(Reason("full_name", "rare" if adjustment >= 0 else "common", adjustment))
        total = sum(r.weight for r in reasons) - (sum(household) - max(household) if household else 0.0)
        total += math.log2(self.prior / (1 - self.prior))
        return Score(weight=total, probability=probability_of(total), reasons=tuple(reasons),
                     contradicted=contradicts(comparison), swapped=comparison.swapped)

    def match_weight(self, a: Features, b: Features, comparison: Comparison) -> float:
        """``score(a, b, comparison).weight`` without the explanation: what the batch needs, for every pair.

        The part of the weight that depends only on the levels is computed once per pattern of levels.
        """
        patterns: dict[tuple[int | None, ...], tuple[float, tuple[tuple[str, float], ...], bool]] | None = \
            self.__dict__.get("_patterns")
        if patterns is None:
            patterns = self.__dict__["_patterns"] = {}
        pattern = patterns.get(comparison.levels)
        if pattern is None:
            pattern = patterns[comparison.levels] = self._pattern_weight(comparison.levels)
        total, adjusted, full_name = pattern
        for name, weight in adjusted:
            total += max(self._tf_weight(name, a, b, comparison.swapped, weight), 0.0)
        if full_name:
            total += _tf_adjustment(self.frequencies["full_name"], a.full_name_ident, b.full_name_ident)
        return total

    def _pattern_weight(self, levels: tuple[int | None, ...]) -> tuple[float, tuple[tuple[str, float], ...], bool]:
        """The weight of the fields that do not depend on the names' frequencies, the fields that do
        (with their weight before adjustment), and whether the whole name's frequency applies."""
        by_name = dict(zip(FIELDS, levels, strict=True))
        full_name = "full_name" in self.frequencies and all(
            by_name[name] == TF_LEVEL[name] for name in ("given_name", "family_name"))
        total = math.log2(self.prior / (1 - self.prior))
        household: list[float] = []
        adjusted: list[tuple[str, float]] = []
        for name, level in by_name.items():
            if level is None:
                continue
            weight = self.level_weight(name, level)
            if _frequency_applies(name, level, self.frequencies, full_name):
                adjusted.append((name, weight))  # an exact value: its agreement is also clamped at 0
                continue
            if _is_agreement(name, level):
                weight = 0.0 if _implied(name, levels) else max(weight, 0.0)
            elif _is_disagreement(name, level):
                weight = min(weight, 0.0)
            if name in NAME_FIELDS and weight < 0 and _identified(levels):
                weight = 0.0
            if name in HOUSEHOLD_FIELDS and weight > 0:
                household.append(weight)
            total += weight
        total -= sum(household) - max(household) if household else 0.0
        return total, tuple(adjusted), full_name

    def _tf_weight(self, name: str, a: Features, b: Features, swapped: bool, weight: float) -> float:
        """The exact agreement of a name or a nationality, adjusted by how common that value is (as Splink does)."""
        if name == "nationality":
            ident = (a.nationality, b.nationality)
        elif name == "given_name":
            ident = (a.given_ident, b.family_ident if swapped else b.given_ident)
        else:
            ident = (a.family_ident, b.given_ident if swapped else b.family_ident)
        return weight + _tf_adjustment(self.frequencies[name], *ident)

    def to_json(self) -> str:
        return json.dumps({"prior": self.prior, "m": self.m, "u": self.u}, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        return cls(prior=data["prior"], m=data["m"], u=data["u"])

    def with_frequencies(self, frequencies: dict[str, NameFrequencies]) -> Model:
        return Model(prior=self.prior, m=self.m, u=self.u, frequencies=frequencies)


def _frequency_applies(name: str, level: int, frequencies: dict[str, NameFrequencies], full_name: bool) -> bool:
    """Whether the agreement of this field is adjusted by the frequency of its value (the names' agreement
    is adjusted once for the whole name when both agree)."""
    return TF_LEVEL.get(name) == level and name in frequencies and not (full_name and name in NAME_FIELDS)


def probability_of(weight: float) -> float:
    """The probability of being one person, from a weight in bits (log2 of the odds)."""
    return 1 / (1 + 2 ** (-max(min(weight, 60.0), -60.0)))


def _tf_adjustment(frequencies: NameFrequencies, a: str, b: str) -> float:
    share = max(frequencies.of(a), frequencies.of(b))
    if share <= 0 or frequencies.expected <= 0:
        return 0.0
    return max(-TF_LIMIT, min(TF_LIMIT, math.log2(frequencies.expected / share)))


def _is_agreement(name: str, level: int) -> bool:
    return level == FIELD_LEVELS[name] - 1


# A field that agrees adds nothing when the agreement of a name already implies it: "Fatima" and "Fatima" are
# both women, one person or not. (The nationality given a shared family name was tried as well: it helped at a
# higher precision only, and lowered clear cases of one person below 0.9.)
IMPLIED_BY = {"sex": "given_name"}


def _implied(name: str, levels: tuple[int | None, ...]) -> bool:
    by = IMPLIED_BY.get(name)
    if by is None:
        return False
    level = levels[FIELDS.index(by)]
    return level is not None and level >= NAME_SOUND


def _identified(levels: tuple[int | None, ...]) -> bool:
    """The same identity document and the same full date of birth (or one typing error from it): one person,
    however differently the names were written down (an alias, a name heard wrong, given and family names
    mixed up), so names that disagree do not count against the pair."""
    by_name = dict(zip(FIELDS, levels, strict=True))
    birth = by_name["birth_date"]
    return by_name["document_number"] == 2 and birth is not None and birth >= BIRTH_ONE_EDIT


def _is_disagreement(name: str, level: int) -> bool:
    """A wholly different value, or dates of birth of the same year that disagree on the month or day."""
    return level == 0 or (name == "birth_date" and level == BIRTH_CONFLICT)


def contradicts(comparison: Comparison) -> bool:
    """Two different known given names (Mohamed / Mahmoud); other different given names unless born the
    same month (then a typo is likelier than a twin); years of birth far apart. Identity documents that
    agree override all three; documents one typing error apart override the years of birth when the
    given names agree (a wrong date and a mistyped number on one record, not two relatives)."""
    document = comparison.level("document_number")
    if document == 2:
        return False
    if comparison.known_given_names_differ:
        return True
    birth = comparison.level("birth_date")
    if birth == BIRTH_DIFFERENT:
        return not (document == 1 and (comparison.level("given_name") or 0) >= NAME_CLOSE)
    return comparison.level("given_name") == NAME_DIFFERENT and (birth is None or birth < BIRTH_SAME_MONTH)


@cache
def default_model() -> Model:
    """The model trained on the labelled synthetic data (``masarat.matching.bench``), shipped with the app."""
    return Model.from_json(DEFAULT_MODEL_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class NameFrequencies:
    """How common each name is: ``of(ident)`` is its share of the records, ``expected`` the share two
    random records have in common on average (the sum of squared shares)."""

    of: Callable[[str], float]
    expected: float


def frequency_table(idents: Iterable[str]) -> NameFrequencies:
    """How common each name is among the *other* records of a list: a record does not make its own name
    common (an index of known persons, which a new referral is not yet in, counts the same way). A name
    held by one record counts as half a record, and ``expected`` is the share of pairs of two distinct
    records that share a name."""
    counts = Counter(i for i in idents if i)
    total = sum(counts.values()) or 1
    expected = sum(c * (c - 1) for c in counts.values()) / total**2

    def share(ident: str) -> float:
        count = counts.get(ident, 0)
        return max(count - 1, 0.5) / total if count else 0.0

    return NameFrequencies(of=share, expected=expected)


def data_frequencies(features: Sequence[Features]) -> dict[str, NameFrequencies]:
    return {
        "given_name": frequency_table(f.given_ident for f in features),
        "family_name": frequency_table(f.family_ident for f in features),
        "full_name": frequency_table(f.full_name_ident for f in features),
        # Sharing a nationality held by few in the list says more than sharing the most common one.
        "nationality": frequency_table(f.nationality for f in features),
    }


# --- training -------------------------------------------------------------------------------------------

def _distribution(counts: dict[str, list[float]]) -> dict[str, list[float]]:
    return {name: [c / sum(values) for c in values] for name, values in counts.items()}


def _empty_counts(pseudo: float) -> dict[str, list[float]]:
    return {name: [pseudo] * size for name, size in FIELD_LEVELS.items()}


def _add(counts: dict[str, list[float]], comparison: Comparison, amount: float) -> None:
    for name, level in zip(FIELDS, comparison.levels, strict=True):
        if level is not None:
            counts[name][level] += amount


def estimate_u(features: Sequence[Features], pairs: int = 20_000, seed: int = 7) -> dict[str, list[float]]:
    """u probabilities from random pairs, nearly all of different persons."""
    rng = random.Random(seed)
    counts = _empty_counts(1.0)
    if len(features) < 2:
        return _distribution(counts)
    for _ in range(pairs):
        i, j = rng.randrange(len(features)), rng.randrange(len(features))
        if i != j:
            _add(counts, compare(features[i], features[j]), 1.0)
    return _distribution(counts)


M_FLOOR = 0.03  # no level is impossible for one person: real lists hold errors our generator does not make
# Except where real lists show the level to be rare among records of one person: two full dates of birth of the
# same year that differ in month and day (not one typo, not swapped) are 0.2% of the pairs of one person in
# FEBRL4, whose dates are corrupted as in real lists; at the common floor, such a date would count for a pair.
M_FLOORS = {("birth_date", BIRTH_CONFLICT): 0.002}


def train_supervised(matches: Iterable[Comparison], u: dict[str, list[float]], prior: float) -> Model:
    counts = _empty_counts(0.5)
    for comparison in matches:
        _add(counts, comparison, 1.0)
    m = {name: [max(p, M_FLOORS.get((name, level), M_FLOOR)) for level, p in enumerate(probs)]
         for name, probs in _distribution(counts).items()}
    return Model(prior=prior, m=_distribution(m), u=u)


def fit_prior(comparisons: Sequence[Comparison], model: Model, pairs_in_data: int, iterations: int = 30) -> Model:
    """The share of same-person pairs in this data, by EM over its candidate pairs with m and u fixed.

    m comes from training, u from random pairs of this data; only the prior is re-estimated, which
    EM does reliably (re-estimating m on candidate pairs drifts towards households and namesakes).
    """
    patterns = Counter(c.levels for c in comparisons)
    if not patterns or pairs_in_data <= 0:
        return model
    weights = {levels: sum(model.level_weight(name, level) for name, level in zip(FIELDS, levels, strict=True)
                           if level is not None) for levels in patterns}
    prior = model.prior
    for _ in range(iterations):
        log_odds = math.log2(prior / (1 - prior))
        expected = sum(count / (1 + 2 ** (-max(min(weights[levels] + log_odds, 60.0), -60.0)))
                       for levels, count in patterns.items())
        prior = min(max(expected / pairs_in_data, 1e-9), 0.5)
    return Model(prior=prior, m=model.m, u=model.u)
