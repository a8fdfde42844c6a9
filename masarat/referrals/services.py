"""Referral drafts and submission: the entry of a person into the mechanism."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, CaseEvent, CaseExploitation, CasePlace
from masarat.cases.schedule import apply_deadline
from masarat.cases.services import next_reference
from masarat.cases.vocabulary import PlaceRole
from masarat.deadlines.calendar import working_calendar
from masarat.duplicates.services import after_referral
from masarat.notifications.models import Kind
from masarat.notifications.services import notify
from masarat.people.ages import age_band
from masarat.people.models import IdentityDocument, Person, PersonLanguage, PersonNationality
from masarat.people.search import person_index_refresh
from masarat.referrals.models import Referral, ReferralDraft, ReferralIndicator
from masarat.referrals.validation import ReferralErrors, ReferralInput, validate_referral
from masarat.referrals.vocabulary import UrgentNeed
from masarat.screening.models import Assessment
from masarat.screening.services import assessment_link_to_case
from masarat.webhooks import services as webhooks
from masarat.webhooks.models import Event

DraftData = dict[str, list[str]]


def draft_for_author(*, author: User, draft_id: int) -> ReferralDraft:
    """A draft is visible to its author only; anyone else is told it does not exist."""
    draft = ReferralDraft.objects.filter(pk=draft_id, author=author).first()
    if draft is None or not policy.can_refer(author):
        raise Http404
    record_event(actor=author, action="referral_draft.read", target_type="referral_draft", target_id=str(draft.pk))
    return draft


@transaction.atomic
def draft_save(*, author: User, data: DraftData, draft: ReferralDraft | None = None) -> ReferralDraft:
    policy.require(policy.can_refer(author))
    if draft is None:
        draft = ReferralDraft(author=author)
    elif draft.author_id != author.pk:
        raise Http404
    draft.data = data
    draft.save()
    record_event(actor=author, action="referral_draft.save", target_type="referral_draft", target_id=str(draft.pk))
    return draft


@transaction.atomic
def draft_delete(*, author: User, draft: ReferralDraft) -> None:
    if draft.author_id != author.pk:
        raise Http404
    record_event(actor=author, action="referral_draft.delete", target_type="referral_draft",
                 target_id=str(draft.pk))
    draft.delete()


def referral_submit(
    *, data: ReferralInput, by: User, draft: ReferralDraft | None = None, submission_key: str = "",
    assessment: Assessment | None = None, received_at: datetime | None = None,
) -> Case:
    """Validate and record a referral. An adult's refusal of consent keeps no identifying data.

    A repeated submission with the same ``submission_key`` (a double click, a retried request)
    returns the case recorded the first time instead of referring the person twice.

    ``received_at`` is the moment the referral was received when that was before now (a record
    imported from paper, the demo's history): the case is dated, numbered in the year and given
    its first deadline from that moment. The audit trail still records when it was entered.
    """
    policy.require(policy.can_refer(by))
    key = submission_key.strip()[:64] or None
    if key and (earlier := case_submitted_with(key, by)):
        return earlier
    try:
        return _referral_create(data=data, by=by, draft=draft, submission_key=key, assessment=assessment,
                                received_at=received_at)
    except IntegrityError:
        if key and (earlier := case_submitted_with(key, by)):
            return earlier
        raise


def case_submitted_with(key: str, by: User) -> Case | None:
    """The case a submission with this key recorded, if this user made it."""
    key = key.strip()[:64]
    return Case.objects.filter(referral__submission_key=key, referred_by=by).first() if key else None


@transaction.atomic
def _referral_create(*, data: ReferralInput, by: User, draft: ReferralDraft | None, submission_key: str | None,
                     assessment: Assessment | None, received_at: datetime | None = None) -> Case:
    now = timezone.now()
    if received_at is not None and received_at > now:
        raise ReferralErrors({"__all__": [_("A referral cannot be received in the future.")]})
    received = received_at or now
    today = timezone.localdate(received)  # the day of the referral: ages, minority and deadlines count from it
    data = validate_referral(data, today=today)
    birth = data.birth(today)
    age = birth.youngest_age_on(today)
    child = age is not None and age < 18

    person = None if data.is_anonymous else _create_person(data, today)
    case = Case(
        reference=next_reference(today.year),
        status=Status.ANONYMOUS_NOTIFICATION if data.is_anonymous else Status.REFERRED,
        person=person,
        referring_agency=by.agency,
        referred_by=by,
        region=data.region,
        sex=data.sex,
        is_child=child,
        # An anonymous notification keeps only coarse facts: an exact age or date could single a person out.
        age_at_referral=None if data.is_anonymous else age,
        age_band=age_band(age),
        nationality=data.nationalities[0] if data.nationalities else "",
        encountered_on=None if data.is_anonymous else data.encountered_on,
        referred_at=received,
    )
    case.waiting_since = today
    apply_deadline(case, working_calendar())
    case.save()
    CaseExploitation.objects.bulk_create(
        CaseExploitation(case=case, form=form) for form in dict.fromkeys(data.exploitation_forms)
    )
    _create_places(case, data)
    needs = set(data.urgent_needs)
    referral = Referral.objects.create(
        case=case,
        circumstances="" if data.is_anonymous else data.circumstances,
        consent=data.consent,
        consent_informed_by=data.consent_informed_by,
        consent_language="" if data.is_anonymous else data.consent_language,
        urgent_medical=UrgentNeed.MEDICAL in needs,
        urgent_shelter=UrgentNeed.SHELTER in needs,
        urgent_safety=UrgentNeed.SAFETY in needs,
        urgent_interpreter=UrgentNeed.INTERPRETER in needs,
        submission_key=submission_key,
    )
    ReferralIndicator.objects.bulk_create(
        ReferralIndicator(referral=referral, indicator=indicator) for indicator in dict.fromkeys(data.indicators)
    )
    action = "anonymous_notification" if data.is_anonymous else "referral_submitted"
    CaseEvent.objects.create(case=case, actor=by, action=action, to_status=case.status)
    record_event(actor=by, action=f"case.{action}", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference,
                 details={"received_at": received.isoformat()} if received_at is not None else None)
    webhooks.emit(event=Event.REFERRAL_CREATED, reference=case.reference)
    if case.status == Status.REFERRED:
        notify(Kind.NEW_REFERRAL, case=case, by=by)
    if assessment is not None:
        # The screening travels with the referral: the coordinator sees it next to the decision.
        assessment_link_to_case(assessment=assessment, case=case, by=by)
    if draft is not None and ReferralDraft.objects.filter(pk=draft.pk).exists():
        draft_delete(author=by, draft=draft)
    if person is not None:
        after_referral(case)  # the duplicate check; an automatic link, if an administrator allowed them
    return case


def _create_person(data: ReferralInput, referred_on: date) -> Person:
    birth = data.birth(referred_on)
    person = Person.objects.create(
        given_name_latin=data.given_name_latin,
        family_name_latin=data.family_name_latin,
        given_name_arabic=data.given_name_arabic,
        family_name_arabic=data.family_name_arabic,
        sex=data.sex,
        birth_precision=data.birth_precision,
        birth_year=birth.year,
        birth_month=birth.month,
        birth_day=birth.day,
        estimated_age=birth.estimated_age,
        estimated_on=birth.estimated_on,
        phone=data.phone,
    )
    PersonNationality.objects.bulk_create(
        PersonNationality(person=person, country=code) for code in dict.fromkeys(data.nationalities)
    )
    PersonLanguage.objects.bulk_create(
        PersonLanguage(person=person, language=code) for code in dict.fromkeys(data.languages)
    )
    IdentityDocument.objects.bulk_create(
        IdentityDocument(person=person, kind=doc.kind, number=doc.number, issuing_country=doc.issuing_country,
                         is_held_by_person=doc.is_held_by_person)
        for doc in data.documents
    )
    person_index_refresh(person)
    return person


def _create_places(case: Case, data: ReferralInput) -> None:
    places: dict[tuple[str, str, str], CasePlace] = {}

    def add(role: str, country: str, region: str = "") -> None:
        places.setdefault((role, country, region), CasePlace(case=case, role=role, country=country, region=region))

    for code in data.recruitment_countries:
        add(PlaceRole.RECRUITMENT, code)
    for code in data.exploitation_countries:
        if code != "MA" or not data.exploitation_regions:
            add(PlaceRole.EXPLOITATION, code)
    for region in data.exploitation_regions:
        add(PlaceRole.EXPLOITATION, "MA", region)
    CasePlace.objects.bulk_create(places.values())


def draft_data_from_post(post: Any) -> DraftData:
    """Keep a submitted form exactly as typed, without the CSRF token and buttons."""
    return {key: post.getlist(key) for key in post if key not in {"csrfmiddlewaretoken", "action"}}
