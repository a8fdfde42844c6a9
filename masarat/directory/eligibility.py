"""Whether a service takes a given person: sex, age, nationality, form of exploitation.

Works on a :class:`Profile` (what the case says, never identities), so that the same rule serves the
ranking of suggestions, the directory search and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from masarat.directory.models import Service
from masarat.directory.vocabulary import Audience, NationalityRule
from masarat.people.vocabulary import Sex

MOROCCO = "MA"


@dataclass(frozen=True)
class Profile:
    sex: str
    age: int | None
    is_child: bool
    nationality: str
    region: str
    exploitation_forms: frozenset[str] = frozenset()
    languages: tuple[str, ...] = field(default=())


def refusals(service: Service, profile: Profile) -> list[str]:
    """Why ``service`` does not take this person (empty when it does)."""
    reasons = []
    if service.audience == Audience.WOMEN and profile.sex == Sex.MALE:
        reasons.append(_("takes women and girls only"))
    if service.audience == Audience.MEN and profile.sex == Sex.FEMALE:
        reasons.append(_("takes men and boys only"))
    age = profile.age
    if age is None:
        # Without a known age, a child's case still goes only to services that take children.
        if profile.is_child and service.min_age is not None and service.min_age >= 18:
            reasons.append(_("takes adults only"))
        if not profile.is_child and service.max_age is not None and service.max_age < 18:
            reasons.append(_("takes children only"))
    else:
        if service.min_age is not None and age < service.min_age:
            reasons.append(_("takes persons from %(age)s years old") % {"age": service.min_age})
        if service.max_age is not None and age > service.max_age:
            reasons.append(_("takes persons up to %(age)s years old") % {"age": service.max_age})
    if service.nationality_rule == NationalityRule.MOROCCAN and profile.nationality != MOROCCO:
        reasons.append(_("takes Moroccan nationals only"))
    if service.nationality_rule == NationalityRule.FOREIGN and profile.nationality in ("", MOROCCO):
        reasons.append(_("takes foreign nationals only"))
    if service.exploitation_forms and not profile.exploitation_forms & set(service.exploitation_forms):
        reasons.append(_("specialised in other forms of exploitation"))
    return reasons
