"""Screenings for part of the demo cases, made by the responders who referred them, so that the
coordinator's case pages show what a screening adds to a referral."""

from __future__ import annotations

import random
from collections.abc import Iterable

from django.db.models import Max

from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.cases.vocabulary import ExploitationForm
from masarat.screening.definition import Element
from masarat.screening.models import Assessment, IndicatorSet
from masarat.screening.rules import DECLINED, NO, UNKNOWN, YES
from masarat.screening.services import (
    assessment_complete,
    assessment_link_to_case,
    assessment_record_answers,
    assessment_start,
)

SEXUAL = {ExploitationForm.SEXUAL_EXPLOITATION}
SCREENED_SHARE = 0.4
NOTES = [
    "Entretien mené au calme, avec une interprète.",
    "La personne a préféré ne pas parler de son recrutement.",
    "Entretien court : la personne était épuisée, à reprendre.",
    "",
]


def _set_for(case: Case, sets: dict[tuple[str, str], IndicatorSet]) -> IndicatorSet | None:
    forms = {item.form for item in case.exploitation_forms.all()}
    exploitation = "sexual" if forms & SEXUAL else "labour"
    return sets.get(("child" if case.is_child else "adult", exploitation))


def _answers(rng: random.Random, elements: Iterable[Element], intensity: float) -> dict[str, str]:
    """Answers as an interview gives them: some signs, many "no", a few unknown or declined."""
    answers = {}
    for element in elements:
        for indicator in element.indicators:
            roll = rng.random()
            if roll < intensity * (1.6 if indicator.strength == "strong" else 1.0):
                answers[indicator.code] = YES
            elif roll < 0.85:
                answers[indicator.code] = NO
            elif roll < 0.95:
                answers[indicator.code] = UNKNOWN
            else:
                answers[indicator.code] = DECLINED
    return answers


def add_screenings(rng: random.Random, cases: Iterable[Case]) -> int:
    newest = {row["code"]: row["latest"] for row in IndicatorSet.objects.values("code").annotate(latest=Max("version"))}
    sets = {(item.population, item.exploitation): item
            for item in IndicatorSet.objects.filter(code__startswith="ilo-ec-", is_active=True)
            if newest.get(item.code) == item.version}
    made = 0
    for case in cases:
        if case.person_id is None or rng.random() > SCREENED_SHARE:
            continue
        indicator_set = _set_for(case, sets)
        if indicator_set is None:
            continue
        # Cases later found not to be victims were screened with fewer signs.
        negative = case.status in (Status.NOT_PRESUMED, Status.NOT_IDENTIFIED)
        assessment: Assessment = assessment_start(indicator_set=indicator_set, by=case.referred_by,
                                                  interview_language=rng.choice(["fr", "ar", "en", ""]))
        assessment_record_answers(
            assessment=assessment, by=case.referred_by, observations={},
            answers=_answers(rng, indicator_set.parsed.elements, 0.03 if negative else 0.12),
        )
        assessment_complete(assessment=assessment, by=case.referred_by, notes=rng.choice(NOTES))
        assessment_link_to_case(assessment=assessment, case=case, by=case.referred_by)
        Assessment.objects.filter(pk=assessment.pk).update(created_at=case.referred_at, updated_at=case.referred_at,
                                                           completed_at=case.referred_at)
        made += 1
    return made
