"""Case management, proceedings and documents in the API: same rules as the pages, 404 out of scope."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masarat.audit.models import AuditEvent
from masarat.care.models import AssistancePlan
from masarat.cases.models import Case
from masarat.proceedings.models import SuspectedOffender
from tests.api import case_url, client_for

pytestmark = pytest.mark.django_db

PLAN = {"goals": "Safe housing, then training.", "wishes": "Je veux travailler dans la couture.",
        "review_on": "2026-06-01"}


def _version(case: Case) -> int:
    return Case.objects.values_list("version", flat=True).get(pk=case.pk)


def test_a_plan_is_written_and_read_back(alice_case, bob):
    api = client_for(bob)
    response = api.post(case_url(alice_case.reference, "records/plan/"), {**PLAN, "version": _version(alice_case)},
                        format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["wishes"] == PLAN["wishes"] and response.json()["recorded_by"] == "bob"
    listed = api.get(case_url(alice_case.reference, "records/plan/")).json()
    assert [plan["goals"] for plan in listed] == [PLAN["goals"]]
    assert AuditEvent.objects.filter(action="case.record.plan.read", actor=bob).exists()


def test_field_errors_and_a_stale_version(alice_case, bob):
    api = client_for(bob)
    response = api.post(case_url(alice_case.reference, "records/plan/"), {"version": _version(alice_case)},
                        format="json")
    assert response.status_code == 400 and {"goals", "review_on"} <= set(response.json())
    response = api.post(case_url(alice_case.reference, "records/plan/"), {**PLAN, "version": 99}, format="json")
    assert response.status_code == 409
    assert not AssistancePlan.objects.exists()


@pytest.mark.parametrize("role", ["alice", "charlie", "dana", "case_manager", "prosecutor", "analyst", "auditor"])
def test_outside_the_file_the_records_do_not_exist(request, alice_case, role):
    api = client_for(request.getfixturevalue(role))
    assert api.get(case_url(alice_case.reference, "records/plan/")).status_code == 404
    response = api.post(case_url(alice_case.reference, "records/plan/"), {**PLAN, "version": 1}, format="json")
    assert response.status_code == 404
    assert api.get(case_url(alice_case.reference, "documents/")).status_code == 404


def test_offenders_only_for_the_justice_users(alice_case, bob, prosecutor):
    body = {"designation": "Hamid X.", "sex": "male", "version": _version(alice_case)}
    assert client_for(bob).post(case_url(alice_case.reference, "records/offender/"), body,
                                format="json").status_code == 404
    response = client_for(prosecutor).post(case_url(alice_case.reference, "records/offender/"), body, format="json")
    assert response.status_code == 201
    assert client_for(bob).get(case_url(alice_case.reference, "records/offender/")).status_code == 404
    assert SuspectedOffender.objects.count() == 1


def test_offender_statistics(alice_case, prosecutor, analyst, case_manager):
    assert client_for(analyst).get("/api/v1/statistics/offenders/").json() == []
    assert client_for(case_manager).get("/api/v1/statistics/offenders/").status_code == 403


def test_documents_upload_list_and_download(alice_case, bob):
    api = client_for(bob)
    upload = SimpleUploadedFile("jugement.pdf", b"%PDF-1.7 judgement", content_type="application/pdf")
    response = api.post(case_url(alice_case.reference, "documents/"),
                        {"version": _version(alice_case), "kind": "court_papers", "file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    listed = api.get(case_url(alice_case.reference, "documents/")).json()
    assert [item["filename"] for item in listed] == ["jugement.pdf"]
    download = api.get(listed[0]["url"])
    assert download.status_code == 200 and download.content == b"%PDF-1.7 judgement"
    assert download["Content-Disposition"].startswith("attachment;")
    bad = api.post(case_url(alice_case.reference, "documents/"),
                   {"version": _version(alice_case), "kind": "other",
                    "file": SimpleUploadedFile("x.png", b"GIF89a")}, format="multipart")
    assert bad.status_code == 400 and "file" in bad.json()


def test_a_body_of_nested_values_is_refused_field_by_field(alice_case, bob):
    response = client_for(bob).post(case_url(alice_case.reference, "records/plan/"),
                                    {**PLAN, "review_on": {"day": 1}, "version": _version(alice_case)}, format="json")
    assert response.status_code == 400 and set(response.json()) == {"review_on"}
