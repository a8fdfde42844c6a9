"""Every endpoint needs a valid bearer token: none, unknown, revoked or malformed → 401."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from masarat.accounts.models import ApiToken
from masarat.accounts.services import api_token_create
from tests.api import CASES, REFERRALS, case_url, client_for, referral_payload, referral_url

pytestmark = pytest.mark.django_db


def _endpoints(reference: str) -> list[tuple[str, str, dict]]:
    return [
        ("get", REFERRALS, {}),
        ("post", REFERRALS, referral_payload()),
        ("get", referral_url(reference), {}),
        ("get", CASES, {}),
        ("get", case_url(reference), {}),
        ("post", case_url(reference, "decisions/"), {"stage": "preliminary", "outcome": "positive",
                                                      "reasons": "Credible account."}),
        ("post", case_url(reference, "decisions/1/review/"), {"confirm": True, "reasons": "Checked."}),
    ]


def _call(client: APIClient, method: str, url: str, body: dict):
    return getattr(client, method)(url, body, format="json") if method == "post" else client.get(url)


def test_without_credentials_every_endpoint_answers_401(alice_case):
    client = client_for(None)
    for method, url, body in _endpoints(alice_case.reference):
        response = _call(client, method, url, body)
        assert response.status_code == 401, (method, url)
        assert response["WWW-Authenticate"] == "Bearer"


def test_an_unknown_token_is_refused_everywhere(alice_case):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer mst_not-a-token-of-ours")
    for method, url, body in _endpoints(alice_case.reference):
        response = _call(client, method, url, body)
        assert response.status_code == 401, (method, url)
    assert alice_case.__class__.objects.count() == 1


def test_a_revoked_token_is_refused(alice, alice_case):
    raw = api_token_create(user=alice)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(referral_url(alice_case.reference)).status_code == 200
    ApiToken.objects.filter(prefix=raw[:8]).update(revoked_at=timezone.now())
    assert client.get(referral_url(alice_case.reference)).status_code == 401
    assert client.post(REFERRALS, referral_payload(), format="json").status_code == 401


def test_the_token_of_a_deactivated_account_is_refused(alice, alice_case):
    client = client_for(alice)
    alice.is_active = False
    alice.save()
    assert client.get(REFERRALS).status_code == 401


@pytest.mark.parametrize("header", ["Bearer", "Bearer two words", "Bearer caf\u00e9"])
def test_a_malformed_header_is_refused(alice, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert client.get(REFERRALS).status_code == 401


def test_the_refusal_is_in_the_language_of_the_request(db):
    assert client_for(None, language="fr").get(CASES).json()["detail"] == (
        "Informations d'authentification non fournies."
    )
    assert client_for(None, language="en").get(CASES).json()["detail"] == (
        "Authentication credentials were not provided."
    )


def test_a_token_records_when_it_was_last_used(alice):
    client = client_for(alice)
    token = ApiToken.objects.get(user=alice)
    assert token.last_used_at is None
    client.get(REFERRALS)
    token.refresh_from_db()
    assert token.last_used_at is not None
