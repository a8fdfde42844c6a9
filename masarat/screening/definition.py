"""Indicator sets as data: their structure, and the checks a definition must pass to be used.

A definition is a plain mapping (read from YAML or JSON, or edited by an administrator):

    code: ilo-ec-adult-labour          # stable name of the set
    version: 1                         # a new version is made for every change
    population: adult | child
    exploitation: labour | sexual | any
    title: {fr: ..., ar: ..., en: ...}
    source: "where the indicators come from"
    rule:                              # the combination rule, configurable
      element_present:                 # an element is present when ANY of these is met
        - {strong: 2}
        - {strong: 1, medium_or_weak: 1}
      trafficking_groups: [recruitment, exploitation, coercion]   # all present: strong signs
      moderate_groups: 2               # this many of them present: moderate signs
      suggestions: {strong: refer, moderate: refer, weak: seek_advice, none: no_referral}
    elements:
      - code: deceptive_recruitment
        group: recruitment | exploitation | coercion
        title: {fr, ar, en}
        indicators:
          - code: deceived_about_job
            strength: strong | medium | weak
            question: {fr, ar, en}     # asked to the person, in plain words
            observation: {fr, ar, en}  # what the interviewer may notice
            guidance: {fr, ar, en}     # how to ask, what to be careful about
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LANGUAGES = ("fr", "ar", "en")
STRENGTHS = ("strong", "medium", "weak")
GROUPS = ("recruitment", "exploitation", "coercion")
POPULATIONS = ("adult", "child")
EXPLOITATIONS = ("labour", "sexual", "any")
LEVELS = ("strong", "moderate", "weak", "none")
SUGGESTIONS = ("refer", "seek_advice", "no_referral")
CONDITION_KEYS = ("strong", "medium", "weak", "medium_or_weak", "any")


class DefinitionError(ValueError):
    """A definition that cannot be used, with every problem found (path: message)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class Text:
    fr: str
    ar: str
    en: str

    def get(self, language: str) -> str:
        return getattr(self, language[:2], "") or self.fr


@dataclass(frozen=True)
class Indicator:
    code: str
    strength: str
    question: Text
    observation: Text
    guidance: Text


@dataclass(frozen=True)
class Element:
    code: str
    group: str
    title: Text
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Rule:
    element_present: tuple[dict[str, int], ...]
    trafficking_groups: tuple[str, ...]
    moderate_groups: int
    suggestions: dict[str, str]


@dataclass(frozen=True)
class Definition:
    code: str
    version: int
    population: str
    exploitation: str
    title: Text
    source: str
    rule: Rule
    elements: tuple[Element, ...]

    def indicator_codes(self) -> list[str]:
        return [indicator.code for element in self.elements for indicator in element.indicators]


def parse_definition(raw: Any) -> Definition:
    """Build a :class:`Definition`, or raise :class:`DefinitionError` listing every problem."""
    problems: list[str] = []

    def need(mapping: Any, key: str, path: str) -> Any:
        if not isinstance(mapping, dict) or key not in mapping:
            problems.append(f"{path}.{key}: missing")
            return None
        return mapping[key]

    def text(mapping: Any, key: str, path: str) -> Text:
        value = need(mapping, key, path)
        if not isinstance(value, dict):
            if value is not None:
                problems.append(f"{path}.{key}: must give the text in {', '.join(LANGUAGES)}")
            return Text("", "", "")
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value.get(language, "").strip():
                problems.append(f"{path}.{key}.{language}: missing text")
        return Text(*(str(value.get(language, "")).strip() for language in LANGUAGES))

    def choice(mapping: Any, key: str, path: str, allowed: tuple[str, ...]) -> str:
        value = need(mapping, key, path)
        if value is not None and value not in allowed:
            problems.append(f"{path}.{key}: {value!r} is not one of {', '.join(allowed)}")
        return str(value or "")

    if not isinstance(raw, dict):
        raise DefinitionError(["the definition must be a mapping"])
    code = need(raw, "code", "set")
    version = need(raw, "version", "set")
    if version is not None and (not isinstance(version, int) or isinstance(version, bool) or version < 1):
        problems.append("set.version: must be a whole number from 1")
    rule = _parse_rule(need(raw, "rule", "set"), problems)
    seen_codes: set[str] = set()
    seen_elements: set[str] = set()
    elements: list[Element] = []
    raw_elements = need(raw, "elements", "set")
    if raw_elements is not None and (not isinstance(raw_elements, list) or not raw_elements):
        problems.append("set.elements: must be a non-empty list")
        raw_elements = []
    for index, raw_element in enumerate(raw_elements or []):
        path = f"elements[{index}]"
        indicators: list[Indicator] = []
        raw_indicators = need(raw_element, "indicators", path)
        if raw_indicators is not None and (not isinstance(raw_indicators, list) or not raw_indicators):
            problems.append(f"{path}.indicators: must be a non-empty list")
            raw_indicators = []
        for position, raw_indicator in enumerate(raw_indicators or []):
            ipath = f"{path}.indicators[{position}]"
            indicator_code = str(need(raw_indicator, "code", ipath) or "")
            if indicator_code in seen_codes:
                problems.append(f"{ipath}.code: {indicator_code!r} is used twice")
            seen_codes.add(indicator_code)
            indicators.append(Indicator(
                code=indicator_code, strength=choice(raw_indicator, "strength", ipath, STRENGTHS),
                question=text(raw_indicator, "question", ipath), observation=text(raw_indicator, "observation", ipath),
                guidance=text(raw_indicator, "guidance", ipath),
            ))
        element_code = str(need(raw_element, "code", path) or "")
        if element_code in seen_elements:
            problems.append(f"{path}.code: {element_code!r} is used twice")
        seen_elements.add(element_code)
        elements.append(Element(
            code=element_code, group=choice(raw_element, "group", path, GROUPS),
            title=text(raw_element, "title", path), indicators=tuple(indicators),
        ))
    definition = Definition(
        code=str(code or ""), version=version if isinstance(version, int) else 0,
        population=choice(raw, "population", "set", POPULATIONS),
        exploitation=choice(raw, "exploitation", "set", EXPLOITATIONS),
        title=text(raw, "title", "set"), source=str(raw.get("source", "")), rule=rule, elements=tuple(elements),
    )
    present_groups = {element.group for element in elements}
    for group in rule.trafficking_groups:
        if group not in present_groups and elements:
            problems.append(f"rule.trafficking_groups: no element belongs to the group {group!r}")
    if problems:
        raise DefinitionError(problems)
    return definition


def _parse_rule(raw: Any, problems: list[str]) -> Rule:
    if not isinstance(raw, dict):
        problems.append("set.rule: must be a mapping")
        return Rule((), (), 1, {})
    conditions: list[dict[str, int]] = []
    for index, condition in enumerate(raw.get("element_present") or []):
        if not isinstance(condition, dict) or not condition or any(
            key not in CONDITION_KEYS or not isinstance(value, int) or value < 1 for key, value in condition.items()
        ):
            problems.append(f"rule.element_present[{index}]: counts of {', '.join(CONDITION_KEYS)} from 1")
            continue
        conditions.append(dict(condition))
    if not conditions:
        problems.append("rule.element_present: give at least one combination")
    groups = raw.get("trafficking_groups") or []
    if not isinstance(groups, list) or not groups or any(group not in GROUPS for group in groups):
        problems.append(f"rule.trafficking_groups: a list of {', '.join(GROUPS)}")
        groups = []
    moderate = raw.get("moderate_groups", max(1, len(groups) - 1))
    if not isinstance(moderate, int) or isinstance(moderate, bool) or not 1 <= moderate <= max(1, len(groups)):
        problems.append("rule.moderate_groups: a number of groups from 1 to the number of trafficking groups")
        moderate = 1
    suggestions = raw.get("suggestions") or {}
    if not isinstance(suggestions, dict) or set(suggestions) != set(LEVELS) or any(
        value not in SUGGESTIONS for value in suggestions.values()
    ):
        problems.append(f"rule.suggestions: one of {', '.join(SUGGESTIONS)} for each level {', '.join(LEVELS)}")
        suggestions = {}
    return Rule(tuple(conditions), tuple(groups), moderate, dict(suggestions))
