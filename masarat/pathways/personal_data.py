"""What consent records, service referrals and transfers keep about a person: export and erasure
(Law 09-08), registered with ``masarat.rights``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from masarat.cases.models import Case
from masarat.consent.models import ConsentOverride, ConsentRecord
from masarat.pathways.models import CaseTransfer, ServiceReferral
from masarat.people.models import Person
from masarat.rights.handlers import erase_text
from masarat.rights.registry import PersonalData, register


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _export_consents(person: Person, cases: Sequence[Case]) -> dict[str, Any]:
    return {
        "records": [{"case": row.case.reference, "purpose": row.purpose, "given_by": row.given_by,
                     "giver_name": row.giver_name, "note": row.note, "recorded_at": _when(row.recorded_at),
                     "withdrawn_at": _when(row.withdrawn_at), "withdrawal_reason": row.withdrawal_reason}
                    for row in ConsentRecord.objects.filter(case__in=cases).select_related("case")],
        "overrides": [{"case": row.case.reference, "purpose": row.purpose, "reason": row.reason, "at": _when(row.at)}
                      for row in ConsentOverride.objects.filter(case__in=cases).select_related("case")],
    }


def _erase_consents(person: Person, cases: Sequence[Case]) -> None:
    erase_text(ConsentRecord.objects.filter(case__in=cases), "giver_name", "note", "withdrawal_reason")
    erase_text(ConsentOverride.objects.filter(case__in=cases), "reason")


def _export_referrals(person: Person, cases: Sequence[Case]) -> dict[str, Any]:
    referrals = ServiceReferral.objects.filter(case__in=cases).select_related("case", "service__provider")
    transfers = CaseTransfer.objects.filter(case__in=cases).select_related("case", "to_user__agency")
    return {
        "service_referrals": [
            {"case": row.case.reference, "service": row.kind, "status": row.status,
             "provider": row.service.provider.name if row.service else None, "sent_at": _when(row.sent_at),
             "note": row.note, "skip_reason": row.skip_reason, "decline_reason": row.decline_reason,
             "delivered_at": _when(row.delivered_at), "delivery_note": row.delivery_note, "outcome": row.outcome}
            for row in referrals.order_by("created_at")],
        "transfers": [{"case": row.case.reference, "to_agency": str(row.to_user.agency), "status": row.status,
                       "reason": row.reason, "response_reason": row.response_reason,
                       "requested_at": _when(row.requested_at)} for row in transfers],
    }


def _erase_referrals(person: Person, cases: Sequence[Case]) -> None:
    erase_text(ServiceReferral.objects.filter(case__in=cases), "note", "skip_reason", "decline_reason",
               "delivery_note")
    erase_text(CaseTransfer.objects.filter(case__in=cases), "reason", "response_reason")


def register_personal_data() -> None:
    register(PersonalData("consents", _export_consents, _erase_consents))
    register(PersonalData("service_referrals", _export_referrals, _erase_referrals))
