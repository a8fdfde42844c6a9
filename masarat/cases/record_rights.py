"""The records kept beside a case, in the access-request export and the erasure (``masarat.rights``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from masarat.cases.models import Case
from masarat.cases.records import RECORD_KINDS, record_values
from masarat.people.models import Person
from masarat.rights.handlers import erase_text
from masarat.rights.registry import PersonalData, register
from masarat.vault.fields import EncryptedMixin


def register_records_of_app(label: str, app_label: str) -> None:
    """Register the export and erasure of every record kind an app defines: each encrypted text
    (the texts that can describe the person) is erased; dates and vocabularies stay for statistics."""
    kinds = [kind for kind in RECORD_KINDS.values() if kind.model._meta.app_label == app_label]

    def export(person: Person, cases: Sequence[Case]) -> dict[str, Any]:
        return {kind.slug: [record_values(kind, record) for record in
                            kind.model._default_manager.filter(case__in=cases).select_related("recorded_by")]
                for kind in kinds}

    def erase(person: Person, cases: Sequence[Case]) -> None:
        for kind in kinds:
            texts = [field.name for field in kind.model._meta.concrete_fields if isinstance(field, EncryptedMixin)]
            erase_text(kind.model._default_manager.filter(case__in=cases), *texts)

    register(PersonalData(label, export, erase))
