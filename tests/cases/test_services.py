"""Decisions, reviews, reconsideration and closure through the services, with their audit trail."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masarat.audit.models import AuditEvent
from masarat.cases import services
from masarat.cases.lifecycle import IllegalTransition, Status
from masarat.cases.models import Case, DeadlineStep
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage
from masarat.deadlines.calendar import working_calendar
from tests.factories import make_case


def decide(case, by, outcome, stage=DecisionStage.PRELIMINARY):
    return services.decision_record(case=case, stage=stage, outcome=outcome, reasons="Because.", by=by,
                                    expected_version=None)


def test_a_referral_is_due_for_acknowledgement_within_one_working_day(alice_case):
    assert alice_case.due_step == DeadlineStep.ACKNOWLEDGE
    assert alice_case.due_on > timezone.localdate()


def test_references_are_sequential_per_year(alice):
    first, second = make_case(by=alice), make_case(by=alice)
    year = timezone.localdate().year
    assert first.reference == f"MNR-{year}-000001"
    assert second.reference == f"MNR-{year}-000002"


def test_positive_preliminary_decision_starts_the_reflection_period(alice_case, bob):
    decide(alice_case, bob, DecisionOutcome.POSITIVE)
    case = Case.objects.get(pk=alice_case.pk)
    assert case.status == Status.REFLECTION_PERIOD
    assert case.acknowledged_at is not None  # deciding acknowledges
    assert case.reflection_ends_on == timezone.localdate() + timedelta(days=30)
    assert case.due_step == DeadlineStep.FORMAL_DECISION
    assert case.due_on == working_calendar().add_working_days(case.reflection_ends_on, 5)
    assert [event.action for event in case.events.all()] == ["referral_submitted", "acknowledge",
                                                              "assign_coordinator", "preliminary_positive"]
    assert case.assigned_coordinator == bob
    assert AuditEvent.objects.filter(action="case.decision", case_reference=case.reference, actor=bob).exists()


def test_reflection_period_length_is_configurable(alice_case, bob, settings):
    settings.MASARAT_DEADLINES = {**settings.MASARAT_DEADLINES, "reflection_period_days": 45}
    decide(alice_case, bob, DecisionOutcome.POSITIVE)
    alice_case.refresh_from_db()
    assert alice_case.reflection_ends_on == timezone.localdate() + timedelta(days=45)


def test_formal_decision_waits_for_the_end_of_the_reflection_period(alice_case, bob):
    decide(alice_case, bob, DecisionOutcome.POSITIVE)
    with pytest.raises(services.DecisionRefused):
        decide(alice_case, bob, DecisionOutcome.POSITIVE, DecisionStage.FORMAL)
    Case.objects.filter(pk=alice_case.pk).update(reflection_ends_on=timezone.localdate())
    alice_case.refresh_from_db()
    decide(alice_case, bob, DecisionOutcome.POSITIVE, DecisionStage.FORMAL)
    assert alice_case.status == Status.IDENTIFIED and alice_case.due_on is None


def test_a_negative_decision_needs_another_reviewer(alice_case, bob, bob_colleague):
    decision = decide(alice_case, bob, DecisionOutcome.NEGATIVE)
    assert alice_case.status == Status.PRELIMINARY_NEGATIVE_REVIEW
    with pytest.raises(services.DecisionRefused):
        services.decision_review(decision=decision, confirm=True, reasons="Agree.", by=bob, expected_version=None)
    services.decision_review(decision=decision, confirm=True, reasons="Agree.", by=bob_colleague,
                             expected_version=None)
    alice_case.refresh_from_db()
    assert alice_case.status == Status.NOT_PRESUMED


def test_an_overturned_negative_becomes_positive(alice_case, bob, bob_colleague):
    decision = decide(alice_case, bob, DecisionOutcome.NEGATIVE)
    services.decision_review(decision=decision, confirm=False, reasons="Indicators missed.", by=bob_colleague,
                             expected_version=None)
    alice_case.refresh_from_db()
    assert alice_case.status == Status.REFLECTION_PERIOD and alice_case.reflection_ends_on


def test_the_referring_responder_can_request_reconsideration(alice_case, alice, charlie, bob, bob_colleague):
    decision = decide(alice_case, bob, DecisionOutcome.NEGATIVE)
    services.decision_review(decision=decision, confirm=True, reasons="Agree.", by=bob_colleague,
                             expected_version=None)
    alice_case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.case_request_reconsideration(case=alice_case, reason="New facts.", by=charlie,
                                              expected_version=None)
    services.case_request_reconsideration(case=alice_case, reason="New facts.", by=alice, expected_version=None)
    assert alice_case.status == Status.AWAITING_PRELIMINARY
    assert alice_case.due_step == DeadlineStep.PRELIMINARY_DECISION


def test_more_information_keeps_the_decision_open(alice_case, bob):
    decide(alice_case, bob, DecisionOutcome.MORE_INFORMATION)
    assert alice_case.status == Status.PRELIMINARY_INFORMATION
    decide(alice_case, bob, DecisionOutcome.POSITIVE)
    assert alice_case.status == Status.REFLECTION_PERIOD


def test_close_and_reopen_keep_the_history(alice_case, bob):
    decide(alice_case, bob, DecisionOutcome.POSITIVE)
    services.case_close(case=alice_case, reason="Person left the country.", follow_up_plan="Call in a month.", by=bob,
                        expected_version=None)
    assert alice_case.status == Status.CLOSED and alice_case.due_on is None
    services.case_reopen(case=alice_case, reason="Person came back.", by=bob, expected_version=None)
    assert alice_case.status == Status.REFLECTION_PERIOD
    assert [event.action for event in alice_case.events.all()][-2:] == ["close", "reopen"]


def test_a_stale_version_changes_nothing(alice_case, bob):
    services.case_acknowledge(case=alice_case, by=bob, expected_version=1)
    with pytest.raises(services.CaseChanged):
        services.decision_record(case=alice_case, stage=DecisionStage.PRELIMINARY, outcome=DecisionOutcome.POSITIVE,
                                 reasons="x", by=bob, expected_version=1)
    case = Case.objects.get(pk=alice_case.pk)
    assert case.status == Status.AWAITING_PRELIMINARY and case.version == 2
    assert not case.decisions.exists()


def test_an_illegal_decision_is_refused_and_changes_nothing(alice_case, bob):
    with pytest.raises(IllegalTransition):
        decide(alice_case, bob, DecisionOutcome.POSITIVE, DecisionStage.FORMAL)
    case = Case.objects.get(pk=alice_case.pk)
    assert case.status == Status.REFERRED and case.version == 1


@pytest.mark.parametrize("outsider", ["charlie", "dana", "alice", "analyst", "auditor", "administrator",
                                      "case_manager"])
def test_only_coordinators_in_scope_decide(request, alice_case, outsider):
    user = request.getfixturevalue(outsider)
    with pytest.raises(PermissionDenied):
        decide(alice_case, user, DecisionOutcome.POSITIVE)
    assert Case.objects.get(pk=alice_case.pk).status == Status.REFERRED


def test_the_national_coordinator_decides_anywhere(alice_case, nadia):
    decide(alice_case, nadia, DecisionOutcome.POSITIVE)
    assert alice_case.status == Status.REFLECTION_PERIOD


def test_case_manager_assignment_opens_the_file_to_that_case_manager(alice_case, bob, case_manager):
    from masarat.access import policy

    assert not policy.can_open_case_file(case_manager, alice_case)
    services.case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    assert policy.can_open_case_file(case_manager, alice_case)
    assert not policy.can_decide(case_manager, alice_case)


def test_a_formal_request_for_information_gives_time_for_it_to_arrive(alice_case, bob):
    decide(alice_case, bob, DecisionOutcome.POSITIVE)
    Case.objects.filter(pk=alice_case.pk).update(reflection_ends_on=timezone.localdate())
    alice_case.refresh_from_db()
    decide(alice_case, bob, DecisionOutcome.MORE_INFORMATION, DecisionStage.FORMAL)
    assert alice_case.status == Status.FORMAL_INFORMATION
    assert alice_case.due_on == working_calendar().add_working_days(timezone.localdate(), 10)
