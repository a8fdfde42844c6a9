"""List pages run a fixed number of queries, however many cases they show (no N+1)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import make_case


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_queue_does_not_grow_with_the_cases(client, alice, bob):
    make_case(by=alice)
    client.force_login(bob)
    few = count_queries(client, reverse("queue"))
    for _ in range(8):
        make_case(by=alice, exploitation_forms=["ForcedLabour", "SexualExploitation"])
    assert count_queries(client, reverse("queue")) == few


def test_my_referrals_does_not_grow_with_the_cases(client, alice):
    make_case(by=alice)
    client.force_login(alice)
    few = count_queries(client, reverse("referral-list"))
    for _ in range(8):
        make_case(by=alice)
    assert count_queries(client, reverse("referral-list")) == few


def test_the_audit_log_does_not_grow_with_the_events(client, alice, auditor):
    make_case(by=alice)
    client.force_login(auditor)
    few = count_queries(client, reverse("audit-log"))
    for _ in range(8):
        make_case(by=alice)
    assert count_queries(client, reverse("audit-log")) == few
