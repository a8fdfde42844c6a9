"""The record the engine compares, and its prepared (normalised) form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from masarat.matching.fields import BirthParts
from masarat.matching.names import NameToken, name_ident, name_tokens
from masarat.matching.normalise import ARABIC, key_of, normalise_text, script_of, skeleton, strip_arabic_article

SEXES = frozenset({"m", "f"})
_SEX_SPELLINGS = {
    "m": "m", "male": "m", "homme": "m", "h": "m", "masculin": "m", "ذكر": "m",
    "f": "f", "female": "f", "femme": "f", "feminin": "f", "أنثى": "f", "انثى": "f",
}


def sex_code(raw: str) -> str:
    """"m", "f" or "" (unknown, other). Raises ValueError on a value not understood."""
    text = normalise_text(raw) if raw.strip() else ""
    if not text:
        return ""
    if text in {"x", "other", "autre", "unknown", "inconnu"}:
        return ""
    code = _sex_spellings().get(text)
    if code is None:
        raise ValueError("unknown sex")
    return code


@cache
def _sex_spellings() -> dict[str, str]:
    return {normalise_text(spelling): code for spelling, code in _SEX_SPELLINGS.items()}


@dataclass(frozen=True)
class MatchRecord:
    """One person as a source knows them. Names may be given in several spellings (Latin and Arabic)."""

    record_id: str
    given_names: tuple[str, ...] = ()
    family_names: tuple[str, ...] = ()
    sex: str = ""  # "m", "f" or ""
    birth: BirthParts = field(default_factory=BirthParts)
    nationality: str = ""  # ISO 3166 alpha-2
    phone: str = ""  # E.164
    document_number: str = ""
    address: str = ""
    source_agency: str = ""


Spellings = tuple[tuple[NameToken, ...], ...]


@dataclass(frozen=True, slots=True)
class Features:
    """A record reduced to normalised tokens: what comparison and blocking need, and nothing more."""

    record_id: str
    given: Spellings
    family: Spellings
    sex: str
    birth: BirthParts
    nationality: str
    phone: str
    document: str
    address: frozenset[str]
    given_ident: str = ""  # what "the same given name" means, for term frequencies
    family_ident: str = ""
    full_name_ident: str = ""  # given and family name together, in either order

    def name_blocks(self) -> frozenset[str]:
        return frozenset(t.block for spelling in (*self.given, *self.family) for t in spelling if len(t.block) >= 2)

    def skeleton_blocks(self) -> frozenset[str]:
        return frozenset(t.skeleton[:3] for spelling in (*self.given, *self.family) for t in spelling
                         if len(t.skeleton) >= 2)


_DOCUMENT = re.compile(r"[^0-9A-Z]")
_ADDRESS_NOISE = frozenset({"rue", "n", "no", "num", "numero", "avenue", "av", "bd", "boulevard", "quartier",
                            "hay", "derb", "lot", "lotissement", "residence", "imm", "immeuble", "appt", "etage",
                            "street", "st", "road", "rd", "شارع", "زنقة", "حي", "رقم", "درب", "تجزئة", "عمارة"})


def normalise_document(raw: str) -> str:
    return _DOCUMENT.sub("", normalise_text(raw).upper())


@lru_cache(maxsize=200_000)
def address_tokens(raw: str) -> frozenset[str]:
    """Numbers and the skeletons of words: "145 Rue Zerktouni, Oujda" and "145 شارع الزرقطوني، وجدة" share most."""
    tokens = set()
    for part in raw.replace("،", ",").split(","):
        for word in normalise_text(part).split():
            if script_of(word) != ARABIC:
                # Latin words in an address written in Arabic ("شارع Ibn Sina"): normalised on their own, as in
                # a Latin address (the Arabic normalisation keeps their capitals and accents).
                word = normalise_text(word)
            if word in _ADDRESS_NOISE:
                continue
            if word.isdigit():
                tokens.add(word)
            else:
                script = script_of(word)
                key = key_of(strip_arabic_article(word) if script == ARABIC else word, script)
                tokens.add(skeleton(key) or key)
    return frozenset(tokens)


def _spellings(values: tuple[str, ...]) -> Spellings:
    seen: list[tuple[NameToken, ...]] = []
    for value in values:
        tokens = name_tokens(value)
        if tokens and tokens not in seen:
            seen.append(tokens)
    return tuple(seen)


def prepare(record: MatchRecord) -> Features:
    given, family = _spellings(record.given_names), _spellings(record.family_names)
    given_ident = name_ident(given[0]) if given else ""
    family_ident = name_ident(family[0]) if family else ""
    return Features(
        record_id=record.record_id,
        given=given,
        family=family,
        given_ident=given_ident,
        family_ident=family_ident,
        full_name_ident="|".join(sorted((given_ident, family_ident))) if given and family else "",
        sex=record.sex if record.sex in SEXES else "",
        birth=record.birth,
        nationality=record.nationality.upper(),
        phone=record.phone,
        document=normalise_document(record.document_number),
        address=address_tokens(record.address),
    )
