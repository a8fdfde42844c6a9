"""The OpenAPI 3 schema: public (it holds no data) and complete."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_the_schema_lists_every_path_without_authentication():
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/referrals/",
        "/api/v1/referrals/{reference}/",
        "/api/v1/cases/",
        "/api/v1/cases/{reference}/",
        "/api/v1/cases/{reference}/decisions/",
        "/api/v1/cases/{reference}/decisions/{decision_id}/review/",
        "/api/v1/cases/{reference}/duplicates/",
        "/api/v1/cases/{reference}/duplicates/check/",
        "/api/v1/cases/{reference}/duplicates/link/",
        "/api/v1/cases/{reference}/duplicates/not-same/",
        "/api/v1/cases/{reference}/duplicates/links/{link_id}/unlink/",

        "/api/v1/cases/{reference}/htcds/",
        "/api/v1/htcds/import/",
        "/api/v1/directory/services/",
        "/api/v1/directory/services/{id}/capacity/",
        "/api/v1/service-referrals/",
        "/api/v1/service-referrals/{id}/",
        "/api/v1/service-referrals/{id}/accept/",
        "/api/v1/service-referrals/{id}/decline/",
        "/api/v1/service-referrals/{id}/delivery/",
        "/api/v1/cases/{reference}/records/{kind}/",
        "/api/v1/cases/{reference}/documents/",
        "/api/v1/cases/{reference}/documents/{document_id}/",
        "/api/v1/statistics/offenders/",
        "/api/v1/notifications/",
        "/api/v1/notifications/read/",
    }
    assert set(schema["paths"]["/api/v1/referrals/"]) == {"get", "post"}
    assert schema["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}


def test_the_schema_holds_no_data(alice_case):
    response = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert alice_case.reference not in response.content.decode()
    assert "Aminata" not in response.content.decode()
