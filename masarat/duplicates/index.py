"""The matching engine's blocking keys kept in the persons' blind index, and an index that reads them.

Each blocking key of a person (``masarat.matching.blocking.blocking_keys``) is stored as a keyed hash
(HMAC) in :class:`~masarat.people.models.PersonSearchToken`, under a purpose ``match:<kind>``; so are
the identities of their names, for term frequencies. Finding candidates compares hashes only; the
candidates are then decrypted and compared in memory by the engine.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from masarat.matching.blocking import BLOCK_LIMITS, Hasher, blocking_keys
from masarat.matching.fields import BirthParts
from masarat.matching.model import NameFrequencies
from masarat.matching.records import Features, MatchRecord, prepare
from masarat.people.models import Person, PersonSearchToken
from masarat.people.search import register_index_group
from masarat.vault.blind import blind_index

KEY_KINDS = ("n", "t", "s", "y", "z", "b", "p", "d")  # the prefixes of the engine's blocking keys
NAME_FIELDS = {"given_name": "match:given", "family_name": "match:family", "full_name": "match:full"}
_IDENTS = {"given_name": "given_ident", "family_name": "family_ident", "full_name": "full_name_ident"}
MAX_BLOCK = 200
_SEXES = {"male": "m", "female": "f"}


def key_purpose(key: str) -> str:
    return f"match:{key.split(':', 1)[0]}"


def hash_key(key: str) -> str:
    """The hasher given to the engine: a key is hashed under the purpose of its kind."""
    return blind_index(key_purpose(key), key)


def _record_inputs(person: Person) -> tuple[Any, ...]:
    """Everything of a person that their match record is made of, in a tuple (cheap to hash)."""
    return (person.pk, person.given_name_latin, person.given_name_arabic, person.family_name_latin,
            person.family_name_arabic, person.sex, person.birth_year, person.birth_month, person.birth_day,
            person.estimated_age, person.estimated_on, person.phone,
            tuple(sorted(str(item.country) for item in person.nationalities.all())),
            tuple(document.number for document in person.documents.all()))


def _record(inputs: tuple[Any, ...]) -> MatchRecord:
    (pk, given_latin, given_arabic, family_latin, family_arabic, sex, birth_year, birth_month, birth_day,
     estimated_age, estimated_on, phone, nationalities, documents) = inputs
    return MatchRecord(
        record_id=str(pk),
        given_names=tuple(name for name in (given_latin, given_arabic) if name),
        family_names=tuple(name for name in (family_latin, family_arabic) if name),
        sex=_SEXES.get(sex, ""),
        birth=BirthParts(year=birth_year, month=birth_month, day=birth_day, estimated_age=estimated_age,
                         estimated_in=estimated_on.year if estimated_on else None),
        nationality=nationalities[0] if nationalities else "",
        phone=phone or "",
        document_number=documents[0] if documents else "",
    )


def match_record(person: Person) -> MatchRecord:
    """What the engine compares of a person (decrypted: call only for a viewer who may see them)."""
    return _record(_record_inputs(person))


def person_features(person: Person) -> Features:
    return _indexed(_record_inputs(person))[0]


@lru_cache(maxsize=4096)
def _indexed(inputs: tuple[Any, ...]) -> tuple[Features, dict[str, tuple[str, ...]]]:
    """A person's features and blocking keys (by kind), from what their record is made of.

    Indexing a person and comparing them ask for them again and again: they are computed once.
    """
    features = prepare(_record(inputs))
    keys: dict[str, list[str]] = {}
    for key in sorted(blocking_keys(features)):
        keys.setdefault(key.split(":", 1)[0], []).append(key)
    return features, {kind: tuple(values) for kind, values in keys.items()}


def _match_values(person: Person) -> dict[str, Iterable[str]]:
    """The blocking keys of a person by purpose, and the identities of their names: one preparation."""
    features, keys = _indexed(_record_inputs(person))
    values: dict[str, Iterable[str]] = {key_purpose(kind): keys.get(kind, ()) for kind in KEY_KINDS}
    for field, purpose in NAME_FIELDS.items():
        ident = getattr(features, _IDENTS[field])
        values[purpose] = [ident] if ident else []
    return values


def register_match_indexes() -> None:
    register_index_group([*(key_purpose(kind) for kind in KEY_KINDS), *NAME_FIELDS.values()], _match_values)


class PersonIndex:
    """The engine's :class:`~masarat.matching.engine.CandidateIndex` over the persons in the database.

    ``exclude`` are persons never to return (merged records, erased ones...). Found persons are
    loaded together, with what the comparison needs, in a few queries.
    """

    def __init__(self, *, exclude: Iterable[int] = (), persons: QuerySet[Person] | None = None,
                 max_block: int = MAX_BLOCK) -> None:
        self.candidates = Person.objects.all() if persons is None else persons
        self.hasher: Hasher = hash_key
        self.exclude = set(exclude)
        self.max_block = max_block
        self.persons: dict[str, Person] = {}
        self._features: dict[str, Features] = {}
        self._frequencies: dict[str, NameFrequencies] = {}
        self._total: int | None = None

    def lookup(self, hashed_keys: Sequence[str]) -> set[str]:
        kinds = [f"match:{kind}" for kind in KEY_KINDS]
        # A block too large (a very common name alone) finds nothing: other keys are more telling.
        usable = [digest for (purpose, digest), size in block_sizes(kinds, hashed_keys, self.max_block + 1).items()
                  if size <= self._limit(purpose)]
        if not usable:
            return set()
        ids = set(PersonSearchToken.objects.filter(purpose__in=kinds, digest__in=usable)
                  .values_list("person_id", flat=True)) - self.exclude
        for person in self.candidates.filter(pk__in=ids).prefetch_related("nationalities", "documents"):
            self.persons[str(person.pk)] = person
        return set(self.persons) & {str(pk) for pk in ids}

    def _limit(self, purpose: str) -> int:
        return min(BLOCK_LIMITS.get(purpose.split(":", 1)[1], self.max_block), self.max_block)

    def features(self, record_id: str) -> Features:
        if record_id not in self._features:
            self._features[record_id] = person_features(self.persons[record_id])
        return self._features[record_id]

    def name_frequencies(self, field: str) -> NameFrequencies:
        if field not in self._frequencies:
            self._frequencies[field] = self._name_frequencies(field)
        return self._frequencies[field]

    def _name_frequencies(self, field: str) -> NameFrequencies:
        """Shares of names among the persons, counted by hashed name like the keys.

        The counts are read when first needed, for the names of every person found so far at once.
        """
        purpose, attribute = NAME_FIELDS[field], _IDENTS[field]
        counts: dict[str, int] = {}
        total = self._person_total()

        def share(ident: str) -> float:
            if ident not in counts:
                wanted = {ident} | {getattr(self.features(pk), attribute) for pk in self.persons}
                wanted = {name for name in wanted if name and name not in counts}
                digests = {blind_index(purpose, name): name for name in wanted}
                found = _name_counts(purpose, list(digests))
                counts.update({name: found.get(digest, 0) for digest, name in digests.items()})
                counts.setdefault(ident, 0)
            return counts[ident] / total

        return NameFrequencies(of=share, expected=_expected_share(purpose, total))

    def _person_total(self) -> int:
        if self._total is None:
            self._total = int(_cached("persons", lambda: max(1, Person.objects.count()),
                                      keep=lambda total: total >= LARGE_TABLE))
        return self._total


_CACHE: dict[str, tuple[float, float]] = {}  # what -> (computed at, value)
CACHE_SECONDS = 600.0  # how many persons there are and how common names are change slowly
# Below this many persons, counting them is cheap and a few more change the shares of names: counted each time.
LARGE_TABLE = 10_000


def _cached(what: str, compute: Callable[[], float], keep: Callable[[float], bool] = lambda value: True) -> float:
    cached = _CACHE.get(what)
    now = time.monotonic()
    if cached is None or now - cached[0] >= CACHE_SECONDS:
        cached = (now, compute())
        if keep(cached[1]):
            _CACHE[what] = cached
    return cached[1]


def block_sizes(purposes: Sequence[str], digests: Iterable[str], cap: int) -> dict[tuple[str, str], int]:
    """How many persons carry each (purpose, digest) found, counted up to ``cap`` only: a block of a
    very common name is not read to its end to learn that it is too large."""
    pairs = [(purpose, digest) for purpose in purposes for digest in sorted(set(digests))]
    if not pairs:
        return {}
    table = connection.ops.quote_name(PersonSearchToken._meta.db_table)
    keys = ", ".join(["(%s, %s)"] * len(pairs))
    sql = (f"WITH wanted (purpose, digest) AS (VALUES {keys}) "  # noqa: S608 (names from the model)
           f"SELECT wanted.purpose, wanted.digest, (SELECT COUNT(*) FROM (SELECT 1 FROM {table} token "
           f"WHERE token.purpose = wanted.purpose AND token.digest = wanted.digest LIMIT %s) block) FROM wanted")
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for pair in pairs for value in pair] + [cap])
        return {(purpose, digest): size for purpose, digest, size in cursor.fetchall() if size}


# A common name's count is read again every ten minutes at most (each new referral of a "Mohamed"
# would otherwise count every Mohamed); a rarer one's is cheap to read and always read.
COMMON_NAME_COUNT = 1000


def _name_counts(purpose: str, digests: list[str]) -> dict[str, int]:
    now = time.monotonic()
    found: dict[str, int] = {}
    missing = []
    for digest in digests:
        cached = _NAME_COUNTS.get((purpose, digest))
        if cached is not None and now - cached[0] < CACHE_SECONDS:
            found[digest] = cached[1]
        else:
            missing.append(digest)
    if missing:
        counted = dict(PersonSearchToken.objects.filter(purpose=purpose, digest__in=missing)
                       .values("digest").annotate(size=Count("person_id")).values_list("digest", "size"))
        for digest, size in counted.items():
            found[digest] = size
            if size >= COMMON_NAME_COUNT:
                _NAME_COUNTS[(purpose, digest)] = (now, size)
    return found


_NAME_COUNTS: dict[tuple[str, str], tuple[float, int]] = {}


def _expected_share(purpose: str, total: int) -> float:
    """How often two random persons share a name (the sum of the squared shares), recomputed every
    ten minutes at most: it reads every name token of that purpose."""
    def compute() -> float:
        sizes = (PersonSearchToken.objects.filter(purpose=purpose).values("digest")
                 .annotate(size=Count("person_id")).values_list("size", flat=True))
        return sum((size / total) ** 2 for size in sizes)

    return _cached(purpose, compute) if total >= LARGE_TABLE else compute()
