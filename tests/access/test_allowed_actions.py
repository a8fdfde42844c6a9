from django.utils import timezone

from masarat.access import policy
from masarat.cases import services
from masarat.cases.lifecycle import Action
from masarat.cases.models import Case


def test_coordinator_in_scope_may_acknowledge_decide_and_close(alice_case, bob, dana, alice):
    assert set(policy.allowed_actions(bob, alice_case)) == {
        Action.ACKNOWLEDGE, Action.PRELIMINARY_POSITIVE, Action.PRELIMINARY_NEGATIVE,
        Action.PRELIMINARY_MORE_INFORMATION, Action.CLOSE}
    assert policy.allowed_actions(dana, alice_case) == []
    assert policy.allowed_actions(alice, alice_case) == []


def test_final_formal_outcomes_wait_for_the_end_of_the_reflection_period(alice_case, bob):
    services.decision_record(case=alice_case, stage="preliminary", outcome="positive", reasons="x", by=bob,
                             expected_version=None)
    actions = policy.allowed_actions(bob, alice_case)
    assert Action.FORMAL_MORE_INFORMATION in actions and Action.FORMAL_POSITIVE not in actions
    Case.objects.filter(pk=alice_case.pk).update(reflection_ends_on=timezone.localdate())
    alice_case.refresh_from_db()
    assert Action.FORMAL_POSITIVE in policy.allowed_actions(bob, alice_case)


def test_only_another_coordinator_may_review(alice_case, bob, bob_colleague):
    services.decision_record(case=alice_case, stage="preliminary", outcome="negative", reasons="x", by=bob,
                             expected_version=None)
    assert Action.PRELIMINARY_REVIEW_CONFIRM not in policy.allowed_actions(bob, alice_case)
    assert Action.PRELIMINARY_REVIEW_CONFIRM in policy.allowed_actions(bob_colleague, alice_case)


def test_an_inactive_agency_closes_every_door(alice_case, bob):
    bob.agency.is_active = False
    bob.agency.save()
    assert policy.case_file_filter(bob) is None
    assert policy.allowed_actions(bob, alice_case) == []


def test_a_regional_coordinator_follows_a_referral_made_outside_the_region(bob, dana):
    from masarat.cases.selectors import referral_status
    from tests.factories import make_case

    case = make_case(by=bob, region="MA-01")
    assert referral_status(viewer=bob, reference=case.reference) == case
    assert not policy.can_open_case_file(bob, case)
    assert policy.can_open_case_file(dana, case)


def test_a_negative_decision_under_review_cannot_be_closed(alice_case, bob):
    services.decision_record(case=alice_case, stage="preliminary", outcome="negative", reasons="x", by=bob,
                             expected_version=None)
    assert Action.CLOSE not in policy.allowed_actions(bob, alice_case)


def test_acknowledging_twice_is_refused(alice_case, bob):
    import pytest

    from masarat.cases.lifecycle import IllegalTransition

    services.case_acknowledge(case=alice_case, by=bob, expected_version=None)
    with pytest.raises(IllegalTransition):
        services.case_acknowledge(case=alice_case, by=bob, expected_version=None)


def test_only_a_case_manager_of_the_region_can_be_assigned(alice_case, bob):
    import pytest

    from masarat.accounts.models import Role
    from masarat.organisations.models import AgencyKind
    from tests.factories import make_agency, make_user

    far_away = make_user(role=Role.CASE_MANAGER, agency=make_agency(kind=AgencyKind.NGO, region="MA-09"))
    with pytest.raises(services.DecisionRefused):
        services.case_assign_case_manager(case=alice_case, case_manager=far_away, by=bob, expected_version=None)
