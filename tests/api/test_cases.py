"""GET /cases/ (the queue, full-file scope) and GET /cases/[reference]/ (the case file)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masarat.audit.models import AuditEvent
from masarat.cases.lifecycle import Action, Status
from masarat.cases.models import Case
from masarat.cases.services import case_assign_case_manager, decision_record
from masarat.organisations.regions import Region
from masarat.referrals.vocabulary import Consent
from tests.api import CASES, case_url, client_for
from tests.factories import make_case

pytestmark = pytest.mark.django_db

SEE_NO_CASE = ["alice", "charlie", "dana", "case_manager", "service_provider", "analyst", "auditor",
               "administrator"]


def _queue(user, **params) -> list[str]:
    response = client_for(user).get(CASES, params)
    assert response.status_code == 200, response.json()
    return [item["reference"] for item in response.json()["results"]]


# --- Who sees which case -------------------------------------------------------------------------


@pytest.mark.parametrize("coordinator", ["bob", "nadia"])
def test_coordinators_of_the_region_and_the_nation_list_and_open_the_case(request, coordinator, alice_case):
    user = request.getfixturevalue(coordinator)
    assert _queue(user) == [alice_case.reference]
    assert client_for(user).get(case_url(alice_case.reference)).status_code == 200


@pytest.mark.parametrize("role", SEE_NO_CASE)
def test_everyone_else_sees_no_case_and_gets_404(request, role, alice_case):
    """Frontline responders follow a status (/referrals/), never the file; other roles see no case."""
    user = request.getfixturevalue(role)
    assert _queue(user) == []
    response = client_for(user).get(case_url(alice_case.reference))
    assert response.status_code == 404
    assert response.json() == {"detail": "Non trouvé."}


def test_dana_sees_her_region_only(bob, dana, alice_case, charlie):
    tanger_case = make_case(by=charlie, region=Region.TANGER_TETOUAN_AL_HOCEIMA)
    assert _queue(dana) == [tanger_case.reference]
    assert _queue(bob) == [alice_case.reference]


def test_a_case_manager_sees_the_cases_assigned_to_them(bob, case_manager, alice_case):
    case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    assert _queue(case_manager) == [alice_case.reference]
    body = client_for(case_manager).get(case_url(alice_case.reference)).json()
    assert body["allowed_actions"] == []


# --- What a line of the queue holds ---------------------------------------------------------------


def test_a_line_of_the_queue(bob, alice_case):
    item = client_for(bob).get(CASES).json()["results"][0]
    assert item == {
        "reference": alice_case.reference,
        "status": Status.REFERRED,
        "status_label": item["status_label"],
        "referred_at": item["referred_at"],
        "region": Region.RABAT_SALE_KENITRA,
        "display_name": "Aminata Diallo",
        "version": 1,
        "due_step": "acknowledge",
        "due_on": alice_case.due_on.isoformat(),
        "overdue": False,
        "sex": "female",
        "is_child": False,
        "age_band": alice_case.age_band,
        "nationality": "GN",
        "exploitation_forms": ["ForcedLabour"],
        "referring_agency": "Police Rabat",
    }
    assert item["status_label"]


def test_an_anonymous_notification_has_no_name(bob, alice):
    case = make_case(by=alice, consent=Consent.REFUSED)
    item = client_for(bob).get(CASES).json()["results"][0]
    assert (item["reference"], item["status"], item["display_name"]) == (
        case.reference, Status.ANONYMOUS_NOTIFICATION, None,
    )
    body = client_for(bob).get(case_url(case.reference)).json()
    assert body["person"] is None
    assert body["referral"]["circumstances"] == ""


# --- Filters and pages ----------------------------------------------------------------------------


def test_the_queue_filters(bob, alice, alice_case):
    child = make_case(by=alice, birth_year=timezone.localdate().year - 10, consent=Consent.NOT_REQUIRED_CHILD,
                      consent_informed_by="", consent_language="", exploitation_forms=["ForcedBegging"],
                      given_name_latin="Moussa")
    Case.objects.filter(pk=alice_case.pk).update(due_on=timezone.localdate() - timedelta(days=3))

    assert set(_queue(bob)) == {alice_case.reference, child.reference}
    assert _queue(bob, child="true") == [child.reference]
    assert _queue(bob, child="false") == [alice_case.reference]
    assert _queue(bob, exploitation="ForcedBegging") == [child.reference]
    assert _queue(bob, overdue="true") == [alice_case.reference]
    assert _queue(bob, q="Moussa") == [child.reference]
    assert _queue(bob, q=alice_case.reference) == [alice_case.reference]
    assert _queue(bob, status=Status.REFERRED, region=Region.RABAT_SALE_KENITRA) == _queue(bob)
    assert _queue(bob, status=Status.IDENTIFIED) == []
    assert _queue(bob, mine="true") == []


def test_a_form_of_exploitation_with_the_children_keeps_the_queue_order(bob, alice):
    """The two filters together: the children of that form only, the next deadline first, then the
    latest referral, the cases without a deadline last; counted like the queue."""
    today = timezone.localdate()
    child = {"birth_year": today.year - 10, "consent": Consent.NOT_REQUIRED_CHILD, "consent_informed_by": "",
             "consent_language": ""}
    later, sooner, same_day, no_deadline = (
        make_case(by=alice, exploitation_forms=["Servitude", "ForcedBegging"], **child) for _ in range(4))
    make_case(by=alice, exploitation_forms=["ForcedBegging"], **child)  # a child, another form
    make_case(by=alice, exploitation_forms=["Servitude"])  # that form, an adult
    for case, due_on in ((later, today + timedelta(days=9)), (sooner, today + timedelta(days=2)),
                         (same_day, today + timedelta(days=2)), (no_deadline, None)):
        Case.objects.filter(pk=case.pk).update(due_on=due_on)

    expected = [same_day.reference, sooner.reference, later.reference, no_deadline.reference]
    assert _queue(bob, exploitation="Servitude", child="true") == expected
    body = client_for(bob).get(CASES, {"exploitation": "Servitude", "child": "true", "page_size": 3}).json()
    assert body["count"] == 4 and [item["reference"] for item in body["results"]] == expected[:3]


@pytest.mark.parametrize("params", [{"child": "maybe"}, {"status": "lost"}, {"region": "MA-99"},
                                    {"exploitation": "Fishing"}, {"overdue": "[]"}])
def test_bad_filters_are_400_with_the_parameter(bob, alice_case, params):
    response = client_for(bob).get(CASES, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_bad_pages_are_not_500(bob, alice_case):
    assert client_for(bob).get(CASES, {"page": "99"}).status_code == 404
    assert client_for(bob).get(CASES, {"page_size": "many"}).json()["count"] == 1


def test_the_queue_is_paginated(bob, alice):
    references = {make_case(by=alice).reference for _ in range(3)}
    page_1 = client_for(bob).get(CASES, {"page_size": 2}).json()
    page_2 = client_for(bob).get(CASES, {"page_size": 2, "page": 2}).json()
    assert page_1["count"] == 3 and page_1["next"] and page_2["next"] is None
    assert {item["reference"] for item in page_1["results"] + page_2["results"]} == references


def test_the_queue_does_not_grow_in_queries(bob, alice, django_assert_max_num_queries):
    make_case(by=alice)
    client = client_for(bob)
    client.get(CASES)  # the first use of a token records it
    with CaptureQueriesContext(connection) as baseline:
        client.get(CASES)
    for _ in range(5):
        make_case(by=alice, consent=Consent.REFUSED)
        make_case(by=alice, exploitation_forms=["ForcedLabour", "ForcedBegging"])
    with django_assert_max_num_queries(len(baseline)):
        response = client.get(CASES)
    assert response.json()["count"] == 11


# --- The case file --------------------------------------------------------------------------------


def test_bob_opens_the_full_file(bob, alice_case):
    response = client_for(bob).get(case_url(alice_case.reference))

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == alice_case.reference
    assert body["person"]["given_name_latin"] == "Aminata"
    assert body["person"]["birth_precision"] == "year" and body["person"]["birth_year"] == 1995
    assert body["person"]["nationalities"] == ["GN"] and body["person"]["languages"] == ["fr"]
    assert body["referral"]["consent"] == Consent.GIVEN
    assert body["referral"]["circumstances"] == "Found working without pay in a farm."
    assert body["events"][0]["action"] == "referral_submitted"
    assert body["events"][0]["actor"] == str(alice_case.referred_by)
    assert body["decisions"] == []
    assert [a["action"] for a in body["allowed_actions"]] == [
        Action.ACKNOWLEDGE, Action.PRELIMINARY_POSITIVE, Action.PRELIMINARY_NEGATIVE,
        Action.PRELIMINARY_MORE_INFORMATION, Action.CLOSE,
    ]


def test_the_file_shows_the_decisions_with_their_reasons(bob, alice_case):
    decision_record(case=alice_case, stage="preliminary", outcome="negative", reasons="No indicator.",
                    by=bob, expected_version=None)
    body = client_for(bob).get(case_url(alice_case.reference)).json()
    [decision] = body["decisions"]
    assert (decision["stage"], decision["outcome"], decision["reasons"]) == ("preliminary", "negative",
                                                                             "No indicator.")
    assert decision["decided_by"] == str(bob) and decision["awaits_review"] is True
    assert decision["reviewed_by"] is None
    assert body["status"] == Status.PRELIMINARY_NEGATIVE_REVIEW
    # Bob made the decision: another coordinator must review it,
    assert body["allowed_actions"] == []  # nor close it before that review


def test_opening_a_file_is_audited(bob, alice_case):
    client_for(bob).get(case_url(alice_case.reference))
    event = AuditEvent.objects.get(action="case.read")
    assert (event.actor, event.case_reference, event.channel) == (bob, alice_case.reference, "api")


def test_a_refused_read_is_not_audited_as_a_read(dana, alice_case):
    client_for(dana).get(case_url(alice_case.reference))
    assert not AuditEvent.objects.filter(action="case.read").exists()
