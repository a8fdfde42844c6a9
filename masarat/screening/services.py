"""Indicator sets (import, new versions) and screenings (start, answer, complete, link to a referral)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.screening.definition import DefinitionError, parse_definition
from masarat.screening.models import Assessment, AssessmentAnswer, IndicatorSet
from masarat.screening.rules import ANSWERS, Result, evaluate

DATA_DIR = Path(__file__).resolve().parent / "data"


class ScreeningRefused(Exception):
    """A screening change the rules do not allow (already linked, wrong set...)."""


def read_definition_file(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)


@transaction.atomic
def indicator_set_import(*, raw: Any, by: User | None = None) -> tuple[IndicatorSet, bool]:
    """Store a definition as the version it names. Importing the same version again changes nothing;
    a different definition under an existing version is refused (versions never change)."""
    definition = parse_definition(raw)
    existing = IndicatorSet.objects.filter(code=definition.code, version=definition.version).first()
    if existing is not None:
        if existing.definition != raw:
            raise DefinitionError([f"{definition.code} version {definition.version} exists with another content: "
                                   "give the changed set a new version number"])
        return existing, False
    indicator_set = IndicatorSet.objects.create(
        code=definition.code, version=definition.version, population=definition.population,
        exploitation=definition.exploitation, definition=raw, created_by=by,
    )
    # The newest version is the one offered for new screenings.
    IndicatorSet.objects.filter(code=definition.code, version__lt=definition.version).update(is_active=False)
    record_event(actor=by, action="screening.indicator_set_import", target_type="indicator_set",
                 target_id=str(indicator_set.pk), details={"code": definition.code, "version": definition.version})
    return indicator_set, True


def indicator_set_new_version(*, code: str, raw: Any, by: User) -> IndicatorSet:
    """Save an edited definition as the next version of ``code``."""
    if not isinstance(raw, dict):
        raise DefinitionError(["the definition must be a mapping"])
    latest = IndicatorSet.objects.filter(code=code).aggregate(latest=Max("version"))["latest"] or 0
    indicator_set, _created = indicator_set_import(raw={**raw, "code": code, "version": latest + 1}, by=by)
    return indicator_set


@transaction.atomic
def indicator_set_set_active(*, indicator_set: IndicatorSet, active: bool, by: User) -> None:
    """Offer a version for new screenings, or stop offering it; screenings made with it keep it."""
    IndicatorSet.objects.filter(pk=indicator_set.pk).update(is_active=active)
    indicator_set.is_active = active
    record_event(actor=by, action="screening.indicator_set_active", target_type="indicator_set",
                 target_id=str(indicator_set.pk), details={"active": active})


def load_default_sets() -> int:
    """Import the indicator sets shipped with Masarat (idempotent)."""
    created = 0
    for path in sorted(DATA_DIR.glob("*.yaml")):
        _set, was_created = indicator_set_import(raw=read_definition_file(path))
        created += was_created
    return created


def offered_sets() -> list[IndicatorSet]:
    return list(IndicatorSet.objects.filter(is_active=True).order_by("population", "exploitation", "code"))


@transaction.atomic
def assessment_start(*, indicator_set: IndicatorSet, by: User, interview_language: str = "",
                     for_draft_id: int | None = None) -> Assessment:
    policy.require(policy.can_screen(by))
    if not indicator_set.is_active:
        raise ScreeningRefused(_("This indicator set is no longer offered; choose the current one."))
    assessment = Assessment.objects.create(indicator_set=indicator_set, assessor=by,
                                           interview_language=interview_language, for_draft_id=for_draft_id)
    record_event(actor=by, action="screening.start", target_type="screening", target_id=str(assessment.pk))
    return assessment


def assessment_for(*, viewer: User, assessment_id: int, editing: bool = False) -> Assessment:
    """A screening is seen by who made it, and, once it travels with a referral, by those who may open
    the case file. Anyone else is told it does not exist."""
    assessment = (Assessment.objects.select_related("indicator_set", "assessor", "case")
                  .prefetch_related("answers").filter(pk=assessment_id).first())
    if assessment is None:
        raise Http404
    own = assessment.assessor_id == viewer.pk and policy.can_screen(viewer)
    if editing:
        if not own or assessment.case_id is not None:
            raise Http404
    elif not own and not (assessment.case is not None and policy.can_open_case_file(viewer, assessment.case)):
        raise Http404
    if not own:
        if assessment.case is not None:
            # A screening on sexual exploitation is a sensitive category of the case file: "not found" for
            # a holder of the file who may not read it.
            from masarat.sensitive.shield import shield_for

            shield = shield_for(viewer, assessment.case)
            shield.apply([assessment])
            if shield.restricts(assessment):
                raise Http404
            shield.audit(channel="screening")
        record_event(actor=viewer, action="screening.read", target_type="screening", target_id=str(assessment.pk),
                     case_reference=assessment.case.reference if assessment.case else "")
    return assessment


@transaction.atomic
def assessment_record_answers(
    *, assessment: Assessment, by: User, answers: Mapping[str, str], observations: Mapping[str, str],
) -> Result:
    """Save answers (any subset of the set's indicators) and keep the result current."""
    if assessment.assessor_id != by.pk or assessment.case_id is not None or assessment.completed_at is not None:
        raise ScreeningRefused(_("This screening can no longer be changed."))
    known = set(assessment.indicator_set.parsed.indicator_codes())
    unknown_codes = [code for code in answers if code not in known]
    bad_values = [value for value in answers.values() if value not in ANSWERS]
    if unknown_codes or bad_values:
        raise ScreeningRefused(_("Unknown question or answer."))
    for code, answer in answers.items():
        AssessmentAnswer.objects.update_or_create(
            assessment=assessment, indicator_code=code,
            defaults={"answer": answer, "observation": observations.get(code, "").strip()[:5000]},
        )
    result = assessment_result(assessment)
    assessment.level, assessment.suggestion = result.level, result.suggestion
    assessment.save(update_fields=["level", "suggestion", "updated_at"])
    record_event(actor=by, action="screening.answer", target_type="screening", target_id=str(assessment.pk),
                 details={"questions": len(answers)})
    return result


@transaction.atomic
def assessment_complete(*, assessment: Assessment, by: User, notes: str = "") -> Result:
    if assessment.assessor_id != by.pk or assessment.case_id is not None:
        raise ScreeningRefused(_("This screening can no longer be changed."))
    result = assessment_result(assessment)
    assessment.level, assessment.suggestion = result.level, result.suggestion
    assessment.notes = notes.strip()
    assessment.completed_at = assessment.completed_at or timezone.now()
    assessment.save()
    record_event(actor=by, action="screening.complete", target_type="screening", target_id=str(assessment.pk),
                 details={"level": result.level})
    return result


def assessment_result(assessment: Assessment) -> Result:
    answers = {row.indicator_code: row.answer for row in AssessmentAnswer.objects.filter(assessment=assessment)}
    return evaluate(assessment.indicator_set.parsed, answers)


def assessment_link_to_case(*, assessment: Assessment, case: Case, by: User) -> None:
    """The referral carries the screening: from now on it is part of the case file. Call it inside the
    transaction that records the referral."""
    # One conditional update, so that two referrals sent at once cannot both take the screening.
    attached = Assessment.objects.filter(pk=assessment.pk, assessor=by, case__isnull=True,
                                         completed_at__isnull=False).update(case=case, updated_at=timezone.now())
    if attached != 1:
        raise ScreeningRefused(_("Only a completed screening of your own, not yet sent, can travel with a referral."))
    assessment.case = case
    record_event(actor=by, action="screening.link", target_type="screening", target_id=str(assessment.pk),
                 case_reference=case.reference)
