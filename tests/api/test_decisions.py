"""POST /cases/[reference]/decisions/ and .../decisions/[id]/review/: only coordinators of the case."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, CaseEvent, Decision
from masarat.cases.services import CaseChanged, case_assign_case_manager, decision_record
from tests.api import case_url, client_for
from tests.factories import make_case

pytestmark = pytest.mark.django_db

POSITIVE = {"stage": "preliminary", "outcome": "positive", "reasons": "Credible account, several indicators."}
NOT_THE_CASE = ["alice", "charlie", "dana", "service_provider", "analyst", "auditor", "administrator"]


def _current_version(case: Case) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


def _decide(user, case: Case, language: str = "fr", **body):
    """Post a decision; unless the test says otherwise, with the version the client just read."""
    if "version" not in body:
        body["version"] = _current_version(case)
    url = case_url(case.reference, "decisions/")
    return client_for(user, language=language).post(url, body, format="json")


def _review(user, decision: Decision, language: str = "fr", **body):
    if "version" not in body:
        body["version"] = _current_version(decision.case)
    url = case_url(decision.case.reference, f"decisions/{decision.pk}/review/")
    return client_for(user, language=language).post(url, body, format="json")


def _state(case: Case) -> tuple:
    case.refresh_from_db()
    return case.status, case.version, case.decisions.count(), case.events.count()


@pytest.fixture
def negative(bob, alice_case) -> Decision:
    return decision_record(case=alice_case, stage="preliminary", outcome="negative", reasons="No indicator.",
                           by=bob, expected_version=None)


# --- Record a decision ----------------------------------------------------------------------------


def test_bob_records_a_preliminary_decision(bob, alice_case):
    response = _decide(bob, alice_case, **POSITIVE, version=alice_case.version)

    assert response.status_code == 201, response.json()
    body = response.json()
    decision = Decision.objects.get()
    assert body["decision"]["id"] == decision.pk
    assert (body["decision"]["stage"], body["decision"]["outcome"]) == ("preliminary", "positive")
    assert body["decision"]["decided_by"] == str(bob)
    assert body["case"]["status"] == Status.REFLECTION_PERIOD
    assert body["case"]["version"] == alice_case.version + 1
    alice_case.refresh_from_db()
    assert alice_case.status == Status.REFLECTION_PERIOD and alice_case.reflection_ends_on is not None


def test_a_change_without_the_version_read_is_refused(nadia, alice_case):
    before = _state(alice_case)
    url = case_url(alice_case.reference, "decisions/")
    response = client_for(nadia, language="en").post(url, {**POSITIVE}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()
    assert _state(alice_case) == before


@pytest.mark.parametrize("role", NOT_THE_CASE)
def test_who_cannot_open_the_file_gets_404_and_nothing_changes(request, role, alice_case):
    before = _state(alice_case)
    response = _decide(request.getfixturevalue(role), alice_case, **POSITIVE)
    assert response.status_code == 404
    assert _state(alice_case) == before


def test_an_unknown_case_is_404(bob):
    assert _decide(bob, Case(reference="MNR-1999-000001"), **POSITIVE, version=1).status_code == 404


def test_a_case_manager_who_reads_the_file_may_not_decide_403(bob, case_manager, alice_case):
    case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    before = _state(alice_case)

    response = _decide(case_manager, alice_case, language="en", **POSITIVE)

    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to perform this action."}
    assert _state(alice_case) == before
    # Refused before the body is read: a broken body gets the same answer.
    assert _decide(case_manager, alice_case, stage="final").status_code == 403


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_stale_version_is_409_and_nothing_changes(bob, bob_colleague, alice_case, language):
    seen = alice_case.version
    decision_record(case=alice_case, stage="preliminary", outcome="more_information",
                    reasons="Need the interview notes.", by=bob_colleague, expected_version=seen)
    before = _state(alice_case)

    response = _decide(bob, alice_case, language=language, **POSITIVE, version=seen)

    assert response.status_code == 409
    with translation.override(language):
        assert response.json() == {"detail": str(CaseChanged())}
    assert _state(alice_case) == before


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_illegal_transition_is_409_and_nothing_changes(bob, alice_case, language):
    before = _state(alice_case)

    response = _decide(bob, alice_case, language=language, stage="formal", outcome="positive",
                       reasons="Identified.", version=alice_case.version)

    assert response.status_code == 409
    with translation.override(language):
        expected = gettext("“%(action)s” is not possible while the case is “%(status)s”.") % {
            "action": gettext("Formal decision: identified as a victim"),
            "status": gettext("Referred, awaiting acknowledgement"),
        }
    assert response.json() == {"detail": expected}
    assert _state(alice_case) == before


def test_the_formal_decision_waits_for_the_end_of_the_reflection_period(bob, alice_case):
    assert _decide(bob, alice_case, **POSITIVE).status_code == 201
    before = _state(alice_case)
    response = _decide(bob, alice_case, language="en", stage="formal", outcome="positive",
                       reasons="Identified.")
    assert response.status_code == 409
    assert response.json()["detail"].startswith("The recovery and reflection period runs until ")
    assert _state(alice_case) == before


@pytest.mark.parametrize(
    ("body", "fields"),
    [({**POSITIVE, "stage": "final"}, {"stage"}), ({**POSITIVE, "reasons": "  "}, {"reasons"}),
     ({"stage": "preliminary"}, {"outcome", "reasons"}), ({**POSITIVE, "version": "two"}, {"version"}),
     ({**POSITIVE, "outcome": ["positive"]}, {"outcome"})],
)
def test_a_malformed_decision_is_400(bob, alice_case, body, fields):
    before = _state(alice_case)
    response = _decide(bob, alice_case, **body)
    assert response.status_code == 400
    assert set(response.json()) == fields
    assert _state(alice_case) == before


def test_broken_json_is_400(bob, alice_case):
    url = case_url(alice_case.reference, "decisions/")
    response = client_for(bob).post(url, "{", content_type="application/json")
    assert response.status_code == 400


# --- Second review of a negative decision ------------------------------------------------------------


def test_another_coordinator_confirms_a_negative_decision(bob_colleague, negative):
    case = negative.case
    response = _review(bob_colleague, negative, confirm=True, reasons="Agreed: no indicator.",
                       version=case.version)

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["decision"]["review_outcome"] == "confirmed"
    assert body["decision"]["reviewed_by"] == str(bob_colleague)
    assert body["case"]["status"] == Status.NOT_PRESUMED


def test_nadia_overturns_it(nadia, negative):
    response = _review(nadia, negative, confirm=False, reasons="The debt is an indicator.")
    assert response.status_code == 200
    assert response.json()["case"]["status"] == Status.REFLECTION_PERIOD


def test_the_decision_maker_cannot_review_their_own_decision_409(bob, negative):
    before = _state(negative.case)
    response = _review(bob, negative, language="en", confirm=True, reasons="Still no indicator.")
    assert response.status_code == 409
    assert response.json() == {"detail": "A negative decision must be reviewed by another decision maker."}
    assert _state(negative.case) == before


def test_a_stale_review_is_409(bob_colleague, negative):
    stale = negative.case.version - 1
    before = _state(negative.case)
    response = _review(bob_colleague, negative, confirm=True, reasons="Agreed.", version=stale)
    assert response.status_code == 409
    assert _state(negative.case) == before


@pytest.mark.parametrize("role", NOT_THE_CASE)
def test_who_cannot_open_the_file_cannot_review_404(request, role, negative):
    response = _review(request.getfixturevalue(role), negative, confirm=True, reasons="Agreed.")
    assert response.status_code == 404
    negative.refresh_from_db()
    assert negative.review_outcome == ""


def test_a_decision_of_another_case_is_404(bob, bob_colleague, alice, negative):
    other = make_case(by=alice)
    url = case_url(other.reference, f"decisions/{negative.pk}/review/")
    response = client_for(bob_colleague).post(url, {"confirm": True, "reasons": "Agreed."}, format="json")
    assert response.status_code == 404
    url = case_url(negative.case.reference, "decisions/999999/review/")
    response = client_for(bob_colleague).post(url, {"confirm": True, "reasons": "x"}, format="json")
    assert response.status_code == 404


def test_a_review_needs_a_boolean(bob_colleague, negative):
    response = _review(bob_colleague, negative, confirm="perhaps", reasons="Agreed.")
    assert response.status_code == 400
    assert set(response.json()) == {"confirm"}


def test_the_timeline_keeps_the_reasons_for_the_file(bob, bob_colleague, negative):
    _review(bob_colleague, negative, confirm=True, reasons="Agreed: no indicator.")
    notes = list(CaseEvent.objects.filter(case=negative.case).values_list("note", flat=True))
    assert "Agreed: no indicator." in notes
