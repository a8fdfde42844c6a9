"""The import pages: upload, mapping, preview with problems, commit, rollback, progress and report."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.imports import services
from masarat.imports.models import ImportJob, JobStatus
from tests.imports.helpers import ROWS, csv_bytes


def _upload(client, data: bytes, name: str = "cases.csv", **fields):
    return client.post("/imports/", {"file": SimpleUploadedFile(name, data), **fields})


def _mapping_post(job: ImportJob, **changes) -> dict[str, object]:
    post: dict[str, object] = {"version": job.version}
    for position, column in enumerate(job.header):
        post[f"column_{position}"] = changes.get(column, job.mapping.get(column, ""))
    return post


def test_upload_map_preview_fix_commit_and_report(client, nadia):
    client.force_login(nadia)
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][2] = "Homme"  # understood
    response = _upload(client, csv_bytes(rows=rows))
    job = ImportJob.objects.get(created_by=nadia)
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/mapping/"
    page = client.get(f"/imports/{job.pk}/mapping/").content.decode()
    assert "Prénom" in page and 'value="given_name" selected' in page
    # Mapping the date of referral to the date of birth: every row gets an error in plain words.
    response = client.post(f"/imports/{job.pk}/mapping/", _mapping_post(job, **{"Date de naissance": "",
                                                                                "Date de référencement": "birth_date"}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED and job.valid_rows == 2  # ages from 2021/2022 dates: children
    response = client.post(f"/imports/{job.pk}/mapping/", _mapping_post(job, **{"Consentement": "",
                                                                                "Date de référencement": ""}))
    job.refresh_from_db()
    assert job.rejected_rows == 2
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Add a consent column" in page or "Ajoutez une colonne de consentement" in page
    assert AuditEvent.objects.filter(action="import.preview_read", target_id=str(job.pk)).exists()
    refused = client.post(f"/imports/{job.pk}/commit/", {"version": job.version}, follow=True)
    assert Case.objects.count() == 0 and ("rejet" in refused.content.decode() or "rejected" in refused.content.decode())
    # Fixed by the mapping: the consent column is back.
    client.post(f"/imports/{job.pk}/mapping/", _mapping_post(job, **{"Consentement": "consent",
                                                                    "Date de naissance": "birth_date"}))
    job.refresh_from_db()
    assert (job.valid_rows, job.rejected_rows) == (2, 0)
    response = client.post(f"/imports/{job.pk}/commit/", {"version": job.version})
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Case.objects.filter(referred_by=nadia).count() == 2
    progress = client.get(f"/imports/{job.pk}/progress/").json()
    assert progress["percent"] == 100 and progress["status"] == "done"
    report = client.get(f"/imports/{job.pk}/report.csv")
    lines = report.content.decode("utf-8-sig").splitlines()
    assert len(lines) == 3 and all(case.reference in report.content.decode() for case in Case.objects.all())


def test_an_unreadable_file_is_refused_on_the_upload_page(client, nadia):
    client.force_login(nadia)
    response = _upload(client, b"PK\x03\x04broken", name="cases.xlsx")
    assert response.status_code == 400 and "XLSX" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_stale_mapping_form_is_refused(client, nadia):
    client.force_login(nadia)
    _upload(client, csv_bytes())
    job = ImportJob.objects.get()
    post = _mapping_post(job)
    client.post(f"/imports/{job.pk}/mapping/", post)
    response = client.post(f"/imports/{job.pk}/mapping/", post)
    assert response.status_code == 409


def test_large_files_wait_for_the_worker_and_show_progress(client, nadia, settings):
    settings.MASARAT_IMPORT_INLINE_ROWS = 1
    client.force_login(nadia)
    _upload(client, csv_bytes())
    job = ImportJob.objects.get()
    client.post(f"/imports/{job.pk}/mapping/", _mapping_post(job))
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATING
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert f'data-progress-url="/imports/{job.pk}/progress/"' in page and "imports/progress.js" in page
    assert client.get(f"/imports/{job.pk}/progress/").json()["percent"] == 0
    services.work_pending()
    assert client.get(f"/imports/{job.pk}/progress/").json()["status"] == "validated"
    client.post(f"/imports/{job.pk}/commit/", {"version": ImportJob.objects.get().version})
    assert ImportJob.objects.get().status == JobStatus.COMMITTING and not Case.objects.exists()
    services.work_pending()
    assert ImportJob.objects.get().status == JobStatus.DONE and Case.objects.count() == 3


def test_rollback_from_the_page(client, nadia):
    client.force_login(nadia)
    _upload(client, csv_bytes())
    job = ImportJob.objects.get()
    response = client.post(f"/imports/{job.pk}/rollback/", {"version": job.version})
    assert response.status_code == 302 and ImportJob.objects.get().status == JobStatus.CANCELLED


@pytest.mark.parametrize("role", ["bob", "alice", "case_manager", "administrator"])
def test_another_users_import_is_not_found(client, nadia, request, role):
    job = services.job_start(filename="cases.csv", data=csv_bytes(), by=nadia)
    client.force_login(request.getfixturevalue(role))
    for url in (f"/imports/{job.pk}/", f"/imports/{job.pk}/mapping/", f"/imports/{job.pk}/progress/",
                f"/imports/{job.pk}/report.csv"):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/imports/{job.pk}/rollback/", {"version": job.version}).status_code == 404


def test_the_preview_page_reads_a_constant_number_of_queries(client, nadia):
    client.force_login(nadia)

    def queries(rows: int) -> int:
        job = services.validate_all(services.job_map(
            job=(started := services.job_start(filename="c.csv", data=csv_bytes(rows=[ROWS[0]] * rows), by=nadia)),
            by=nadia, mapping=started.mapping, expected_version=started.version))
        with CaptureQueriesContext(connection) as context:
            assert client.get(f"/imports/{job.pk}/").status_code == 200
        return len(context)

    assert queries(2) == queries(12)


def test_the_list_of_imports_reads_a_constant_number_of_queries(client, nadia):
    client.force_login(nadia)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get("/imports/").status_code == 200
        return len(context)

    services.job_start(filename="a.csv", data=csv_bytes(), by=nadia)
    first = queries()
    for _ in range(5):
        services.job_start(filename="a.csv", data=csv_bytes(), by=nadia)
    assert queries() == first
