"""The HTCDS endpoints: the web download of the case page, the API export and import."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from masarat.cases.models import Case
from masarat.consent.services import consent_record


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_coordinators_download_from_the_case_page(client, bob, alice, alice_case):
    client.force_login(bob)
    page = client.get(f"/cases/{alice_case.reference}/")
    assert f"/cases/{alice_case.reference}/htcds/" in page.content.decode()
    refused = client.get(f"/cases/{alice_case.reference}/htcds/", follow=True)  # no consent yet
    assert refused.redirect_chain == [(f"/cases/{alice_case.reference}/", 302)]
    consent_record(case=alice_case, purpose="case_transfer", given_by="person", by=bob)
    response = client.get(f"/cases/{alice_case.reference}/htcds/")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="htcds-{alice_case.reference}.json"'
    assert response.json()["masarat"]["reference"] == alice_case.reference
    client.force_login(alice)  # the referrer follows the status, never the file
    assert client.get(f"/cases/{alice_case.reference}/htcds/").status_code == 404


def test_api_export_then_import_by_another_agency(bob, charlie, dana, alice_case):
    assert _api(bob).get(f"/api/v1/cases/{alice_case.reference}/htcds/").status_code == 409  # no consent yet
    consent_record(case=alice_case, purpose="case_transfer", given_by="person", by=bob)
    document = _api(bob).get(f"/api/v1/cases/{alice_case.reference}/htcds/").json()
    assert _api(dana).get(f"/api/v1/cases/{alice_case.reference}/htcds/").status_code == 404
    response = _api(charlie).post("/api/v1/htcds/import/", document, format="json")
    assert response.status_code == 201, response.content
    assert Case.objects.get(reference=response.json()["reference"]).referring_agency == charlie.agency


@pytest.mark.parametrize("body", [[], {"format": "HTCDS", "version": "1.0"},
                                  {"format": "HTCDS", "version": "2.0", "Person": "x"}])
def test_api_import_refuses_bad_documents_with_400(charlie, body):
    before = Case.objects.count()
    response = _api(charlie).post("/api/v1/htcds/import/", body, format="json")
    assert response.status_code == 400
    assert Case.objects.count() == before


def test_api_import_needs_a_referring_role(analyst, alice_case, bob):
    consent_record(case=alice_case, purpose="case_transfer", given_by="person", by=bob)
    document = _api(bob).get(f"/api/v1/cases/{alice_case.reference}/htcds/").json()
    assert _api(analyst).post("/api/v1/htcds/import/", document, format="json").status_code == 403
