"""The records linked into a person are theirs too: exported with them, erased with them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from masarat.cases.models import Case
from masarat.duplicates.models import DuplicateCheck, PersonLink, ProposedPair
from masarat.people.models import Person
from masarat.rights.handlers import _erase_person, _export_person
from masarat.rights.registry import PersonalData, register


def merged_records(person: Person) -> list[Person]:
    """Every record linked into ``person``, directly or through another linked record."""
    found: list[Person] = []
    frontier = [person.pk]
    while frontier:
        links = list(PersonLink.objects.filter(kept_id__in=frontier, unlinked_at__isnull=True)
                     .select_related("merged"))
        found += [link.merged for link in links]
        frontier = [link.merged_id for link in links]
    return found


def _export(person: Person, cases: Sequence[Case]) -> list[dict[str, Any]]:
    return [{"record": merged.pk, **_export_person(merged, [])} for merged in merged_records(person)]


def _erase(person: Person, cases: Sequence[Case]) -> None:
    records = merged_records(person)
    for merged in records:
        _erase_person(merged, [])
    # What the engine found about these records (which of their fields agreed with whose) goes too.
    ids = [person.pk, *(merged.pk for merged in records)]
    ProposedPair.objects.filter(Q(first_id__in=ids) | Q(second_id__in=ids)).delete()
    DuplicateCheck.objects.filter(person_id__in=ids).delete()


def register_rights_handlers() -> None:
    register(PersonalData("linked_records", _export, _erase))
