"""String similarity measures used by the comparisons.

Jaro-Winkler is computed by RapidFuzz (compiled, about a hundred times faster than Python): prefix
scale 0.1 on at most four characters, half the transpositions rounded down as in Winkler's own
strcmp95, and no prefix bonus below a Jaro similarity of 0.7 (where no threshold of the engine lies).
"""

from __future__ import annotations

from rapidfuzz.distance import JaroWinkler

_similarity = JaroWinkler.similarity


def jaro_winkler(a: str, b: str) -> float:
    if a == b:
        return 1.0 if a else 0.0
    return _similarity(a, b)


def within_one_edit(a: str, b: str) -> bool:
    """True when one substitution, insertion, deletion or swap of neighbours turns a into b."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1:]
