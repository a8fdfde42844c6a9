"""The combination rule: from answers to a transparent result. It supports a decision, never takes one.

Only a "yes" counts as an indicator observed. "No", "unknown" and "declined to answer" count as
not observed, so that not knowing can never raise the result, and every new "yes" can only keep or
raise it (the engine is monotone; property tests check both).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from masarat.screening.definition import LEVELS, Definition, Element

YES, NO, UNKNOWN, DECLINED = "yes", "no", "unknown", "declined"
ANSWERS = (YES, NO, UNKNOWN, DECLINED)


@dataclass(frozen=True)
class ElementResult:
    code: str
    group: str
    present: bool
    supporting: tuple[str, ...]  # indicators answered "yes"
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    level: str                   # strong | moderate | weak | none
    suggestion: str              # refer | seek_advice | no_referral
    elements: tuple[ElementResult, ...]
    groups_present: tuple[str, ...]
    answered: int
    unknown: int
    declined: int

    @property
    def present_elements(self) -> tuple[ElementResult, ...]:
        return tuple(element for element in self.elements if element.present)


def _counts(element: Element, answers: Mapping[str, str]) -> tuple[dict[str, int], tuple[str, ...]]:
    supporting = tuple(indicator.code for indicator in element.indicators if answers.get(indicator.code) == YES)
    strengths = {indicator.code: indicator.strength for indicator in element.indicators}
    counts = {strength: sum(1 for code in supporting if strengths[code] == strength)
              for strength in ("strong", "medium", "weak")}
    counts["medium_or_weak"] = counts["medium"] + counts["weak"]
    counts["any"] = len(supporting)
    return counts, supporting


def evaluate(definition: Definition, answers: Mapping[str, str]) -> Result:
    elements = []
    for element in definition.elements:
        counts, supporting = _counts(element, answers)
        present = any(all(counts[key] >= needed for key, needed in condition.items())
                      for condition in definition.rule.element_present)
        elements.append(ElementResult(element.code, element.group, present, supporting, counts))
    groups_present = tuple(group for group in definition.rule.trafficking_groups
                           if any(result.present and result.group == group for result in elements))
    any_yes = any(result.supporting for result in elements)
    if groups_present and len(groups_present) == len(definition.rule.trafficking_groups):
        level = "strong"
    elif len(groups_present) >= definition.rule.moderate_groups:
        level = "moderate"
    elif any(result.present for result in elements) or any_yes:
        level = "weak"
    else:
        level = "none"
    values = list(answers.values())
    return Result(
        level=level, suggestion=definition.rule.suggestions[level], elements=tuple(elements),
        groups_present=groups_present, answered=sum(1 for value in values if value in ANSWERS),
        unknown=values.count(UNKNOWN), declined=values.count(DECLINED),
    )


def level_rank(level: str) -> int:
    """Higher is stronger: none < weak < moderate < strong."""
    return len(LEVELS) - 1 - LEVELS.index(level)
