"""A release is read from one moment of the database: referrals committed while it is being built
do not make its tables disagree (found by the load test: the dashboard failed under new referrals)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.urls import reverse

from masarat.statistics import release as release_module
from tests.factories import make_case

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs a second connection committing concurrently (SQLite test database: in memory)"),
    pytest.mark.django_db(transaction=True),
]


def test_a_referral_committed_while_the_dashboard_is_built_does_not_break_it(client, monkeypatch, alice, analyst):
    for _ in range(3):
        make_case(by=alice)
    summary = release_module.summary
    period_start = summary.period_start
    committed: list[str] = []

    def period_start_while_someone_refers(day, granularity):  # type: ignore[no-untyped-def]
        # Called on the rows of the referrals per period, read before those per profile: another
        # user refers in between, once.
        if not committed:
            def refer() -> None:
                try:
                    committed.append(make_case(by=alice).reference)
                finally:
                    connection.close()
            other = threading.Thread(target=refer)
            other.start()
            other.join()
        return period_start(day, granularity)

    monkeypatch.setattr(summary, "period_start", period_start_while_someone_refers)
    client.force_login(analyst)
    response = client.get(reverse("overview"))
    assert committed, "the concurrent referral was not made"
    assert response.status_code == 200
