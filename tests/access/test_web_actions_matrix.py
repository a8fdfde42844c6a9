"""Every action on a case, for every role: who may (the change happens) and who may not (nothing changes).

Outside one's scope a case does not exist (404); inside it, an action one's role does not allow is 403.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from masarat.audit.models import AuditEvent
from masarat.cases import services
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case

ROLES = ["alice", "alice_colleague", "bob", "charlie", "dana", "nadia", "assigned_case_manager",
         "service_provider", "analyst", "auditor", "administrator"]
DECIDERS = {"bob", "nadia"}
SEES_THE_FILE = DECIDERS | {"assigned_case_manager"}


@pytest.fixture
def assigned_case_manager(alice_case, bob, case_manager):
    services.case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    return case_manager


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    return case.status, case.version, case.assigned_coordinator_id, case.decisions.count(), case.events.count()


def _expected(role: str) -> int:
    if role in DECIDERS:
        return 302
    return 403 if role in SEES_THE_FILE else 404


ACTIONS = {
    "case-acknowledge": lambda case, other: {"version": case.version},
    "case-decision": lambda case, other: {"version": case.version, "outcome": "positive", "reasons": "Indicators."},
    "case-close": lambda case, other: {"version": case.version, "reason": "Person left.",
                                       "follow_up_plan": "Call in a month."},
    "case-assign-coordinator": lambda case, other: {"coordinator-version": case.version,
                                                    "coordinator-assignee": other.pk},
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_case_actions(request, client, alice_case, assigned_case_manager, nadia, role, action):
    user = request.getfixturevalue(role)
    before = _state(alice_case)
    client.force_login(user)
    response = client.post(reverse(action, args=[alice_case.reference]), ACTIONS[action](alice_case, nadia))
    assert response.status_code == _expected(role)
    if role in DECIDERS:
        assert _state(alice_case) != before
    else:
        assert _state(alice_case) == before


@pytest.mark.parametrize("role", ROLES)
def test_second_review(request, client, alice_case, assigned_case_manager, bob_colleague, role):
    decision = services.decision_record(case=alice_case, stage="preliminary", outcome="negative",
                                        reasons="No indicator.", by=bob_colleague, expected_version=None)
    user = request.getfixturevalue(role)
    before = _state(alice_case)
    client.force_login(user)
    response = client.post(reverse("case-review", args=[alice_case.reference, decision.pk]),
                           {"version": alice_case.version, "confirm": "confirm", "reasons": "Agreed."})
    assert response.status_code == _expected(role)
    assert (_state(alice_case) != before) == (role in DECIDERS)


@pytest.mark.parametrize("role", ROLES)
def test_reconsideration_from_the_referral_page(request, client, alice_case, bob, bob_colleague, role):
    decision = services.decision_record(case=alice_case, stage="preliminary", outcome="negative",
                                        reasons="No indicator.", by=bob, expected_version=None)
    services.decision_review(decision=decision, confirm=True, reasons="Agreed.", by=bob_colleague,
                             expected_version=None)
    alice_case.refresh_from_db()
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(reverse("referral-status", args=[alice_case.reference]),
                           {"version": alice_case.version, "reason": "New facts."})
    may_follow = {"alice", "alice_colleague", "bob", "nadia", "assigned_case_manager"}
    assert response.status_code == (302 if role in may_follow else 404)
    alice_case.refresh_from_db()
    assert (alice_case.status == Status.AWAITING_PRELIMINARY) == (role in may_follow)


def test_the_coordinator_assignment_is_kept_in_the_timeline(client, alice_case, bob, nadia):
    client.force_login(bob)
    client.post(reverse("case-assign-coordinator", args=[alice_case.reference]),
                {"coordinator-version": 1, "coordinator-assignee": nadia.pk})
    alice_case.refresh_from_db()
    assert alice_case.assigned_coordinator == nadia
    assert alice_case.events.filter(action="assign_coordinator").exists()
    assert AuditEvent.objects.filter(action="case.assign_coordinator", actor=bob).exists()


def test_a_coordinator_of_another_region_cannot_be_assigned(client, alice_case, bob, dana):
    client.force_login(bob)
    client.post(reverse("case-assign-coordinator", args=[alice_case.reference]),
                {"coordinator-version": 1, "coordinator-assignee": dana.pk})
    alice_case.refresh_from_db()
    assert alice_case.assigned_coordinator is None
