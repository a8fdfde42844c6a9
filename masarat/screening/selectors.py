"""What a screening's pages show: questions in the right language, and a result that explains itself."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from masarat.accounts.models import User
from masarat.screening.models import Assessment, Level, Suggestion
from masarat.screening.rules import Result
from masarat.screening.services import assessment_result


@dataclass(frozen=True)
class SupportingAnswer:
    question: str
    strength: str
    observation: str


@dataclass(frozen=True)
class ElementExplanation:
    title: str
    group: str
    present: bool
    supporting: list[SupportingAnswer]


@dataclass(frozen=True)
class Explanation:
    level: str
    level_label: str
    suggestion: str
    suggestion_label: str
    elements: list[ElementExplanation]
    answered: int
    total: int
    unknown: int
    declined: int


def explain(assessment: Assessment, language: str, result: Result | None = None) -> Explanation:
    """Which elements are present, and on which answers: the result as a person can check it."""
    result = result or assessment_result(assessment)
    definition = assessment.indicator_set.parsed
    observations = assessment.observations_by_code()
    by_code = {element.code: element for element in definition.elements}
    elements = []
    for element_result in result.elements:
        element = by_code[element_result.code]
        indicators = {indicator.code: indicator for indicator in element.indicators}
        elements.append(ElementExplanation(
            title=element.title.get(language), group=element.group, present=element_result.present,
            supporting=[SupportingAnswer(indicators[code].question.get(language), indicators[code].strength,
                                         observations.get(code, ""))
                        for code in element_result.supporting],
        ))
    return Explanation(
        level=result.level, level_label=str(Level(result.level).label), suggestion=result.suggestion,
        suggestion_label=str(Suggestion(result.suggestion).label), elements=elements,
        answered=result.answered, total=len(definition.indicator_codes()), unknown=result.unknown,
        declined=result.declined,
    )


def screenings_of(*, assessor: User) -> QuerySet[Assessment]:
    """A responder's own screenings that have not (yet) travelled with a referral."""
    return (Assessment.objects.filter(assessor=assessor, case__isnull=True)
            .select_related("indicator_set").order_by("-updated_at"))
