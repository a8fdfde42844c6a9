"""Breaking the glass: a regional coordinator opens a case of another region, for a reason, for a while."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from masarat.access import policy
from masarat.audit.models import AuditEvent
from masarat.cases import services
from masarat.cases.models import EmergencyAccess
from tests.factories import make_case

REASON = "The person arrived tonight at the Rabat shelter and is in danger."


@pytest.fixture
def tanger_case(charlie):
    return make_case(by=charlie, region="MA-01")


def test_a_reason_opens_the_case_for_a_few_hours_and_is_flagged(client, bob, tanger_case, auditor):
    client.force_login(bob)
    assert client.get(reverse("case", args=[tanger_case.reference])).status_code == 404
    response = client.post(reverse("case-emergency-access"), {"reference": tanger_case.reference, "reason": REASON})
    assert response["Location"] == reverse("case", args=[tanger_case.reference])
    page = client.get(reverse("case", args=[tanger_case.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Emergency access until" in page.content.decode()
    event = AuditEvent.objects.get(action="case.break_glass")
    access = EmergencyAccess.objects.get()
    assert event.actor == bob and event.details["flagged"] is True
    # The reason may describe the person: it is kept encrypted on the access, never in the trail.
    assert event.details["emergency_access"] == access.pk and access.reason == REASON
    assert REASON not in str(event.details)
    client.force_login(auditor)
    listing = client.get(reverse("audit-emergency-accesses")).content.decode()
    assert REASON in listing and tanger_case.reference in listing


def test_the_access_ends_by_itself(bob, tanger_case):
    services.case_break_glass(user=bob, reference=tanger_case.reference, reason=REASON)
    assert policy.can_open_case_file(bob, tanger_case)
    EmergencyAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not policy.can_open_case_file(bob, tanger_case)


def test_a_short_reason_is_refused_and_nothing_is_opened(client, bob, tanger_case):
    client.force_login(bob)
    response = client.post(reverse("case-emergency-access"), {"reference": tanger_case.reference,
                                                              "reason": "urgent"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "full sentence" in response.content.decode()
    assert not EmergencyAccess.objects.exists()
    assert not policy.can_open_case_file(bob, tanger_case)


@pytest.mark.parametrize("role", ["alice", "charlie", "nadia", "case_manager", "analyst", "auditor",
                                  "administrator"])
def test_only_regional_coordinators_can_break_the_glass(request, client, tanger_case, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(reverse("case-emergency-access"), {"reference": tanger_case.reference, "reason": REASON})
    assert response.status_code == 404
    assert not EmergencyAccess.objects.exists()


def test_the_queue_does_not_list_cases_twice_with_several_accesses(client, bob, tanger_case):
    for _ in range(2):
        services.case_break_glass(user=bob, reference=tanger_case.reference, reason=REASON)
    client.force_login(bob)
    body = client.get(reverse("queue")).content.decode()
    assert body.count(f"<bdi>{tanger_case.reference}</bdi>") == 1
