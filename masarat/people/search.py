"""Finding persons without decrypting them: blind indexes of normalised values.

Each indexed value of a person (a word of a name in either script, the phone number in E.164,
a document number, the year of birth) is normalised, hashed with the blind-index key and its
purpose (:func:`masarat.vault.blind.blind_index`), and stored as a :class:`PersonSearchToken`.
A search normalises and hashes the words typed the same way and compares hashes.

Purposes are free strings: another module adds its own keys with :func:`register_index`, and
:func:`person_index_refresh` (the one function that writes tokens) computes them with the rest;
:func:`register_index_group` registers several purposes computed together.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import reduce
from operator import and_, or_

import phonenumbers
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from masarat.people.models import Person, PersonSearchToken
from masarat.people.phones import normalise_phone
from masarat.vault.blind import blind_index

NAME, PHONE, DOCUMENT, BIRTH_YEAR = "name", "phone", "document", "birth_year"

# Arabic short vowels, tanween, shadda, sukun, dagger alif, Quranic marks, and the tatweel.
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Letters typed in several ways: hamza carriers of alif, alif maqsura, ta marbuta.
_ARABIC_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})
_WORD = re.compile(r"[^\W_]+")


def normalise_name(text: str) -> str:
    """Lowercase, without Latin accents or Arabic diacritics, one space between words.

    The same name normalised twice gives the same text: compatibility forms (Arabic presentation
    forms, ligatures) are decomposed before the marks and letters are folded, so that what the
    decomposition yields (a tatweel, an alif maqsura) is folded too.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Drop combining marks (é → e, أ → ا), then the Arabic marks that are not combining (the tatweel).
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    folded = _ARABIC_MARKS.sub("", stripped).translate(_ARABIC_LETTERS)
    return " ".join(_WORD.findall(unicodedata.normalize("NFC", folded).casefold()))


def name_tokens(text: str) -> list[str]:
    return normalise_name(text).split()


def normalise_document(number: str) -> str:
    """Letters and digits only, upper case: "ab 123-456" and "AB123456" are the same document."""
    return "".join(_WORD.findall(number)).upper()


def _name_values(person: Person) -> Iterable[str]:
    for part in (person.given_name_latin, person.family_name_latin, person.given_name_arabic,
                 person.family_name_arabic):
        yield from name_tokens(part or "")


def _phone_values(person: Person) -> Iterable[str]:
    return [person.phone] if person.phone else []  # stored in E.164 by the referral's validation


def _document_values(person: Person) -> Iterable[str]:
    return [normalise_document(document.number) for document in person.documents.all()]


def _birth_year_values(person: Person) -> Iterable[str]:
    return [str(person.birth_year)] if person.birth_year else []


Indexer = Callable[[Person], Iterable[str]]
BUILT_IN_INDEXERS: dict[str, Indexer] = {
    NAME: _name_values, PHONE: _phone_values, DOCUMENT: _document_values, BIRTH_YEAR: _birth_year_values,
}
_INDEXERS: dict[str, Indexer] = dict(BUILT_IN_INDEXERS)


# Several purposes whose values come from one preparation of a person (a matcher's blocking keys):
# the preparation is made once for all of them. Gives each purpose's values (none if left out).
IndexGroup = Callable[[Person], Mapping[str, Iterable[str]]]
_GROUPS: dict[tuple[str, ...], IndexGroup] = {}


def _check_purpose(purpose: str) -> None:
    if not purpose or len(purpose) > PersonSearchToken._meta.get_field("purpose").max_length:  # type: ignore[operator]
        raise ValueError(f"A purpose is 1 to 40 characters, not {purpose!r}.")


def register_index(purpose: str, values: Indexer) -> None:
    """Index persons for another purpose: ``values`` gives the normalised values of one person."""
    _check_purpose(purpose)
    _INDEXERS[purpose] = values


def register_index_group(purposes: Sequence[str], values: IndexGroup) -> None:
    """Index persons for several purposes at once: ``values`` gives the normalised values of one
    person for each of ``purposes``."""
    for purpose in purposes:
        _check_purpose(purpose)
    _GROUPS[tuple(purposes)] = values


def indexed_purposes() -> list[str]:
    return [*_INDEXERS, *(purpose for purposes in _GROUPS for purpose in purposes)]


def tokens_of(person: Person, indexers: dict[str, Indexer],
              groups: Mapping[tuple[str, ...], IndexGroup] | None = None) -> set[tuple[str, str]]:
    """(purpose, digest) of every indexed value of a person."""
    tokens = {(purpose, blind_index(purpose, value))
              for purpose, values in indexers.items() for value in values(person) if value}
    for purposes, group in (groups or {}).items():
        found = group(person)
        tokens.update((purpose, blind_index(purpose, value))
                      for purpose in purposes for value in found.get(purpose, ()) if value)
    return tokens


def person_tokens(person: Person) -> set[tuple[str, str]]:
    return tokens_of(person, _INDEXERS, _GROUPS)


@transaction.atomic
def person_index_refresh(person: Person) -> None:
    """Recompute the blind indexes of a person: call it after every change of the person or their documents."""
    persons_index_refresh([person])


@transaction.atomic
def persons_index_refresh(persons: Iterable[Person]) -> int:
    """Recompute the blind indexes of several persons at once (documents and nationalities prefetched, ideally)."""
    persons = list(persons)
    PersonSearchToken.objects.filter(person__in=persons, purpose__in=indexed_purposes()).delete()
    rows = [PersonSearchToken(person=person, purpose=purpose, digest=digest)
            for person in persons for purpose, digest in sorted(person_tokens(person))]
    PersonSearchToken.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def has_token(purpose: str, value: str, person_field: str = "pk") -> Exists:
    """"This person has this value": to filter persons (or, with ``person_field``, rows that point to one)."""
    return Exists(PersonSearchToken.objects.filter(person_id=OuterRef(person_field), purpose=purpose,
                                                   digest=blind_index(purpose, value)))


def search_rule(text: str, *, person_field: str = "pk") -> Q | None:
    """Persons matching what a user typed: every word is a word of the name (in either script) or the
    year of birth; or the whole text is the phone number or a document number. None if nothing to look for."""
    words = name_tokens(text)
    if not words:
        return None

    def word_rule(word: str) -> Q:
        rule = Q(has_token(NAME, word, person_field))
        if len(word) == 4 and word.isdigit():
            rule |= Q(has_token(BIRTH_YEAR, word, person_field))
        return rule

    rule = reduce(and_, (word_rule(word) for word in dict.fromkeys(words)))
    if document := normalise_document(text):
        rule |= Q(has_token(DOCUMENT, document, person_field))
    with contextlib.suppress(phonenumbers.NumberParseException):
        rule |= Q(has_token(PHONE, normalise_phone(text), person_field))
    return rule


def matching_person_ids(text: str) -> list[int]:
    """The persons :func:`search_rule` finds, as a list of ids read through the token index.

    For searching a large table: the ids can be combined with other indexed conditions (a
    reference, say), where the correlated subqueries of :func:`search_rule` make the database
    test every row.

    The persons of each word are read from the ``(purpose, digest, person)`` index alone, in
    order of person, and each further word is a semi-join on the person: the database merges
    the sorted lists. A common given name is carried by thousands of persons; reading their
    tokens from the table would visit one page per person.
    """
    words = list(dict.fromkeys(name_tokens(text)))
    if not words:
        return []

    def carrying(word: str) -> QuerySet[PersonSearchToken, int]:
        """The persons with a token for this word (a word of the name, or a year of birth)."""
        rule = Q(purpose=NAME, digest=blind_index(NAME, word))
        if len(word) == 4 and word.isdigit():
            rule |= Q(purpose=BIRTH_YEAR, digest=blind_index(BIRTH_YEAR, word))
        return PersonSearchToken.objects.filter(rule).values_list("person_id", flat=True)

    first, *others = words
    persons = carrying(first)
    for word in others:
        persons = persons.filter(Exists(carrying(word).filter(person_id=OuterRef("person_id"))))
    found = set(persons)
    whole: list[tuple[str, str]] = []
    if document := normalise_document(text):
        whole.append((DOCUMENT, document))
    with contextlib.suppress(phonenumbers.NumberParseException):
        whole.append((PHONE, normalise_phone(text)))
    if whole:
        found.update(PersonSearchToken.objects.filter(
            reduce(or_, (Q(purpose=purpose, digest=blind_index(purpose, value)) for purpose, value in whole))
        ).values_list("person_id", flat=True))
    return sorted(found)


def reindex_all(*, batch_size: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute every person's blind indexes (after MASARAT_BLIND_INDEX_KEY changed, or a purpose
    was added), a batch of persons per transaction. Returns how many persons were indexed."""
    total, last_pk = Person.objects.count(), 0
    done = 0
    persons = Person.objects.order_by("pk").prefetch_related("documents", "nationalities")
    while batch := list(persons.filter(pk__gt=last_pk)[:batch_size]):
        persons_index_refresh(batch)
        done += len(batch)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(done, total)
    return done
