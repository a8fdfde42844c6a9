"""Assistance plan, child protection and return: the rules a case manager meets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from masarat.audit.models import AuditEvent
from masarat.care.selectors import care_file, child_case_blockers, presumed_child
from masarat.cases import services
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage
from tests.care.helpers import add_record, form_errors
from tests.factories import make_case

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture
def child_case(alice):
    return make_case(by=alice, birth_year=timezone.localdate().year - 15)


def _in_reflection_period_ended(case: Case, by) -> Case:
    services.decision_record(case=case, stage=DecisionStage.PRELIMINARY, outcome=DecisionOutcome.POSITIVE,
                             reasons="Indicators present.", by=by, expected_version=None)
    Case.objects.filter(pk=case.pk).update(reflection_ends_on=timezone.localdate() - timedelta(days=1))
    case.refresh_from_db()
    return case


def _formal_positive(case: Case, by) -> None:
    services.decision_record(case=case, stage=DecisionStage.FORMAL, outcome=DecisionOutcome.POSITIVE,
                             reasons="Identified.", by=by, expected_version=None)


def test_the_plan_is_versioned_and_its_texts_are_encrypted_at_rest(alice_case, bob):
    add_record(alice_case, "plan", bob, goals="Safe housing", wishes="Je veux retourner à l'école.",
               health_needs="Dental care", review_on="2026-05-01")
    add_record(alice_case, "plan", bob, goals="Safe housing and school", wishes="Je veux apprendre un métier.",
               review_on="2026-06-01")

    care = care_file(alice_case)
    assert [plan.goals for plan in care.plans] == ["Safe housing", "Safe housing and school"]
    assert care.plan.wishes == "Je veux apprendre un métier."
    assert [plan.goals for plan in care.earlier_plans] == ["Safe housing"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT wishes, goals FROM care_assistanceplan")
        stored = [value for row in cursor.fetchall() for value in row]
    assert all(value.startswith("ev1:") for value in stored) and not any("métier" in value for value in stored)
    assert AuditEvent.objects.filter(action="case.record.plan", case_reference=alice_case.reference).count() == 2


def test_each_record_bumps_the_case_version_and_a_stale_one_is_refused(alice_case, bob):
    from masarat.cases.records import RECORD_KINDS, record_add

    kind = RECORD_KINDS["plan-action"]
    form = kind.form({"description": "Medical check", "responsible": "Health centre", "due_on": "2026-04-01"},
                     case=alice_case)
    assert form.is_valid()
    with pytest.raises(services.CaseChanged):
        record_add(kind=kind, case=alice_case, form=form, by=bob, expected_version=alice_case.version + 5)
    record_add(kind=kind, case=alice_case, form=form, by=bob, expected_version=alice_case.version)
    assert alice_case.version == 2


def test_an_action_is_overdue_until_done(alice_case, bob):
    action = add_record(alice_case, "plan-action", bob, description="Open a bank account", responsible="NGO",
                        due_on=(timezone.localdate() - timedelta(days=2)).isoformat())
    assert care_file(alice_case).actions[0].due.overdue
    add_record(alice_case, "plan-action-done", bob, action=action.pk, done_on=timezone.localdate().isoformat())
    assert not care_file(alice_case).actions[0].due.overdue
    # Done once: it is no longer offered.
    assert "action" in form_errors(alice_case, "plan-action-done", action=action.pk,
                                   done_on=timezone.localdate().isoformat())


def test_an_action_of_another_case_cannot_be_chosen(alice_case, alice, bob):
    other = make_case(by=alice)
    action = add_record(other, "plan-action", bob, description="x", responsible="y", due_on="2026-04-01")
    assert "action" in form_errors(alice_case, "plan-action-done", action=action.pk, done_on="2026-04-02")


def test_minority_is_presumed_while_the_age_is_disputed(alice_case, bob):
    assert not presumed_child(alice_case)  # born in 1995
    add_record(alice_case, "age-assessment", bob, method="medical", assessed_on="2026-01-10",
               assessed_by="CHU Ibn Sina", youngest_age=16, oldest_age=19, disputed="on")
    assert presumed_child(alice_case)
    add_record(alice_case, "age-assessment", bob, method="documents", assessed_on="2026-02-10",
               assessed_by="Consulate", youngest_age=19, oldest_age=19)
    assert not presumed_child(alice_case)


def test_a_child_by_date_of_birth_is_presumed_a_child(child_case):
    assert presumed_child(child_case)


def test_age_assessment_range_is_checked(alice_case):
    errors = form_errors(alice_case, "age-assessment", method="medical", assessed_on="2026-01-10",
                         assessed_by="CHU", youngest_age=19, oldest_age=16)
    assert "oldest_age" in errors


def test_a_child_case_needs_a_guardian_before_its_formal_decision(child_case, bob):
    case = _in_reflection_period_ended(child_case, bob)
    blockers = child_case_blockers(case)
    assert len(blockers) == 1
    with pytest.raises(services.DecisionRefused) as refused:
        _formal_positive(case, bob)
    assert str(refused.value) == blockers[0]
    case.refresh_from_db()
    assert case.status == Status.REFLECTION_PERIOD and not case.decisions.filter(stage="formal").exists()

    add_record(case, "guardian", bob, guardian_name="Me Karima Alaoui", appointed_by="Juge des mineurs, Rabat",
               appointed_on=(timezone.localdate() - timedelta(days=1)).isoformat())
    assert child_case_blockers(case) == []
    _formal_positive(case, bob)
    assert case.status == Status.IDENTIFIED


def test_a_guardianship_that_ended_blocks_again(child_case, bob):
    today = timezone.localdate()
    add_record(child_case, "guardian", bob, guardian_name="Me X", appointed_by="Juge",
               appointed_on=(today - timedelta(days=30)).isoformat(), ended_on=(today - timedelta(days=1)).isoformat())
    assert child_case_blockers(child_case)


def test_an_adult_case_is_not_held_back(alice_case, bob):
    case = _in_reflection_period_ended(alice_case, bob)
    _formal_positive(case, bob)
    assert case.status == Status.IDENTIFIED


def test_consular_contact_needs_recorded_consent(alice_case):
    base = {"country": "GN", "status": "assessing", "risk_level": "low", "risk_assessment": "Family supportive."}
    errors = form_errors(alice_case, "return", **base, consular_contact_needed="on")
    assert "consular_consent_on" in errors
    errors = form_errors(alice_case, "return", **base, consular_contact_needed="on",
                         consular_consent_on="2026-03-01")
    assert "consular_consent_recorded_by" in errors
    assert form_errors(alice_case, "return", **base, consular_contact_needed="on", consular_consent_on="2026-03-01",
                       consular_consent_recorded_by="Carla, case manager") == {}


def test_a_high_risk_return_cannot_be_approved(alice_case):
    errors = form_errors(alice_case, "return", country="GN", status="approved", risk_level="high",
                         risk_assessment="Traffickers in the home village.")
    assert "risk_level" in errors


def test_reintegration_follow_up_through_a_partner(alice_case, bob):
    voluntary_return = add_record(
        alice_case, "return", bob, country="GN", status="returned", risk_level="low", returned_on="2026-03-01",
        risk_assessment="Family supportive.", partner_organisation="OIM Conakry")
    add_record(alice_case, "reintegration", bob, voluntary_return=voluntary_return.pk, on="2026-06-01",
               partner_organisation="OIM Conakry", notes="Back at school.")
    care = care_file(alice_case)
    assert care.foreign and care.follow_ups[0].notes == "Back at school."


def test_record_pages_follow_the_policy(client, alice_case, bob, dana, case_manager, prosecutor):
    url = f"/cases/{alice_case.reference}/records/plan/"
    for outsider in (dana, case_manager, prosecutor):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    services.case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    client.force_login(case_manager)
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": alice_case.version, "goals": ""})
    assert response.status_code == 400
    assert "goals" in response.context["form"].errors
    assert client.get(f"/cases/{alice_case.reference}/records/unknown-kind/").status_code == 404
