"""Two prepared records compared field by field: a vector of agreement levels."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from masarat.matching.fields import birth_level
from masarat.matching.names import NAME_DIFFERENT, NAME_SOUND, name_level, typo_apart
from masarat.matching.records import Features, Spellings
from masarat.matching.similarity import jaro_winkler, within_one_edit

# Every compared field and its number of levels (0 = disagree ... highest = agree fully).
FIELD_LEVELS: dict[str, int] = {
    "given_name": 5, "family_name": 5, "birth_date": 8, "sex": 2, "nationality": 2,
    "phone": 2, "document_number": 3, "address": 3,
}
FIELDS = tuple(FIELD_LEVELS)
# Levels whose agreement is exact, where a common value counts less (term-frequency adjustment).
TF_LEVEL = {"given_name": 4, "family_name": 4, "nationality": 1}


@dataclass(frozen=True, slots=True)
class Comparison:
    levels: tuple[int | None, ...]  # in the order of FIELDS; None when a side is missing
    swapped: bool = False  # given and family names were compared crosswise
    known_given_names_differ: bool = False  # two different names of the table (Mohamed / Mahmoud), not a typo

    def level(self, name: str) -> int | None:
        return self.levels[FIELDS.index(name)]


@lru_cache(maxsize=1_000_000)
def _best_name_level(a: Spellings, b: Spellings) -> int | None:
    best: int | None = None
    for sa in a:
        for sb in b:
            level = name_level(sa, sb)
            if level is not None and (best is None or level > best):
                best = level
    return best


def compare(a: Features, b: Features) -> Comparison:
    given, family = _best_name_level(a.given, b.given), _best_name_level(a.family, b.family)
    swapped = False
    if (given or 0) < NAME_SOUND or (family or 0) < NAME_SOUND:
        crossed_given, crossed_family = _best_name_level(a.given, b.family), _best_name_level(a.family, b.given)
        if crossed_given is not None and crossed_family is not None \
                and min(crossed_given, crossed_family) >= NAME_SOUND:
            # Either record may be the swapped one: the order of the two levels must not depend on it.
            given, family = min(crossed_given, crossed_family), max(crossed_given, crossed_family)
            swapped = True
    levels = (
        given,
        family,
        birth_level(a.birth, b.birth),
        _equal(a.sex, b.sex),
        _equal(a.nationality, b.nationality),
        _equal(a.phone, b.phone),
        _document_level(a.document, b.document),
        _address_level(a.address, b.address),
    )
    known_differ = given == NAME_DIFFERENT and not swapped and _all_known(a.given) and _all_known(b.given) \
        and not _typo_apart(a.given, b.given)
    return Comparison(levels=levels, swapped=swapped, known_given_names_differ=known_differ)


def _typo_apart(a: Spellings, b: Spellings) -> bool:
    """Two single known names one typing error apart in some spelling: read as any two different names
    (see :func:`~masarat.matching.model.contradicts`), not as two names of the table."""
    return any(len(sa) == 1 and len(sb) == 1 and typo_apart(sa[0], sb[0]) for sa in a for sb in b)


def _all_known(spellings: Spellings) -> bool:
    return bool(spellings) and all(token.canon for spelling in spellings for token in spelling)


def _equal(a: str, b: str) -> int | None:
    if not a or not b:
        return None
    return 1 if a == b else 0


def _document_level(a: str, b: str) -> int | None:
    if not a or not b:
        return None
    if a == b:
        return 2
    return 1 if min(len(a), len(b)) >= 5 and within_one_edit(a, b) else 0


def _address_level(a: frozenset[str], b: frozenset[str]) -> int | None:
    """Share of tokens in common, a token with a typo counting as shared (numbers must be equal)."""
    if not a or not b:
        return None
    small, large = (a, b) if len(a) <= len(b) else (b, a)
    shared = sum(1 for token in small if token in large or (
        not token.isdigit() and len(token) >= 3
        and any(jaro_winkler(token, other) >= 0.88 for other in large if not other.isdigit())))
    overlap = shared / (len(a) + len(b) - shared)
    if overlap >= 0.75:
        return 2
    return 1 if overlap >= 0.4 else 0
