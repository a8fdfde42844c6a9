"""A small indicator set written for the tests, so that worked cases do not depend on the shipped data."""

from __future__ import annotations

import copy
from typing import Any


def text(word: str) -> dict[str, str]:
    return {"fr": f"{word} (fr)", "ar": f"{word} (ar)", "en": word}


def indicator(code: str, strength: str) -> dict[str, Any]:
    return {"code": code, "strength": strength, "question": text(f"Question {code}?"),
            "observation": text(f"Observation {code}"), "guidance": text(f"Guidance {code}")}


ADULT_RULE = {
    "element_present": [{"strong": 2}, {"strong": 1, "medium_or_weak": 1}],
    "trafficking_groups": ["recruitment", "exploitation", "coercion"], "moderate_groups": 2,
    "suggestions": {"strong": "refer", "moderate": "refer", "weak": "seek_advice", "none": "no_referral"},
}

SMALL_SET: dict[str, Any] = {
    "code": "test-adult", "version": 1, "population": "adult", "exploitation": "labour",
    "title": text("Test set"), "source": "written for the tests",
    "rule": ADULT_RULE,
    "elements": [
        {"code": "deception", "group": "recruitment", "title": text("Deception"),
         "indicators": [indicator("d_strong_1", "strong"), indicator("d_strong_2", "strong"),
                        indicator("d_medium", "medium"), indicator("d_weak", "weak")]},
        {"code": "conditions", "group": "exploitation", "title": text("Conditions"),
         "indicators": [indicator("c_strong_1", "strong"), indicator("c_strong_2", "strong"),
                        indicator("c_medium", "medium")]},
        {"code": "coercion", "group": "coercion", "title": text("Coercion"),
         "indicators": [indicator("k_strong_1", "strong"), indicator("k_strong_2", "strong"),
                        indicator("k_weak", "weak")]},
    ],
}


def small_set(**overrides: Any) -> dict[str, Any]:
    data = copy.deepcopy(SMALL_SET)
    data.update(overrides)
    return data


def child_set() -> dict[str, Any]:
    rule = {**ADULT_RULE, "trafficking_groups": ["recruitment", "exploitation"], "moderate_groups": 1,
            "suggestions": {"strong": "refer", "moderate": "refer", "weak": "refer", "none": "no_referral"}}
    return small_set(code="test-child", population="child", rule=rule)
