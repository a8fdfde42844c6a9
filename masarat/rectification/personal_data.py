"""What the rectifications keep about a person (the identity before and after each correction, the
reasons): part of the access-request export and of erasure, registered with ``masarat.rights``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from masarat.cases.models import Case
from masarat.people.models import Person
from masarat.rectification.models import Rectification
from masarat.rights.registry import ERASED, PersonalData, register


def _export(person: Person, cases: Sequence[Case]) -> list[dict[str, Any]]:
    return [{"made_at": row.made_at.isoformat(), "case": row.case.reference,
             "requested_by_person": row.requested_by_person, "reason": row.reason,
             "changed_fields": row.changed_fields, "before": row.before, "after": row.after,
             "restores": row.restores_id}
            for row in Rectification.objects.filter(person=person).select_related("case").order_by("made_at", "pk")]


def _erase(person: Person, cases: Sequence[Case]) -> None:
    # The earlier and later identities are identities: they go; which fields changed, when and by whom stay.
    for row in Rectification.objects.filter(person=person):
        row.before, row.after, row.reason = {}, {}, ERASED
        row.save(update_fields=["before", "after", "reason"])


def register_personal_data() -> None:
    register(PersonalData("rectifications", _export, _erase))
