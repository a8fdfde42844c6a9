"""Closure needs a reason and a follow-up plan; reopening keeps every closure in the history."""

from __future__ import annotations

from datetime import date

import pytest

from masarat.cases import services
from masarat.cases.lifecycle import Status
from masarat.cases.models import CaseClosure
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage

pytestmark = pytest.mark.django_db


@pytest.fixture
def presumed(alice_case, bob):
    services.decision_record(case=alice_case, stage=DecisionStage.PRELIMINARY, outcome=DecisionOutcome.POSITIVE,
                             reasons="Indicators.", by=bob, expected_version=None)
    return alice_case


def test_closure_needs_a_follow_up_plan(presumed, bob):
    with pytest.raises(services.DecisionRefused):
        services.case_close(case=presumed, reason="Left the shelter.", follow_up_plan="  ", by=bob,
                            expected_version=None)
    assert presumed.status == Status.REFLECTION_PERIOD and not CaseClosure.objects.exists()


def test_reopening_keeps_each_closure(presumed, bob, bob_colleague):
    services.case_close(case=presumed, reason="Found a job.", follow_up_plan="Phone call in three months.",
                        follow_up_on=date(2026, 9, 1), by=bob, expected_version=None)
    services.case_reopen(case=presumed, reason="Threatened again.", by=bob_colleague, expected_version=None)
    services.case_close(case=presumed, reason="Moved abroad.", follow_up_plan="Contact through IOM.", by=bob,
                        expected_version=None)

    first, second = presumed.closures.all()
    assert (first.reason, first.follow_up_plan, first.follow_up_on) == ("Found a job.", "Phone call in three months.",
                                                                        date(2026, 9, 1))
    assert first.reopened_by == bob_colleague and first.reopen_reason == "Threatened again."
    assert second.reopened_at is None and presumed.status == Status.CLOSED


def test_the_close_page_asks_for_the_follow_up_plan(client, presumed, bob):
    client.force_login(bob)
    url = f"/cases/{presumed.reference}/close/"
    response = client.post(url, {"version": presumed.version, "reason": "Found a job."})
    assert response.status_code == 400 and "follow_up_plan" in response.context["form"].errors
    response = client.post(url, {"version": presumed.version, "reason": "Found a job.",
                                 "follow_up_plan": "Call in a month.", "follow_up_on": "2026-09-01"})
    assert response.status_code == 302
    page = client.get(f"/cases/{presumed.reference}/").content.decode()
    assert "Call in a month." in page
