"""The personal data kept by the core apps (people, referrals, cases, screening): export and erasure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.forms.models import model_to_dict

from masarat.cases.models import Case, CaseClosure, CaseEvent, Decision, EmergencyAccess
from masarat.people.models import Person
from masarat.people.search import person_index_refresh
from masarat.referrals.models import Referral
from masarat.rights.registry import ERASED, PersonalData, register
from masarat.screening.models import Assessment, AssessmentAnswer

PERSON_TEXT = ["given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic", "phone"]
PERSON_NUMBERS = ["birth_year", "birth_month", "birth_day", "estimated_age", "estimated_on"]


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {key: (value.isoformat() if hasattr(value, "isoformat") else str(value) if value is not None
                  and not isinstance(value, int | bool | str | list) else value) for key, value in values.items()}


def _export_person(person: Person, cases: Sequence[Case]) -> dict[str, Any]:
    return {
        **_plain(model_to_dict(person, fields=[*PERSON_TEXT, *PERSON_NUMBERS, "sex", "birth_precision"])),
        "nationalities": [str(row.country.code) for row in person.nationalities.all()],
        "languages": [row.language for row in person.languages.all()],
        "documents": [{"kind": row.kind, "number": row.number, "issuing_country": str(row.issuing_country.code or ""),
                       "held_by_person": row.is_held_by_person} for row in person.documents.all()],
    }


def _erase_person(person: Person, cases: Sequence[Case]) -> None:
    for name in PERSON_TEXT:
        setattr(person, name, "")
    for name in PERSON_NUMBERS:
        setattr(person, name, None)
    person.save()
    person.documents.all().delete()
    person.languages.all().delete()
    person.nationalities.all().delete()  # the cases keep the nationality counted in statistics
    person_index_refresh(person)  # nothing left to index: the blind indexes of the erased values go too


def _export_cases(person: Person, cases: Sequence[Case]) -> list[dict[str, Any]]:
    exported = []
    for case in cases:
        referral = Referral.objects.filter(case=case).first()
        exported.append({
            "reference": case.reference, "status": case.status, "region": case.region,
            "referred_at": case.referred_at.isoformat(), "referring_agency": str(case.referring_agency),
            "exploitation_forms": [row.form for row in case.exploitation_forms.all()],
            "places": [{"stage": row.role, "country": str(row.country.code), "region": row.region}
                       for row in case.places.all()],
            "referral": None if referral is None else {
                "circumstances": referral.circumstances, "consent": referral.consent,
                "consent_informed_by": referral.consent_informed_by, "urgent_needs": referral.urgent_needs,
            },
            "decisions": [{"stage": row.stage, "outcome": row.outcome, "reasons": row.reasons,
                           "decided_at": row.decided_at.isoformat(), "review_outcome": row.review_outcome,
                           "review_reasons": row.review_reasons} for row in case.decisions.all()],
            "timeline": [{"at": row.at.isoformat(), "action": row.action, "note": row.note}
                         for row in case.events.all()],
            "closures": [{"closed_at": row.closed_at.isoformat(), "reason": row.reason,
                          "follow_up_plan": row.follow_up_plan, "reopen_reason": row.reopen_reason}
                         for row in case.closures.all()],
        })
    return exported


def erase_text(rows: Any, *fields: str) -> None:
    """Replace what was written in these fields (encrypted fields cannot be filtered on: done row by row)."""
    for row in rows:
        written = [name for name in fields if getattr(row, name)]
        for name in written:
            setattr(row, name, ERASED)
        if written:
            row.save(update_fields=written)


def _erase_cases(person: Person, cases: Sequence[Case]) -> None:
    erase_text(Referral.objects.filter(case__in=cases), "circumstances", "consent_informed_by")
    erase_text(Decision.objects.filter(case__in=cases), "reasons", "review_reasons")
    erase_text(CaseEvent.objects.filter(case__in=cases), "note")
    erase_text(EmergencyAccess.objects.filter(case__in=cases), "reason")
    erase_text(CaseClosure.objects.filter(case__in=cases), "reason", "follow_up_plan", "reopen_reason")


def _export_screenings(person: Person, cases: Sequence[Case]) -> list[dict[str, Any]]:
    return [{"indicator_set": str(assessment.indicator_set), "completed_at":
             assessment.completed_at.isoformat() if assessment.completed_at else None,
             "level": assessment.level, "notes": assessment.notes,
             "answers": assessment.answers_by_code(), "observations": assessment.observations_by_code()}
            for assessment in Assessment.objects.filter(case__in=cases).prefetch_related("answers")]


def _erase_screenings(person: Person, cases: Sequence[Case]) -> None:
    erase_text(Assessment.objects.filter(case__in=cases), "notes")
    erase_text(AssessmentAnswer.objects.filter(assessment__case__in=cases), "observation")


def register_core_handlers() -> None:
    register(PersonalData("person", _export_person, _erase_person))
    register(PersonalData("cases", _export_cases, _erase_cases))
    register(PersonalData("screenings", _export_screenings, _erase_screenings))
