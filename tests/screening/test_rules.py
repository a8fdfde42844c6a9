"""The combination rule, on worked cases and on properties that must hold for any answers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masarat.screening.definition import DefinitionError, parse_definition
from masarat.screening.rules import ANSWERS, DECLINED, NO, UNKNOWN, YES, evaluate, level_rank
from tests.screening.factories import child_set, small_set

ADULT = parse_definition(small_set())
CHILD = parse_definition(child_set())
CODES = ADULT.indicator_codes()
STRONG = [code for code in CODES if "strong" in code]


def present(result) -> dict[str, bool]:
    return {element.code: element.present for element in result.elements}


def test_two_strong_indicators_make_an_element_present():
    result = evaluate(ADULT, {"d_strong_1": YES, "d_strong_2": YES})
    assert present(result) == {"deception": True, "conditions": False, "coercion": False}
    assert result.elements[0].supporting == ("d_strong_1", "d_strong_2")


def test_one_strong_and_one_weaker_indicator_make_an_element_present():
    assert present(evaluate(ADULT, {"d_strong_1": YES, "d_weak": YES}))["deception"]
    assert present(evaluate(ADULT, {"d_strong_1": YES, "d_medium": YES}))["deception"]


def test_one_strong_indicator_alone_or_weak_ones_alone_do_not():
    assert not present(evaluate(ADULT, {"d_strong_1": YES}))["deception"]
    assert not present(evaluate(ADULT, {"d_medium": YES, "d_weak": YES}))["deception"]


def test_all_three_groups_present_is_strong_and_suggests_referral():
    answers = {"d_strong_1": YES, "d_strong_2": YES, "c_strong_1": YES, "c_medium": YES,
               "k_strong_1": YES, "k_weak": YES}
    result = evaluate(ADULT, answers)
    assert (result.level, result.suggestion) == ("strong", "refer")
    assert result.groups_present == ("recruitment", "exploitation", "coercion")


def test_two_groups_are_moderate_one_element_is_weak_nothing_is_none():
    two = {"c_strong_1": YES, "c_strong_2": YES, "k_strong_1": YES, "k_strong_2": YES}
    assert evaluate(ADULT, two).level == "moderate"
    assert (evaluate(ADULT, {"c_strong_1": YES, "c_strong_2": YES}).level,
            evaluate(ADULT, {"c_strong_1": YES, "c_strong_2": YES}).suggestion) == ("weak", "seek_advice")
    assert evaluate(ADULT, {"d_weak": YES}).level == "weak"
    assert (evaluate(ADULT, dict.fromkeys(CODES, NO)).level,
            evaluate(ADULT, {}).suggestion) == ("none", "no_referral")


def test_for_a_child_the_means_are_not_needed():
    answers = {"d_strong_1": YES, "d_strong_2": YES, "c_strong_1": YES, "c_strong_2": YES}
    assert evaluate(CHILD, answers).level == "strong"
    assert evaluate(ADULT, answers).level == "moderate"


def test_unknown_and_declined_are_counted_but_weigh_nothing():
    result = evaluate(ADULT, {"d_strong_1": UNKNOWN, "d_strong_2": DECLINED, "c_medium": YES})
    assert (result.unknown, result.declined, result.answered) == (1, 1, 3)
    assert result.level == "weak"


answers_strategy = st.dictionaries(st.sampled_from(CODES), st.sampled_from(ANSWERS))


@given(answers_strategy, st.sampled_from(STRONG))
def test_adding_a_strong_indicator_never_lowers_the_result(answers, code):
    for definition in (ADULT, CHILD):
        before = evaluate(definition, answers).level
        after = evaluate(definition, {**answers, code: YES}).level
        assert level_rank(after) >= level_rank(before)


@given(answers_strategy, st.sampled_from(CODES))
def test_answering_unknown_never_raises_the_result(answers, code):
    for definition in (ADULT, CHILD):
        before = evaluate(definition, answers).level
        after = evaluate(definition, {**answers, code: UNKNOWN}).level
        assert level_rank(after) <= level_rank(before)


def test_a_broken_definition_lists_every_problem():
    broken = small_set(version=0, population="elderly")
    broken["elements"][0]["indicators"][0]["strength"] = "huge"
    broken["elements"][0]["indicators"][1]["question"] = {"fr": "Question ?"}
    broken["elements"][1]["indicators"][0]["code"] = "d_strong_1"
    with pytest.raises(DefinitionError) as refused:
        parse_definition(broken)
    problems = " | ".join(refused.value.problems)
    for expected in ("set.version", "set.population", "strength", "question.ar", "used twice"):
        assert expected in problems


def test_the_rule_is_data_and_is_checked():
    with pytest.raises(DefinitionError):
        parse_definition(small_set(rule={"element_present": [{"huge": 1}], "trafficking_groups": ["nowhere"],
                                         "suggestions": {}}))


def test_element_codes_must_be_unique():
    twice = small_set()
    twice["elements"][1]["code"] = "deception"
    with pytest.raises(DefinitionError) as refused:
        parse_definition(twice)
    assert "used twice" in " ".join(refused.value.problems)
