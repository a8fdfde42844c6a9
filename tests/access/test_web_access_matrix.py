"""Who may open which page of a case: for every page, each role allowed AND each role refused.

A refused access to a case looks exactly like a case that does not exist (404).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from masarat.audit.models import AuditEvent
from tests.factories import PASSWORD

CASE_PAGES = ["case", "case-decision", "case-close"]
ROLES = ["alice", "alice_colleague", "bob", "charlie", "dana", "nadia", "case_manager", "service_provider",
         "analyst", "auditor", "administrator"]
CAN_OPEN_CASE = {"bob", "nadia"}
CAN_FOLLOW_REFERRAL = {"alice", "alice_colleague", "bob", "nadia"}
CAN_OPEN_QUEUE = {"bob", "dana", "nadia", "case_manager"}
CAN_REFER = {"alice", "alice_colleague", "bob", "charlie", "dana", "nadia"}
CAN_AUDIT = {"auditor"}


def get_as(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("role", ROLES)
def test_case_pages(request, client, alice_case, role):
    user = request.getfixturevalue(role)
    for page in CASE_PAGES:
        expected = 200 if role in CAN_OPEN_CASE else 404
        assert get_as(client, user, reverse(page, args=[alice_case.reference])) == expected, page


@pytest.mark.parametrize("role", ROLES)
def test_referral_status_page(request, client, alice_case, role):
    user = request.getfixturevalue(role)
    expected = 200 if role in CAN_FOLLOW_REFERRAL else 404
    assert get_as(client, user, reverse("referral-status", args=[alice_case.reference])) == expected


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_tools(request, client, alice_case, role):
    user = request.getfixturevalue(role)
    assert get_as(client, user, reverse("queue")) == (200 if role in CAN_OPEN_QUEUE else 404)
    assert get_as(client, user, reverse("referral-new")) == (200 if role in CAN_REFER else 404)
    assert get_as(client, user, reverse("audit-log")) == (200 if role in CAN_AUDIT else 404)
    # The secretariat (national coordinators) enters the administration site for the action plan alone.
    assert get_as(client, user, "/admin/").__eq__(200) == (role in ("administrator", "nadia"))


@pytest.mark.parametrize("role", ROLES)
def test_queue_shows_only_cases_in_scope(request, client, alice_case, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(reverse("queue"))
    visible = response.status_code == 200 and alice_case.reference in response.content.decode()
    assert visible == (role in CAN_OPEN_CASE)


def test_a_regional_coordinator_does_not_see_another_region(client, charlie, dana, bob):
    from tests.factories import make_case

    tanger_case = make_case(by=charlie, region="MA-01")
    client.force_login(bob)
    assert tanger_case.reference not in client.get(reverse("queue")).content.decode()
    assert client.get(reverse("case", args=[tanger_case.reference])).status_code == 404
    client.force_login(dana)
    assert client.get(reverse("case", args=[tanger_case.reference])).status_code == 200


def test_administrator_sees_no_person_data_in_the_admin(client, alice_case, administrator):
    client.force_login(administrator)
    index = client.get("/admin/").content.decode()
    assert "/admin/people/" not in index and "/admin/cases/" not in index and "/admin/referrals/" not in index
    assert client.get("/admin/accounts/user/").status_code == 200


def test_staff_flag_alone_does_not_open_the_admin(client, alice):
    alice.is_staff = alice.is_superuser = True
    alice.save()
    client.force_login(alice)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_anonymous_visitors_are_sent_to_sign_in(client, alice_case):
    for url in (reverse("queue"), reverse("case", args=[alice_case.reference]), reverse("referral-new")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_reading_a_case_is_audited_with_the_address(client, alice_case, bob):
    client.force_login(bob)
    client.get(reverse("case", args=[alice_case.reference]), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action="case.read")
    assert (event.actor, event.case_reference, event.ip_address, event.channel) == (
        bob, alice_case.reference, "10.1.2.3", "web")


def test_a_refused_read_leaves_no_trace_of_data(client, alice_case, charlie):
    client.force_login(charlie)
    body = client.get(reverse("case", args=[alice_case.reference])).content.decode()
    assert "Aminata" not in body and "Diallo" not in body
    assert f"<bdi>{alice_case.reference}</bdi>" not in body


def test_sign_in_with_the_wrong_password_is_refused(client, alice):
    assert not client.login(username="alice", password="wrong")
    assert client.login(username="alice", password=PASSWORD)


def test_the_queue_page_records_which_cases_were_shown(client, alice_case, bob):
    client.force_login(bob)
    client.get(reverse("queue"), {"q": "Aminata"})
    event = AuditEvent.objects.get(action="case.list")
    assert event.details["references"] == [alice_case.reference]
    assert event.details["filters"] == {"q": "[search]"}
    assert "Aminata" not in str(event.details)


def test_sign_ins_sign_outs_and_failures_are_audited(client, alice):
    client.post(reverse("login"), {"username": "alice", "password": "not-her-password"}, REMOTE_ADDR="10.9.8.7")
    failure = AuditEvent.objects.get(action="account.sign_in_failed")
    assert failure.details == {"username": "alice"} and failure.ip_address == "10.9.8.7"
    assert "not-her-password" not in str(failure.details)
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert AuditEvent.objects.filter(action="account.sign_in", actor=alice).exists()
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action="account.sign_out", actor=alice).exists()


def test_the_secretariat_sees_only_the_action_plan_in_the_admin(client, nadia):
    client.force_login(nadia)
    index = client.get("/admin/").content.decode()
    assert "/admin/actionplan/measure/" in index
    assert "/admin/accounts/" not in index and "/admin/organisations/" not in index
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get("/admin/actionplan/measure/").status_code == 200
