"""Notifications are the staff's own data, but they point to cases: when a person's data is erased,
the notifications about their cases go too. The export lists what was announced about the cases
(kind and first date, never who was told)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Min

from masarat.cases.models import Case
from masarat.notifications.models import Notification
from masarat.people.models import Person
from masarat.rights.registry import PersonalData, register


def _export(person: Person, cases: Sequence[Case]) -> list[dict[str, Any]]:
    rows = (Notification.objects.filter(case__in=cases).values("reference", "kind")
            .annotate(first=Min("created_at")).order_by("first"))
    return [{"case": row["reference"], "kind": row["kind"], "first_at": row["first"].isoformat()} for row in rows]


def _erase(person: Person, cases: Sequence[Case]) -> None:
    from masarat.notifications.services import case_notifications_erase

    case_notifications_erase(cases)


def register_personal_data() -> None:
    register(PersonalData("notifications", _export, _erase))
