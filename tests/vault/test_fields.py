"""Encrypted model fields through the ORM: what the database holds, what the code reads back."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from masarat.cases.models import CaseEvent, Decision
from masarat.people.models import IdentityDocument, Person
from masarat.referrals.models import Referral, ReferralDraft
from masarat.referrals.services import draft_save
from masarat.referrals.validation import DocumentInput
from masarat.vault.cipher import decrypt
from masarat.vault.fields import encrypted_fields
from tests.factories import make_case


def stored(model, pk, column):
    """The column's text as the database holds it, read without the field's decryption."""
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{model._meta.db_table}" WHERE id = %s', [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def person_case(alice):
    return make_case(by=alice, given_name_latin="Aminata", family_name_latin="Kouyaté",
                     given_name_arabic="أمينة", family_name_arabic="كوياتي", birth_precision="full",
                     birth_date=date(1998, 4, 21), phone="0612345678",
                     documents=[DocumentInput(kind="passport", number="P1234567", issuing_country="ML")])


def test_every_identity_round_trips_and_is_stored_as_a_token(person_case):
    person = Person.objects.get(pk=person_case.person_id)
    assert (person.given_name_latin, person.family_name_latin) == ("Aminata", "Kouyaté")
    assert (person.given_name_arabic, person.family_name_arabic) == ("أمينة", "كوياتي")
    assert (person.birth_year, person.birth_month, person.birth_day) == (1998, 4, 21)
    assert person.phone == "+212612345678"
    assert person.documents.get().number == "P1234567"
    for column in ("given_name_latin", "family_name_arabic", "birth_year", "birth_day", "phone"):
        token, clear = stored(Person, person.pk, column), str(getattr(person, column))
        assert token.startswith("ev1:")
        if len(clear) >= 5:  # a short value (a day: "21") may occur in any random base64 text
            assert clear not in token
        assert decrypt(token, context=f"people.Person.{column}") == str(getattr(person, column))
    assert stored(IdentityDocument, person.documents.get().pk, "number").startswith("ev1:")


def test_free_text_about_the_person_is_encrypted(person_case, bob):
    from masarat.cases.services import decision_record

    decision_record(case=person_case, stage="preliminary", outcome="positive",
                    reasons="Elle décrit des violences graves.", by=bob, expected_version=None)
    referral = Referral.objects.get(case=person_case)
    assert referral.circumstances == "Found working without pay in a farm."
    assert stored(Referral, referral.pk, "circumstances").startswith("ev1:")
    decision = Decision.objects.get(case=person_case)
    assert decision.reasons == "Elle décrit des violences graves."
    assert stored(Decision, decision.pk, "reasons").startswith("ev1:")
    event = next(event for event in CaseEvent.objects.filter(case=person_case) if event.note == decision.reasons)
    assert stored(CaseEvent, event.pk, "note").startswith("ev1:")


def test_estimated_age_and_its_date_round_trip(alice):
    case = make_case(by=alice, birth_precision="estimated_age", birth_year=None, estimated_age=16,
                     consent="not_required_child")
    person = Person.objects.get(pk=case.person_id)
    assert person.estimated_age == 16 and isinstance(person.estimated_on, date)
    assert person.birth_year is None and stored(Person, person.pk, "birth_year") is None
    assert stored(Person, person.pk, "estimated_on").startswith("ev1:")


def test_a_draft_is_stored_encrypted_and_read_back_as_typed(alice):
    draft = draft_save(author=alice, data={"given_name_latin": ["Mariam"], "circumstances": ["Gare routière"]})
    assert ReferralDraft.objects.get(pk=draft.pk).data == {"given_name_latin": ["Mariam"],
                                                           "circumstances": ["Gare routière"]}
    raw = stored(ReferralDraft, draft.pk, "data")
    assert raw.startswith("ev1:") and "Mariam" not in raw


def test_encrypted_columns_refuse_every_lookup_but_isnull(person_case):
    with pytest.raises(FieldError):
        list(Person.objects.filter(given_name_latin="Aminata"))
    with pytest.raises(FieldError):
        list(Person.objects.filter(given_name_latin__icontains="min"))
    assert Person.objects.filter(phone__isnull=False).count() == 1


def test_the_encrypted_columns_are_those_the_security_notes_list():
    listed = {f"{model._meta.label}.{field.name}" for model, field in encrypted_fields()}
    assert listed == {
        "people.Person.given_name_latin", "people.Person.family_name_latin", "people.Person.given_name_arabic",
        "people.Person.family_name_arabic", "people.Person.birth_year", "people.Person.birth_month",
        "people.Person.birth_day", "people.Person.estimated_age", "people.Person.estimated_on",
        "people.Person.phone", "people.IdentityDocument.number", "referrals.Referral.circumstances",
        "referrals.ReferralDraft.data", "cases.Decision.reasons", "cases.Decision.review_reasons",
        "cases.CaseEvent.note", "cases.EmergencyAccess.reason", "screening.Assessment.notes",
        "screening.AssessmentAnswer.observation", "webhooks.Subscription.secret",
        # Case management, proceedings and documents.
        "care.AgeAssessment.notes", "care.AssistancePlan.family_needs", "care.AssistancePlan.goals",
        "care.AssistancePlan.health_needs", "care.AssistancePlan.housing_needs", "care.AssistancePlan.legal_needs",
        "care.AssistancePlan.livelihood_needs", "care.AssistancePlan.psychosocial_needs",
        "care.AssistancePlan.safety_needs", "care.AssistancePlan.wishes", "care.BestInterestsAssessment.assessment",
        "care.BestInterestsAssessment.decision", "care.FamilyTracing.notes", "care.GuardianAppointment.guardian_name",
        "care.PlanAction.description", "care.PlanActionDone.outcome", "care.ReintegrationFollowUp.notes",
        "care.VoluntaryReturn.risk_assessment", "cases.CaseClosure.follow_up_plan", "cases.CaseClosure.reason",
        "cases.CaseClosure.reopen_reason", "documents.CaseDocument.filename",
        "proceedings.Proceeding.protection_measures", "proceedings.ProceedingStep.note",
        "proceedings.SuspectedOffender.designation",
        # Imports of case lists: the file's name, its column names and mapping, the staged rows.
        "imports.ImportJob.filename", "imports.ImportJob.header", "imports.ImportJob.mapping",
        "imports.ImportRow.cells", "imports.ImportRow.problems",
        # Rectification of identities: the identity before and after each correction, its reason.
        "rectification.Rectification.after", "rectification.Rectification.before",
        "rectification.Rectification.reason",
    }
