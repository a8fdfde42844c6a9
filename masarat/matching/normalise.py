"""Names in Arabic and Latin script brought to one comparable form.

Three layers, each used for what it is good at:

- *normal text*: Arabic without diacritics, tatweel and letter variants; Latin without accents,
  case and punctuation. Particles (El/Al, Ben, Ould, Ait, Abd El, Bou) are joined to the name they
  introduce, so "Ben Ali", "Benali" and "بن علي" become one token each.
- *key*: a Latin phonetic spelling built for Maghreb French and English spellings (ou/u, ch/sh,
  kh, gh, c/ss, e for a short vowel, -a for ta marbuta). Arabic is brought to the same alphabet
  (without its unwritten short vowels). Keys of one script are compared with each other.
- *skeleton*: the consonants of the key. It is the same in both scripts for most names, which
  makes it a good blocking key, and too coarse to decide anything (Mohamed and Mahmoud share it):
  it is used only to find candidates.

The table of common names (``data/names.txt``, see :mod:`masarat.matching.names`) then maps
known spellings in either script to one canonical name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

ARABIC = "ar"
LATIN = "lat"

_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_LETTER_FORMS = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ئ": "ي", "ؤ": "و", "ة": "ه", "ء": "",
    "ک": "ك", "ی": "ي", "ڤ": "ف", "گ": "ك", "پ": "ب", "چ": "ش", "ڨ": "ق",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4", "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4", "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})
_ARABIC_RANGE = re.compile("[\u0600-\u06ff]")
_SEPARATORS = re.compile(r"[\s\-_'’`ʼ.,;:/\\()\[\]\"«»]+")

# Arabic letters in the key alphabet: S = sh, x = kh, G = gh; vowels a, i, u.
# Short vowels are not written in Arabic; a final ه (normalised ta marbuta) reads as -a.
_ARABIC_TO_KEY = {
    "ا": "a", "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "x", "د": "d", "ذ": "d",
    "ر": "r", "ز": "z", "س": "s", "ش": "S", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "a",
    "غ": "G", "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "u",
    "ي": "i",
}
_VOWELS = frozenset("aiu")

# Latin spellings to key letters, longest first. French: ou = u, ch = sh, dj = j, c before e/i = s.
_LATIN_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), r) for p, r in [
        (r"x", "ks"), (r"tch|tsh|sch|ch|sh", "S"), (r"kh", "x"), (r"^rh", "G"), (r"gh", "G"),
        (r"dj|dg", "j"), (r"dh", "d"), (r"th", "t"), (r"ph", "f"), (r"ck|q", "k"),
        (r"c(?=[eiy])", "s"), (r"c", "k"), (r"ou|oo|w", "u"), (r"ee", "i"), (r"y", "i"),
        (r"(?<=[aeiou])h$", ""), (r"(?<=[^aeiou])e$", ""), (r"e", "a"), (r"o", "u"),
    ]
]
_DOUBLES = re.compile(r"(.)\1+")

# Particles. Articles are dropped; the others are joined to the next token.
LATIN_ARTICLES = frozenset({
    "el", "al", "l", "ul", "ech", "ach", "es", "et", "ed", "en", "er", "ez", "as", "at", "ad", "an",
    "ar", "az", "ash", "ess", "ett", "edd", "enn", "err", "ezz",
})
# particle spelling -> code shared by both scripts
LATIN_PARTICLES = {
    "ben": "ben", "bin": "ben", "ibn": "ben", "bent": "bent", "bint": "bent", "ould": "ould", "uld": "ould",
    "ait": "ait", "ayt": "ait", "abd": "abd", "abdel": "abd", "abdul": "abd", "abdal": "abd", "abdou": "abd",
    "abdoul": "abd", "abdu": "abd", "bou": "bu", "bu": "bu", "abou": "bu", "abu": "bu", "bel": "ben",
}
ARABIC_PARTICLES = {"بن": "ben", "ابن": "ben", "بنت": "bent", "ولد": "ould", "ايت": "ait", "عبد": "abd",
                    "ابو": "bu", "بو": "bu"}
_LATIN_SUFFIXES = frozenset({"eddine", "eddin", "edine", "uddin", "addine", "ddine", "din", "dine", "eldin"})
_ARABIC_SUFFIXES = frozenset({"الدين", "الله"})


def script_of(text: str) -> str:
    return ARABIC if _ARABIC_RANGE.search(text) else LATIN


def normalise_arabic(text: str) -> str:
    """Arabic without diacritics or tatweel, one form of alef, ya and ta marbuta; spaces kept."""
    text = unicodedata.normalize("NFKC", text)
    text = _ARABIC_DIACRITICS.sub("", text)
    text = text.translate(_ARABIC_LETTER_FORMS)
    return " ".join(_SEPARATORS.sub(" ", text).split())


def normalise_latin(text: str) -> str:
    """Lower-case Latin letters and digits without accents; punctuation becomes a space."""
    text = text.replace("ç", "s").replace("Ç", "s").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = "".join(ch if ("a" <= ch <= "z" or ch.isdigit()) else " " for ch in text)
    return " ".join(text.split())


def normalise_text(text: str) -> str:
    """Normal text of any string in either script (addresses, free text)."""
    return normalise_arabic(text) if script_of(text) == ARABIC else normalise_latin(text)


@lru_cache(maxsize=200_000)
def latin_key(token: str) -> str:
    """Phonetic key of one normalised Latin token."""
    key = token.replace(" ", "")
    for pattern, replacement in _LATIN_RULES:
        key = pattern.sub(replacement, key)
    return _DOUBLES.sub(r"\1", key)


@lru_cache(maxsize=200_000)
def arabic_key(token: str) -> str:
    """The same alphabet as :func:`latin_key`, from normalised Arabic (short vowels are unwritten)."""
    token = token.replace(" ", "")
    letters = []
    for position, ch in enumerate(token):
        if ch == "ه" and position == len(token) - 1 and len(token) > 2:
            letters.append("a")
        else:
            letters.append(_ARABIC_TO_KEY.get(ch, ""))
    return _DOUBLES.sub(r"\1", "".join(letters))


def skeleton(key: str) -> str:
    """Consonants of a key: a blocking key only."""
    return _DOUBLES.sub(r"\1", "".join(ch for ch in key if ch not in _VOWELS))


def key_of(token: str, script: str) -> str:
    return arabic_key(token) if script == ARABIC else latin_key(token)


@dataclass(frozen=True, slots=True)
class Piece:
    """One token of a name after particles are joined: its normal text and the particle it carries."""

    text: str
    script: str
    particle: str = ""  # code of a leading particle ("ben", "abd"...), "" when none
    rest: str = ""  # the text after the particle


def name_pieces(value: str) -> list[Piece]:
    """Tokens of a name, in either script, with particles joined to the following token."""
    script = script_of(value)
    if script == ARABIC:
        return _arabic_pieces(normalise_arabic(value).split())
    return _latin_pieces(normalise_latin(value).split())


def _latin_pieces(words: list[str]) -> list[Piece]:
    return _pieces(words, LATIN, LATIN_ARTICLES, LATIN_PARTICLES, _LATIN_SUFFIXES, lambda word: "eddine")


def _arabic_pieces(words: list[str]) -> list[Piece]:
    return _pieces(words, ARABIC, frozenset(), ARABIC_PARTICLES, _ARABIC_SUFFIXES, lambda word: word)


def _pieces(words: list[str], script: str, articles: frozenset[str], particles: dict[str, str],
            suffixes: frozenset[str], suffix_form: Callable[[str], str]) -> list[Piece]:
    """Articles dropped, particles joined to the next word ("Ben Ali"), suffixes to the previous ("Nour Eddine")."""
    pieces: list[Piece] = []
    i = 0
    while i < len(words):
        word = words[i]
        has_next = i + 1 < len(words)
        if word in articles and has_next:
            i += 1
        elif word in suffixes and pieces:
            last, suffix = pieces.pop(), suffix_form(word)
            pieces.append(Piece(last.text + suffix, script, last.particle, last.rest + suffix if last.rest else ""))
            i += 1
        elif word in particles and has_next:
            j = i + 1
            while j < len(words) - 1 and (words[j] in articles or words[j] in particles):
                j += 1  # "Abd El Kader", "Ben El Hadj", "Ben Abd El Kader", "بن عبد القادر"
            rest = "".join(w for w in words[i + 1:j + 1] if w not in articles or w == words[j])
            pieces.append(Piece(word + rest, script, particles[word], rest))
            i = j + 1
        else:
            pieces.append(Piece(word, script))
            i += 1
    return [piece for piece in pieces if piece.text]


def strip_arabic_article(token: str) -> str:
    return token[2:] if token.startswith("ال") and len(token) > 4 else token


def split_latin_particle(token: str) -> tuple[str, str] | None:
    """("ben", "kacem") from "benkacem"; None when the token starts with no particle."""
    for spelling in sorted(LATIN_PARTICLES, key=len, reverse=True):
        if token.startswith(spelling) and len(token) - len(spelling) >= 3:
            rest = token[len(spelling):]
            if spelling == "abd":
                rest = _strip_assimilated_article(rest)
            return LATIN_PARTICLES[spelling], rest
    for article in ("el", "al"):
        if token.startswith(article) and len(token) - len(article) >= 4:
            return "", token[len(article):]
    return None


def split_arabic_particle(token: str) -> tuple[str, str] | None:
    for spelling in sorted(ARABIC_PARTICLES, key=len, reverse=True):
        if token.startswith(spelling) and len(token) - len(spelling) >= 3:
            return ARABIC_PARTICLES[spelling], token[len(spelling):]
    if token.startswith("ال") and len(token) > 4:
        return "", token[2:]
    return None


def _strip_assimilated_article(rest: str) -> str:
    """"errahim" -> "rahim", "elkader" -> "kader", "ellatif" -> "latif" (Abd er-Rahim...)."""
    rest = rest.lstrip("aeiou") or rest
    if len(rest) > 3 and rest[0] == "l" and rest[1] not in "aeiou":
        rest = rest[1:]
    if len(rest) > 3 and rest[0] == rest[1]:
        rest = rest[1:]
    return rest
