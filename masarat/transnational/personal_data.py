"""What the packages sent abroad say about a person (Law 09-08: the recipients of their data),
registered with ``masarat.rights``. Package records hold no personal data, so nothing is erased."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from masarat.cases.models import Case
from masarat.people.models import Person
from masarat.rights.registry import PersonalData, register
from masarat.transnational.models import IncomingPackage, OutgoingPackage


def _export(person: Person, cases: Sequence[Case]) -> dict[str, Any]:
    sent = OutgoingPackage.objects.filter(case__in=cases).select_related("case", "partner").order_by("created_at")
    received = IncomingPackage.objects.filter(case__in=cases).select_related("case", "partner").order_by(
        "received_at")
    return {
        "sent": [{"case": row.case.reference, "partner": row.partner.name, "country": str(row.partner.country.code),
                  "created_at": row.created_at.isoformat(), "status": row.status,
                  "acknowledged_at": row.acknowledged_at.isoformat() if row.acknowledged_at else None}
                 for row in sent],
        "received": [{"case": row.case.reference, "partner": row.partner.name,
                      "country": str(row.partner.country.code), "received_at": row.received_at.isoformat()}
                     for row in received],
    }


def _erase(person: Person, cases: Sequence[Case]) -> None:
    """Nothing to erase: a package record names a case and a partner, never the person."""


def register_personal_data() -> None:
    register(PersonalData("transnational_packages", _export, _erase))
