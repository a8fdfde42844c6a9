"""Rectification of a person's identity: correct, keep the earlier values encrypted, restore them.

The person's blind indexes (search and duplicate detection) are recomputed in the same
transaction, so that search finds the corrected name and no longer the old one, and the statistical
profile of the person's cases (sex, first nationality, age at referral, child or adult) follows.
"""

from __future__ import annotations

import json
from datetime import date

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.duplicates.services import person_check
from masarat.people.ages import BirthDate, age_band
from masarat.people.models import Person
from masarat.people.search import person_index_refresh
from masarat.people.vocabulary import BirthDatePrecision
from masarat.rectification.identity import Identity, changed_fields, identity_apply, identity_of
from masarat.rectification.models import Rectification
from masarat.referrals.validation import ReferralInput, validate_identity
from masarat.vault.blind import blind_index


class RectificationRefused(Exception):
    """The correction cannot be made; the message says why (nothing was changed)."""


class IdentityChanged(RectificationRefused):
    def __init__(self) -> None:
        super().__init__(_("The identity was changed by someone else since you opened this page. "
                           "What you typed is below: compare it with the values now recorded, then save again."))


def identity_version(person: Person) -> str:
    """What the form carries to refuse a stale correction: a keyed hash of the identity as read and of
    the last rectification (a keyed hash, so the page shows nothing the values would not)."""
    last = Rectification.objects.filter(person=person).order_by("-pk").values_list("pk", flat=True).first()
    state = json.dumps({"identity": identity_of(person), "last": last}, sort_keys=True, ensure_ascii=False)
    return blind_index("rectification:version", state)


def identity_from_input(data: ReferralInput, current: Identity, today: date) -> Identity:
    """The identity a validated form describes. An estimated age left as it was keeps the day it was
    estimated on; a new estimate is dated today."""
    birth = data.birth(today)
    estimated_on = birth.estimated_on.isoformat() if birth.estimated_on else None
    if (data.birth_precision == BirthDatePrecision.ESTIMATED_AGE
            and current["birth_precision"] == BirthDatePrecision.ESTIMATED_AGE
            and current["estimated_age"] == data.estimated_age):
        estimated_on = current["estimated_on"]
    return {
        "given_name_latin": data.given_name_latin, "family_name_latin": data.family_name_latin,
        "given_name_arabic": data.given_name_arabic, "family_name_arabic": data.family_name_arabic,
        "sex": data.sex, "birth_precision": data.birth_precision, "birth_year": birth.year,
        "birth_month": birth.month, "birth_day": birth.day, "estimated_age": birth.estimated_age,
        "estimated_on": estimated_on, "phone": data.phone,
        "nationalities": list(dict.fromkeys(data.nationalities)),
        "languages": sorted(dict.fromkeys(data.languages)),
        "documents": [{"kind": row.kind, "number": row.number, "issuing_country": row.issuing_country,
                       "is_held_by_person": row.is_held_by_person} for row in data.documents],
    }


def _locked_person(case: Case, by: User, expected_version: str) -> Person:
    from masarat.rights.models import Erasure

    policy.require(policy.can_rectify_identity(by, case))
    assert case.person_id is not None  # the policy refuses an anonymous notification
    person = Person.objects.select_for_update().get(pk=case.person_id)
    if Erasure.objects.filter(person=person).exists():
        raise RectificationRefused(_("This person's data was erased: there is nothing left to correct."))
    if identity_version(person) != expected_version:
        raise IdentityChanged
    return person


@transaction.atomic
def identity_rectify(*, case: Case, data: ReferralInput, reason: str, requested_by_person: bool, by: User,
                     expected_version: str, today: date | None = None) -> Rectification:
    """Correct the identity of the person of ``case``. Raises ``ReferralErrors`` for invalid values,
    :class:`RectificationRefused` (or :class:`IdentityChanged`) when it cannot be done."""
    person = _locked_person(case, by, expected_version)
    if not reason.strip():
        raise RectificationRefused(_("Give the reason for the correction."))
    data = validate_identity(data, today=today)
    before = identity_of(person)
    after = identity_from_input(data, before, today or timezone.localdate())
    return _rectify(person=person, case=case, before=before, after=after, reason=reason,
                    requested_by_person=requested_by_person, by=by)


@transaction.atomic
def rectification_restore(*, case: Case, rectification: Rectification, reason: str, requested_by_person: bool,
                          by: User, expected_version: str) -> Rectification:
    """Undo a correction: a new rectification that puts back the values the fields it changed had before."""
    person = _locked_person(case, by, expected_version)
    if rectification.person_id != person.pk:
        raise RectificationRefused(_("This correction is not one of this person."))
    if not reason.strip():
        raise RectificationRefused(_("Give the reason for the correction."))
    before = identity_of(person)
    after = {**before, **{name: rectification.before[name] for name in rectification.changed_fields}}
    return _rectify(person=person, case=case, before=before, after=after, reason=reason,
                    requested_by_person=requested_by_person, by=by, restores=rectification)


def _rectify(*, person: Person, case: Case, before: Identity, after: Identity, reason: str,
             requested_by_person: bool, by: User, restores: Rectification | None = None) -> Rectification:
    changed = changed_fields(before, after)
    if not changed:
        raise RectificationRefused(_("Nothing differs from the identity recorded: nothing was changed."))
    identity_apply(person, after)
    person_index_refresh(person)  # search and duplicate detection: the new values found, the old ones gone
    person_check(person)  # the possible duplicates of the corrected identity, in place of the old ones
    _case_profiles_refresh(person)
    rectification = Rectification.objects.create(
        person=person, case=case, made_by=by, requested_by_person=requested_by_person, reason=reason.strip(),
        changed_fields=changed, before=before, after=after, restores=restores,
    )
    record_event(actor=by, action="person.rectify", target_type="person", target_id=str(person.pk),
                 case_reference=case.reference,
                 details={"rectification": rectification.pk, "fields": changed,
                          "requested_by_person": requested_by_person,
                          "restores": restores.pk if restores is not None else None})
    return rectification


def _case_profiles_refresh(person: Person) -> None:
    """The statistical profile each case copied from the person at referral, recomputed (a new case version)."""
    nationality = person.nationalities.order_by("pk").values_list("country", flat=True).first() or ""
    birth = BirthDate(year=person.birth_year, month=person.birth_month, day=person.birth_day,
                      estimated_age=person.estimated_age, estimated_on=person.estimated_on)
    for case in Case.objects.filter(person=person):
        age = birth.youngest_age_on(timezone.localdate(case.referred_at))
        Case.objects.filter(pk=case.pk).update(
            sex=person.sex, nationality=nationality, age_at_referral=age, age_band=age_band(age),
            is_child=age is not None and age < 18, version=F("version") + 1,
        )


def rectification_history(*, case: Case, viewer: User) -> QuerySet[Rectification]:
    """The corrections of the identity of the person of ``case``, newest first."""
    policy.require(policy.can_rectify_identity(viewer, case))
    assert case.person_id is not None
    return Rectification.objects.filter(person_id=case.person_id).select_related("made_by", "case")


def rectification_history_read(*, case: Case, viewer: User, rows: list[Rectification]) -> None:
    """Audit the reading of the earlier values shown (the corrections on the page, by number)."""
    record_event(actor=viewer, action="person.rectification_read", target_type="person",
                 target_id=str(case.person_id), case_reference=case.reference,
                 details={"rectifications": [row.pk for row in rows]})
