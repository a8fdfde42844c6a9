"""Names as comparable tokens: the table of common names, canonical forms and token comparison."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from masarat.matching.normalise import (
    ARABIC,
    LATIN,
    Piece,
    arabic_key,
    latin_key,
    name_pieces,
    skeleton,
    split_arabic_particle,
    split_latin_particle,
)
from masarat.matching.similarity import jaro_winkler, within_one_edit

NAMES_FILE = Path(__file__).with_name("data") / "names.txt"

# Levels of one token against another, from best to worst.
EXACT, CLOSE, SOUND, NONE = 3, 2, 1, 0
CLOSE_SIMILARITY = 0.9
# Spellings of a name of two consonants: "Toutoui" / "تووتي" 0.95, "Bounii" / "بناني" 0.81.
SHORT_SOUND_SIMILARITY = 0.85


class NameTableError(ValueError):
    pass


@dataclass(frozen=True)
class NameTable:
    """Known spellings (by key for Latin, by normal text for Arabic) -> canonical name."""

    by_latin_key: dict[str, str]
    by_arabic: dict[str, str]
    keys_of: dict[str, frozenset[str]]  # canonical -> Latin keys of its spellings
    arabic_keys_of: dict[str, frozenset[str]]  # canonical -> keys of its Arabic spellings
    latin_texts_of: dict[str, frozenset[str]]  # canonical -> its Latin spellings as normal text ("aisha")
    skeletons_of: dict[str, frozenset[str]]  # canonical -> skeletons of its spellings (both scripts)
    kinds: dict[str, str]
    primary_skeleton: dict[str, str]  # canonical -> skeleton of its first (most usual) Latin spelling

    def lookup(self, text: str, script: str) -> str:
        if script == ARABIC:
            return self.by_arabic.get(text, "")
        return self.by_latin_key.get(lookup_key(text), "")


def lookup_key(text: str) -> str:
    """Key of a Latin token for the table: "Abd El Kader", "Abdelkader", "Abdulkader" share one."""
    split = split_latin_particle(text)
    if split is not None and split[0] == "abd":
        return "abd" + latin_key(split[1])
    return latin_key(text)


@dataclass(frozen=True)
class TableEntry:
    line: int
    kind: str
    canonical: str
    latin: tuple[str, ...]
    arabic: tuple[str, ...]


def table_entries(text: str) -> list[TableEntry]:
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4 or parts[0] not in {"g", "f", "b"} or not parts[1]:
            raise NameTableError(f"line {number}: expected 'kind | canonical | Latin | Arabic'")
        entries.append(TableEntry(
            line=number, kind=parts[0], canonical=parts[1],
            latin=tuple(s.strip() for s in parts[2].split(",") if s.strip()),
            arabic=tuple(s.strip() for s in parts[3].split(",") if s.strip()),
        ))
    return entries


def parse_table(text: str) -> NameTable:
    by_latin: dict[str, str] = {}
    by_arabic: dict[str, str] = {}
    keys_of: dict[str, set[str]] = {}
    arabic_keys_of: dict[str, set[str]] = {}
    latin_texts_of: dict[str, set[str]] = {}
    skeletons_of: dict[str, set[str]] = {}
    kinds: dict[str, str] = {}
    primary: dict[str, str] = {}
    for entry in table_entries(text):
        number, canonical = entry.line, entry.canonical
        if canonical in kinds:
            raise NameTableError(f"line {number}: {canonical!r} is already defined")
        kinds[canonical] = entry.kind
        keys = keys_of.setdefault(canonical, set())
        skeletons = skeletons_of.setdefault(canonical, set())
        for spelling in entry.latin:
            joined = "".join(piece.text for piece in name_pieces(spelling))
            _register(by_latin, lookup_key(joined), canonical, number, spelling)
            keys.add(latin_key(joined))
            latin_texts_of.setdefault(canonical, set()).add(joined)
            primary.setdefault(canonical, skeleton(latin_key(joined)))
            skeletons.add(skeleton(latin_key(joined)))
        for spelling in entry.arabic:
            joined = "".join(piece.text for piece in name_pieces(spelling))
            _register(by_arabic, joined, canonical, number, spelling)
            arabic_keys_of.setdefault(canonical, set()).add(arabic_key(joined))
            skeletons.add(skeleton(arabic_key(joined)))
    return NameTable(
        by_latin_key=by_latin, by_arabic=by_arabic,
        keys_of={c: frozenset(k) for c, k in keys_of.items()},
        arabic_keys_of={c: frozenset(k) for c, k in arabic_keys_of.items()},
        latin_texts_of={c: frozenset(t) for c, t in latin_texts_of.items()},
        skeletons_of={c: frozenset(s) for c, s in skeletons_of.items()}, kinds=kinds,
        primary_skeleton=primary,
    )


def _register(index: dict[str, str], key: str, canonical: str, number: int, spelling: str) -> None:
    known = index.get(key)
    if known is not None and known != canonical:
        raise NameTableError(f"line {number}: {spelling!r} is already a spelling of {known!r}")
    index[key] = canonical


@cache
def name_table() -> NameTable:
    return parse_table(NAMES_FILE.read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True, eq=False)
class NameToken:
    """One name token, ready for comparison. ``ident`` is what "the same value" means (term frequency).

    Tokens are interned (one object per distinct token), so they compare and hash by identity: fast
    keys for the caches of the comparisons.
    """

    text: str
    script: str
    canon: str  # canonical name from the table (or "ben+ali" for a particle and a known name), "" if unknown
    key: str
    skeleton: str

    @property
    def ident(self) -> str:
        if self.canon:
            return self.canon
        return ("k:" if self.script == LATIN else "a:") + self.key

    @property
    def block(self) -> str:
        """Blocking form: the canonical name when known, else the skeleton (the same in both scripts)."""
        if self.canon:
            return self.canon
        return self.skeleton if len(self.skeleton) >= 2 else "k:" + self.key


@lru_cache(maxsize=200_000)  # bounded: a server process meets new names all its life
def _token(text: str, script: str, particle: str, rest: str) -> NameToken:
    table = name_table()
    canon = table.lookup(text, script)
    if not canon:
        split: tuple[str, str] | None
        if particle:
            split = (particle, rest)
        else:
            split = split_arabic_particle(text) if script == ARABIC else split_latin_particle(text)
        if split is not None:
            rest_canon = table.lookup(split[1], script)
            if rest_canon:
                canon = f"{split[0]}+{rest_canon}" if split[0] else rest_canon
    key = arabic_key(text) if script == ARABIC else latin_key(text)
    if canon:
        first = table.primary_skeleton.get(canon.split("+")[-1], "")
        prefix = skeleton(latin_key(canon.split("+")[0])) if "+" in canon else ""
        skel = prefix + first
    else:
        skel = skeleton(key)
    return NameToken(text=text, script=script, canon=canon, key=key, skeleton=skel)


@lru_cache(maxsize=500_000)
def name_tokens(value: str) -> tuple[NameToken, ...]:
    """Comparable tokens of a name written in either script (a compound known as a whole stays whole).

    Cached by the text as written: a list repeats its common names thousands of times."""
    if not value or not value.strip():
        return ()
    pieces = name_pieces(value)
    if len(pieces) > 1:
        whole = _whole_name(pieces)
        if whole is not None:
            return (whole,)
    return tuple(_token(p.text, p.script, p.particle, p.rest) for p in pieces)


def _whole_name(pieces: list[Piece]) -> NameToken | None:
    script = pieces[0].script
    joined = "".join(p.text for p in pieces)
    token = _token(joined, script, "", "")
    return token if token.canon and token.canon == name_table().lookup(joined, script) else None


@lru_cache(maxsize=500_000)
def token_level(a: NameToken, b: NameToken) -> int:
    """How well two tokens agree: EXACT, CLOSE (a spelling variant or typo), SOUND (same sound across scripts)."""
    if a.canon and b.canon:
        if a.canon == b.canon:
            return EXACT
        if _both_known(a, b):
            return NONE
        level = _key_level(a, b)
        # A particle and a name against a single name: two shared consonants are too little ("آيت عزيز",
        # Ait Aziz, is not Tazi).
        return NONE if level == SOUND and min(len(a.skeleton), len(b.skeleton)) < 3 else level
    if a.canon or b.canon:
        known, other = (a, b) if a.canon else (b, a)
        table = name_table()
        base = known.canon.split("+")[-1]
        if "+" in known.canon:
            keys = {known.key}
        elif other.script == LATIN:
            keys = set(table.keys_of.get(base, ()))
        else:
            keys = set(table.arabic_keys_of.get(base, ()))
        if any(_close_keys(other.key, k, other.script) for k in keys) or _one_edit_from(other.key, keys):
            return CLOSE
        if other.script == LATIN and "+" not in known.canon \
                and _one_edit_from(other.text, set(table.latin_texts_of.get(base, ()))):
            return CLOSE  # a typo as typed, which the phonetic key can widen ("Aifha": "aifha" against "aisha")
        return max(_key_level(a, b), SOUND if _same_sound(known, other) else NONE)
    return _key_level(a, b)


@lru_cache(maxsize=200_000)
def typo_apart(a: NameToken, b: NameToken) -> bool:
    """Two different known names, one written in Latin letters one typing error from a Latin spelling of the
    other ("Hmmad" for Hammad, "Sad" for Said): a typo may have turned one into the other, so their difference
    alone does not prove two persons. Not in Arabic script, where one letter is what tells names apart
    (محمد / محمود, حسن / حسين)."""
    if not a.canon or not b.canon or a.canon == b.canon or "+" in a.canon or "+" in b.canon:
        return False
    table = name_table()
    return any(token.script == LATIN and any(min(len(token.key), len(k)) >= 3 and within_one_edit(token.key, k)
                                             for k in table.keys_of.get(other.canon, ()))
               for token, other in ((a, b), (b, a)))


def _one_edit_from(key: str, keys: set[str]) -> bool:
    """An unknown spelling one typing error from a spelling of a known name (Arabic "مضيم" for Maryam, "Zidedine"
    for Zinedine): Jaro-Winkler forgives such an error in a short name less than in a long one."""
    return len(key) >= 4 and any(len(k) >= 4 and within_one_edit(key, k) for k in keys)


def _close_keys(a: str, b: str, script: str) -> bool:
    """Spellings of one name: similar, and of nearly the same length (a typo adds or drops a letter or two;
    "Adala" is not "Abdelouahab", however alike their beginnings)."""
    return abs(len(a) - len(b)) <= 2 and jaro_winkler(a, b) >= _close(script)


def _close(script: str) -> float:
    # Arabic keys are shorter (no short vowels): one letter weighs more.
    return CLOSE_SIMILARITY - 0.02 if script == LATIN else CLOSE_SIMILARITY - 0.04


def _both_known(a: NameToken, b: NameToken) -> bool:
    # Two known names that differ are different names (Mohamed / Mahmoud), unless one is a compound.
    return ("+" in a.canon) == ("+" in b.canon)


def _same_sound(a: NameToken, b: NameToken) -> bool:
    """The same consonants. Two consonants alone are shared by too many names ("Bounii", "Banai" and Bennani
    are all "bn"): then the spellings must also be alike."""
    if not a.skeleton or a.skeleton != b.skeleton or len(a.skeleton) < 2:
        return False
    return len(a.skeleton) >= 3 or jaro_winkler(a.key, b.key) >= SHORT_SOUND_SIMILARITY


def _key_level(a: NameToken, b: NameToken) -> int:
    if a.script == b.script:
        if a.key == b.key:
            return EXACT
        if _close_keys(a.key, b.key, a.script):
            return CLOSE
    if _same_sound(a, b):
        return SOUND
    if a.script != b.script:
        arabic, latin = (a, b) if a.script == ARABIC else (b, a)
        # Arabic leaves short vowels unwritten: the Latin key without them should read like the Arabic one.
        if jaro_winkler(arabic.key, latin.key) >= 0.88 or (
                min(len(a.skeleton), len(b.skeleton)) >= 3 and jaro_winkler(a.skeleton, b.skeleton) >= 0.9):
            return SOUND
    return NONE


# Levels of a whole name (given or family) against another.
NAME_EXACT, NAME_CLOSE, NAME_SOUND, NAME_PARTIAL, NAME_DIFFERENT = 4, 3, 2, 1, 0


@lru_cache(maxsize=1_000_000)
def name_level(a: tuple[NameToken, ...], b: tuple[NameToken, ...]) -> int | None:
    """Token-set agreement of two names; None when one is missing. Order and split/joined tokens do not matter."""
    if not a or not b:
        return None
    if len(a) == len(b):
        # Each token of either side against the other side: "Ali Ali" / "Ali Omar" is the same both ways.
        best = min(([max(token_level(t, u) for u in b) for t in a], [max(token_level(t, u) for u in a) for t in b]),
                   key=lambda levels: (min(levels), max(levels)))
    else:
        small, large = (a, b) if len(a) < len(b) else (b, a)
        best = [max(token_level(t, u) for u in large) for t in small]
    if min(best) == EXACT:
        level = NAME_EXACT if len(a) == len(b) else NAME_CLOSE
    elif min(best) == CLOSE:
        level = NAME_CLOSE
    elif min(best) == SOUND:
        level = NAME_SOUND
    elif max(best) >= CLOSE:
        level = NAME_PARTIAL
    else:
        level = NAME_DIFFERENT
    if level < NAME_CLOSE and (len(a) > 1 or len(b) > 1):
        joined = _joined_level(a, b)
        level = max(level, joined)
    return level


def _joined_level(a: tuple[NameToken, ...], b: tuple[NameToken, ...]) -> int:
    """"Fatima Zahra" against "Fatimazahra": the tokens joined."""
    if a[0].script != b[0].script:
        sa, sb = "".join(t.skeleton for t in a), "".join(t.skeleton for t in b)
        if sa == sb and len(sa) >= 3:
            return NAME_SOUND
        if (len(a) == 1) != (len(b) == 1):
            # A compound split by a typo on one side ("زين السدين" for Zinedine): the tokens joined, as one name.
            single, several = (a[0], b) if len(a) == 1 else (b[0], a)
            joined = _token("".join(t.text for t in several), several[0].script, "", "")
            return {EXACT: NAME_CLOSE, CLOSE: NAME_CLOSE, SOUND: NAME_SOUND}.get(token_level(single, joined),
                                                                                 NAME_DIFFERENT)
        return NAME_DIFFERENT
    ka, kb = "".join(t.key for t in a), "".join(t.key for t in b)
    if ka == kb:
        return NAME_EXACT
    return NAME_CLOSE if jaro_winkler(ka, kb) >= 0.93 else NAME_DIFFERENT


def name_ident(tokens: tuple[NameToken, ...]) -> str:
    """What two equal names share, whatever their order and script: for term frequencies."""
    return " ".join(sorted(t.ident for t in tokens))
