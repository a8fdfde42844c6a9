"""The indicator sets shipped with Masarat: valid, complete in three languages, and usable."""

from __future__ import annotations

import pytest

from masarat.screening.definition import LANGUAGES, parse_definition
from masarat.screening.models import IndicatorSet
from masarat.screening.rules import NO, YES, evaluate
from masarat.screening.services import DATA_DIR, read_definition_file

FILES = sorted(DATA_DIR.glob("*.yaml"))
EXPECTED = {"ilo-ec-adult-labour", "ilo-ec-adult-sexual", "ilo-ec-child-labour", "ilo-ec-child-sexual",
            "ilo-forced-labour-11"}


def test_the_five_sets_are_shipped():
    assert {path.stem for path in FILES} == EXPECTED


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_each_set_is_valid_and_every_element_can_be_shown(path):
    definition = parse_definition(read_definition_file(path))
    assert definition.code == path.stem
    for element in definition.elements:
        for indicator in element.indicators:
            for language in LANGUAGES:
                assert indicator.question.get(language).strip()
    everything = evaluate(definition, dict.fromkeys(definition.indicator_codes(), YES))
    assert all(element.present for element in everything.elements), "an element can never be present"
    assert (everything.level, everything.suggestion) == ("strong", "refer")
    assert evaluate(definition, dict.fromkeys(definition.indicator_codes(), NO)).level == "none"


def test_the_ilo_ec_lists_have_the_six_elements_in_their_groups():
    for path in FILES:
        definition = parse_definition(read_definition_file(path))
        if not definition.code.startswith("ilo-ec-"):
            continue
        assert [element.group for element in definition.elements] == [
            "recruitment", "recruitment", "recruitment", "exploitation", "coercion", "coercion"]


def test_migrate_installs_them(db):
    assert set(IndicatorSet.objects.filter(is_active=True).values_list("code", flat=True)) >= EXPECTED
