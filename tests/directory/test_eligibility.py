from __future__ import annotations

import pytest

from masarat.directory.eligibility import Profile, refusals
from masarat.directory.models import Service
from masarat.directory.vocabulary import Audience, NationalityRule

ADULT_WOMAN = Profile(sex="female", age=30, is_child=False, nationality="GN", region="MA-04",
                      exploitation_forms=frozenset({"ForcedLabour"}), languages=("fr",))


def service(**fields) -> Service:
    return Service(**fields)


@pytest.mark.parametrize(("fields", "refused"), [
    ({}, False),
    ({"audience": Audience.MEN}, True),
    ({"audience": Audience.WOMEN}, False),
    ({"min_age": 18}, False),
    ({"max_age": 17}, True),
    ({"min_age": 35}, True),
    ({"nationality_rule": NationalityRule.MOROCCAN}, True),
    ({"nationality_rule": NationalityRule.FOREIGN}, False),
    ({"exploitation_forms": ["SexualExploitation"]}, True),
    ({"exploitation_forms": ["SexualExploitation", "ForcedLabour"]}, False),
])
def test_eligibility_of_an_adult_woman(fields, refused):
    assert bool(refusals(service(**fields), ADULT_WOMAN)) is refused


def test_a_child_of_unknown_age_never_goes_to_an_adults_service():
    child = Profile(sex="male", age=None, is_child=True, nationality="MA", region="MA-04")
    assert refusals(service(min_age=18), child)
    assert not refusals(service(max_age=17), child)


def test_reasons_say_what_does_not_fit():
    reasons = refusals(service(audience=Audience.MEN, nationality_rule=NationalityRule.MOROCCAN), ADULT_WOMAN)
    assert reasons == ["takes men and boys only", "takes Moroccan nationals only"]
