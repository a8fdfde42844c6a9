"""Tests of the REST API. Helpers shared by its modules (fixtures come from ``tests/conftest.py``)."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from masarat.accounts.models import User
from masarat.accounts.services import api_token_create
from masarat.organisations.regions import Region
from masarat.referrals.vocabulary import Consent

REFERRALS = "/api/v1/referrals/"
CASES = "/api/v1/cases/"


def client_for(user: User | None = None, *, language: str | None = "fr") -> APIClient:
    """A client of the API, authenticated with a fresh bearer token of ``user`` (anonymous if None),
    asking for ``language`` (no Accept-Language header if None)."""
    client = APIClient()
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    if user is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {api_token_create(user=user, name='tests')}"
    client.credentials(**headers)
    return client


def referral_payload(**overrides: Any) -> dict[str, Any]:
    """A valid referral as JSON, the same person as ``tests.factories.referral_input``."""
    return {
        "given_name_latin": "Aminata",
        "family_name_latin": "Diallo",
        "sex": "female",
        "birth_precision": "year",
        "birth_year": 1995,
        "nationalities": ["GN"],
        "languages": ["fr"],
        "phone": "0612345678",
        "documents": [{"kind": "passport", "number": "X1234567", "issuing_country": "GN",
                       "is_held_by_person": False}],
        "region": Region.RABAT_SALE_KENITRA,
        "encountered_on": "2025-01-10",
        "circumstances": "Found working without pay in a farm.",
        "exploitation_forms": ["ForcedLabour"],
        "exploitation_countries": ["MA"],
        "exploitation_regions": [Region.RABAT_SALE_KENITRA],
        "indicators": ["wages_withheld", "documents_withheld"],
        "consent": Consent.GIVEN,
        "consent_informed_by": "Officer Test",
        "consent_language": "fr",
        "urgent_needs": ["shelter"],
        **overrides,
    }


def case_url(reference: str, suffix: str = "") -> str:
    return f"{CASES}{reference}/{suffix}"


def referral_url(reference: str) -> str:
    return f"{REFERRALS}{reference}/"
