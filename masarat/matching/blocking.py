"""Blocking: the keys under which two records may meet, and an index of records by key.

Only records sharing at least one key are compared. Keys are built from normalised values (name
skeletons, year of birth, phone, document number) and passed through a *hasher* before they are
stored or looked up, so an index kept in a database can hold keyed hashes (HMAC) instead of values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import combinations

from masarat.matching.model import NameFrequencies
from masarat.matching.records import Features

Hasher = Callable[[str], str]
# Largest block compared in full, by kind of key: the weaker the key, the smaller its blocks must be.
BLOCK_LIMITS = {"t": 12, "y": 60, "s": 60, "z": 15, "a": 20}
ADDRESS_WORDS = 6  # at most this many words of an address make its keys (a long address makes many pairs)


NEIGHBOURS = 4  # sorted-neighbourhood window in the name blocks too large to compare in full
# Window of the second pass over the same blocks, the other names read backwards (a typo in their first letters).
REVERSED_NEIGHBOURS = 2


def _other_names(features: Features, token: str) -> tuple[str, str, str]:
    """Sort key of a record in the block of one of its name tokens: its other names, sound first."""
    others = [t for spelling in (*features.given, *features.family) for t in spelling if t.block != token]
    return (" ".join(sorted(t.skeleton for t in others)), " ".join(sorted(t.key for t in others)),
            features.record_id)


def _other_names_reversed(features: Features, token: str) -> tuple[str, str]:
    """The other names read from their end: "Aifha" sorts next to "Aisha", "Elfilqli" nearer "Filali"."""
    others = [t for spelling in (*features.given, *features.family) for t in spelling if t.block != token]
    return " ".join(sorted(t.key[::-1] for t in others)), features.record_id


def plain(key: str) -> str:
    return key


def blocking_keys(features: Features) -> set[str]:
    """Several keys, so that a record found by none is unlikely: a typo in one field leaves the others."""
    blocks = sorted(features.name_blocks())
    keys = {f"n:{a}|{b}" for a, b in combinations(blocks, 2)}
    # Each token alone (rare names make small blocks; common ones exceed the limit and are skipped).
    keys.update(f"t:{block}" for block in blocks)
    # The first consonants of two tokens: survives a typo or a misheard letter further in.
    keys.update(f"s:{a}|{b}" for a, b in combinations(sorted(features.skeleton_blocks()), 2))
    year = features.birth.year
    if year is not None:
        # A name, the year of birth and the initial of another name: survives a typo in that other name.
        initials = {block: {t.skeleton[:1] for spelling in (*features.given, *features.family) for t in spelling
                            if t.block != block and t.skeleton} for block in blocks}
        keys.update(f"y:{block}|{year}|{initial}" for block in blocks for initial in initials[block] or {""})
        # A name and the year alone, in small blocks: survives a typo in the first letter of the other name.
        keys.update(f"z:{block}|{year}" for block in blocks)
    birth = features.birth
    if birth.year is not None and birth.month is not None and birth.day is not None:
        keys.add(f"b:{birth.year}-{birth.month}-{birth.day}")
    if features.phone:
        keys.add(f"p:{features.phone}")
    if features.document:
        keys.add(f"d:{features.document}")
    keys.update(_address_keys(features.address))
    return keys


def _address_keys(address: frozenset[str]) -> set[str]:
    """A number of the address (house, postcode) and two of its words: two records of one person whose names
    were both mistyped still meet, and a typo in one word of the address leaves the other pairs."""
    numbers = sorted(token for token in address if token.isdigit())
    words = sorted(token for token in address if not token.isdigit() and len(token) >= 2)[:ADDRESS_WORDS]
    return {f"a:{number}|{first}|{second}" for number in numbers for first, second in combinations(words, 2)}


class MemoryIndex:
    """Records by hashed blocking key, with the counts of names for term frequencies.

    The product keeps the same things in its database (see :class:`CandidateIndex`); this one
    serves the batch command and the tests.
    """

    def __init__(self, hasher: Hasher = plain, max_block: int = 200) -> None:
        self.hasher = hasher
        self.max_block = max_block
        self._weak_keys: dict[str, int] = {}
        self._by_key: dict[str, list[str]] = defaultdict(list)
        self._features: dict[str, Features] = {}
        self._counts: dict[str, dict[str, int]] = {
            field: defaultdict(int) for field in ("given_name", "family_name", "full_name")}
        self._squares: dict[str, int] = dict.fromkeys(self._counts, 0)
        self._token_blocks: dict[str, str] = {}  # hashed "t:" key -> its name token (for neighbour_pairs)

    def __len__(self) -> int:
        return len(self._features)

    def add(self, features: Features) -> None:
        if features.record_id in self._features:
            raise ValueError(f"record {features.record_id!r} is already indexed")
        self._features[features.record_id] = features
        for key in blocking_keys(features):
            hashed = self.hasher(key)
            self._by_key[hashed].append(features.record_id)
            kind = key.split(":", 1)[0]
            limit = BLOCK_LIMITS.get(kind)
            if limit is not None:
                self._weak_keys[hashed] = limit
            if kind == "t":
                self._token_blocks[hashed] = key[2:]
        for field, ident in (("given_name", features.given_ident), ("family_name", features.family_ident),
                             ("full_name", features.full_name_ident)):
            counts = self._counts[field]
            hashed = self.hasher(ident)
            # The sum of squared counts is kept as names are added: the expected share stays O(1) to read.
            self._squares[field] += 2 * counts[hashed] + 1
            counts[hashed] += 1

    def lookup(self, hashed_keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for key in hashed_keys:
            ids = self._by_key.get(key)
            if ids and len(ids) <= self._limit(key):
                found.update(ids)
        return found

    def features(self, record_id: str) -> Features:
        return self._features[record_id]

    def name_frequencies(self, field: str) -> NameFrequencies:
        """Shares of names among the indexed records (counted by hashed name, like the keys)."""
        counts = self._counts[field]
        total = max(1, len(self._features))
        return NameFrequencies(of=lambda ident: counts.get(self.hasher(ident), 0) / total,
                               expected=self._squares[field] / total**2)

    def blocks(self) -> Iterator[list[str]]:
        """Every block small enough to be compared in full (batch use)."""
        for key, ids in self._by_key.items():
            if 1 < len(ids) <= self._limit(key):
                yield ids

    def neighbour_pairs(self, window: int = NEIGHBOURS, largest: int = 20_000,
                        reversed_window: int = REVERSED_NEIGHBOURS) -> Iterator[tuple[str, str]]:
        """Pairs from the name blocks too large to be compared in full (batch use): sorted neighbourhood.

        The records sharing one name token ("Alaoui") are sorted by the sound and then the spelling
        of their other names, and each is paired with the next ``window - 1``: "Aicha Alaoui" meets
        "Aisha Alaoui" and "AISHCA Alaoui" without comparing every Alaoui with every other. A second
        pass sorts them by their other names read backwards, pairing each with the next
        ``reversed_window - 1`` (0 or 1: no second pass): "Aifha" and "Aisha" differ in their third letter.
        A pair may come out of both passes.
        """
        for hashed, token in self._token_blocks.items():
            ids = self._by_key[hashed]
            if len(ids) <= self._limit(hashed) or len(ids) > largest:
                continue
            passes: tuple[tuple[Callable[[Features, str], tuple[str, ...]], int], ...] = (
                (_other_names, window), (_other_names_reversed, reversed_window))
            for sort_key, size in passes:
                keyed = sorted((sort_key(self._features[record_id], token), record_id) for record_id in ids)
                ordered = [record_id for _key, record_id in keyed]
                for start, first in enumerate(ordered):
                    for second in ordered[start + 1:start + size]:
                        yield first, second

    def _limit(self, hashed_key: str) -> int:
        return min(self._weak_keys.get(hashed_key, self.max_block), self.max_block)
