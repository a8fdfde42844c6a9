from __future__ import annotations

import pytest
from django.urls import reverse

from masarat.operations import health
from masarat.operations.health import CheckResult

TOKEN = "scraper-token-0123456789"


def test_liveness_and_readiness_answer_without_signing_in(client, db):
    assert client.get(reverse("health-live")).json() == {"status": "ok"}
    ready = client.get(reverse("health-ready"))
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok",
                            "checks": {"database": "ok", "migrations": "ok", "encryption_keys": "ok"}}


def test_readiness_says_which_check_failed(client, db, monkeypatch):
    def broken_database() -> CheckResult:
        raise ConnectionError("no route to host")

    monkeypatch.setattr(health, "CHECKS", [broken_database, *health.CHECKS[1:]])
    ready = client.get(reverse("health-ready"))
    assert ready.status_code == 503
    assert ready.json()["checks"] == {"broken_database": "ConnectionError", "migrations": "ok",
                                      "encryption_keys": "ok"}


def test_metrics_exist_only_for_a_scraper_with_the_token(client, db, settings):
    assert client.get(reverse("metrics")).status_code == 404
    settings.MASARAT_METRICS_TOKEN = TOKEN
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


@pytest.mark.parametrize("overdue", [False, True])
def test_metrics_count_the_workload_and_name_nobody(client, settings, alice_case, overdue):
    from datetime import timedelta

    from django.utils import timezone

    if overdue:
        alice_case.due_on = timezone.localdate() - timedelta(days=3)
        alice_case.save(update_fields=["due_on"])
    settings.MASARAT_METRICS_TOKEN = TOKEN
    client.get(reverse("health-live"))
    text = client.get(reverse("metrics"), HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    assert f'masarat_cases{{status="{alice_case.status}"}} 1.0' in text
    assert ('masarat_overdue_steps{step="' in text) is overdue
    assert 'masarat_http_requests_total{method="GET",status="2xx"}' in text
    assert alice_case.reference not in text and alice_case.person.family_name_latin not in text
