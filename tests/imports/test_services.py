"""Imports of case lists: mapping, checking (the dry run), all-or-nothing commit, rollback, resume."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import timezone

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.imports import services
from masarat.imports.models import ImportJob, ImportMapping, ImportRow, JobStatus, RowOutcome
from masarat.people.models import Person
from tests.factories import make_case
from tests.imports.helpers import HEADER, ROWS, csv_bytes, xlsx_bytes


def _checked(user, data: bytes, **mapping_changes):
    job = services.job_start(filename="cases.csv", data=data, by=user)
    mapping = {**job.mapping, **mapping_changes}
    job = services.job_map(job=job, by=user, mapping=mapping, expected_version=job.version)
    return services.validate_all(job)


def test_the_mapping_is_suggested_from_french_english_and_arabic_names(nadia):
    job = services.job_start(filename="cases.csv", data=csv_bytes(
        header=["First name", "الجنسية", "Date de naissance", "Sexe", "whatever"], rows=[["A", "MA", "1990", "F", ""]]),
        by=nadia)
    assert job.mapping == {"First name": "given_name", "الجنسية": "nationality", "Date de naissance": "birth_date",
                           "Sexe": "sex", "whatever": ""}


def test_a_dry_run_checks_every_row_and_creates_nothing(nadia):
    before = (Case.objects.count(), Person.objects.count())
    job = _checked(nadia, csv_bytes())
    assert (job.status, job.total_rows, job.valid_rows, job.rejected_rows) == (JobStatus.VALIDATED, 3, 3, 0)
    assert (Case.objects.count(), Person.objects.count()) == before
    assert list(job.rows.values_list("line", flat=True)) == [2, 3, 4]


def test_rows_with_problems_say_line_column_and_how_to_fix(nadia):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][3] = "31/02/1988"
    rows[1][4] = "Atlantis"
    job = _checked(nadia, csv_bytes(rows=rows))
    assert (job.valid_rows, job.rejected_rows) == (1, 1)
    row = job.rows.get(outcome=RowOutcome.REJECTED)
    assert row.line == 3
    columns = {problem["column"]: problem["message"] for problem in row.problems}
    assert "1990" in columns["Date de naissance"] and "31/02/1988" in columns["Date de naissance"]
    assert "ISO" in columns["Nationalité"]


def test_commit_creates_every_case_with_its_date_of_referral_and_empties_the_file(nadia):
    job = _checked(nadia, csv_bytes())
    job = services.job_commit(job=job, by=nadia, expected_version=job.version)
    job = services.commit_run(job)
    assert (job.status, job.created_cases) == (JobStatus.DONE, 3)
    cases = Case.objects.filter(referred_by=nadia).order_by("referred_at")
    assert [timezone.localdate(case.referred_at).isoformat() for case in cases] == [
        "2021-03-10", "2022-01-05", "2023-06-01"]
    assert cases[2].is_child and cases[2].person.given_name_arabic == "يوسف"
    assert bytes(job.content) == b"" and all(row.cells == {} for row in job.rows.all())
    assert set(job.rows.values_list("outcome", flat=True)) == {RowOutcome.CREATED}
    assert AuditEvent.objects.filter(action="case.referral_submitted", actor=nadia).count() == 3
    assert AuditEvent.objects.filter(action="import.done", target_id=str(job.pk)).exists()


def test_an_existing_person_is_reported_as_a_possible_duplicate(nadia, alice):
    make_case(by=alice, given_name_latin="Aminata", family_name_latin="Diallo", birth_precision="full",
              birth_date=timezone.datetime(1995, 4, 2).date(), nationalities=["GN"], phone="0612345678")
    job = _checked(nadia, csv_bytes())
    assert job.duplicate_rows == 1
    assert job.rows.get(line=2).possible_duplicates >= 1
    job = services.commit_run(services.job_commit(job=job, by=nadia, expected_version=job.version))
    assert job.duplicate_rows == 1 and job.rows.get(line=2).possible_duplicates >= 1


def test_commit_is_refused_while_rows_are_rejected_unless_they_are_left_out(nadia):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][2] = "zz"
    job = _checked(nadia, csv_bytes(rows=rows))
    with pytest.raises(services.ImportRefused):
        services.job_commit(job=job, by=nadia, expected_version=job.version)
    job = services.commit_run(services.job_commit(job=job, by=nadia, expected_version=job.version,
                                                  skip_rejected=True))
    assert job.created_cases == 1
    assert job.rows.get(line=3).outcome == RowOutcome.LEFT_OUT


def test_a_failure_in_the_middle_of_the_commit_leaves_nothing(nadia, monkeypatch):
    job = _checked(nadia, csv_bytes())
    job = services.job_commit(job=job, by=nadia, expected_version=job.version)
    real = services.referral_submit
    calls = []

    def failing(**kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(**kwargs)

    monkeypatch.setattr(services, "referral_submit", failing)
    cases, persons, events = Case.objects.count(), Person.objects.count(), AuditEvent.objects.count()
    job = services.commit_run(job)
    assert len(calls) == 3
    assert (Case.objects.count(), Person.objects.count()) == (cases, persons)
    assert (job.status == JobStatus.VALIDATED and "Nothing was imported" in job.failure) or "importé" in job.failure
    assert set(job.rows.values_list("outcome", flat=True)) == {RowOutcome.VALID}
    assert AuditEvent.objects.filter(action="import.failed").count() == 1
    assert not AuditEvent.objects.filter(action="case.referral_submitted", actor=nadia).exists()
    assert AuditEvent.objects.count() == events + 1
    # Once the cause is gone, the same import goes through.
    monkeypatch.setattr(services, "referral_submit", real)
    job = services.commit_run(services.job_commit(job=job, by=nadia, expected_version=job.version))
    assert job.created_cases == 3


def test_an_interrupted_check_resumes_from_its_last_batch(nadia, settings):
    rows = [[*ROWS[0][:1], f"Diallo{'x' * (i % 3)}", *ROWS[0][2:]] for i in range(7)]
    job = services.job_start(filename="cases.csv", data=csv_bytes(rows=rows), by=nadia)
    job = services.job_map(job=job, by=nadia, mapping=job.mapping, expected_version=job.version)
    assert services.validate_batch(job, batch_size=3) is True  # then the worker stops
    job.refresh_from_db()
    assert (job.checked_rows, job.progress) == (3, 42)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    job.refresh_from_db()
    assert services.is_interrupted(job)
    services._TABLES.entry = None  # a new worker process
    assert services.work_pending().jobs == 1
    job.refresh_from_db()
    assert (job.status, job.checked_rows, job.valid_rows) == (JobStatus.VALIDATED, 7, 7)
    assert ImportRow.objects.filter(job=job).count() == 7


def test_a_running_job_is_not_taken_by_a_second_worker(nadia):
    job = services.job_start(filename="cases.csv", data=csv_bytes(), by=nadia)
    job = services.job_map(job=job, by=nadia, mapping=job.mapping, expected_version=job.version)
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert services.work_pending().jobs == 0


def test_rollback_deletes_the_file_and_the_staged_rows(nadia):
    job = _checked(nadia, csv_bytes())
    job = services.job_rollback(job=job, by=nadia, expected_version=job.version)
    assert job.status == JobStatus.CANCELLED and bytes(job.content) == b""
    assert not ImportRow.objects.filter(job=job).exists()
    assert AuditEvent.objects.filter(action="import.rollback", target_id=str(job.pk)).exists()
    with pytest.raises(services.ImportRefused):
        services.job_commit(job=job, by=nadia, expected_version=job.version)


def test_a_finished_import_cannot_be_rolled_back(nadia):
    job = _checked(nadia, csv_bytes())
    job = services.commit_run(services.job_commit(job=job, by=nadia, expected_version=job.version))
    with pytest.raises(services.ImportRefused):
        services.job_rollback(job=job, by=nadia)
    assert Case.objects.filter(referred_by=nadia).count() == 3


def test_a_saved_mapping_is_reused_for_the_next_file(bob, bob_colleague):
    header = ["Col A", "Col B", "Col C", "Col D", "Col E"]
    rows = [["Aminata", "Diallo", "F", "1995", "oui"]]
    job = services.job_start(filename="a.csv", data=csv_bytes(header=header, rows=rows), by=bob)
    assert set(job.mapping.values()) == {""}
    mapping = {"Col A": "given_name", "Col B": "family_name", "Col C": "sex", "Col D": "birth_date",
               "Col E": "consent"}
    services.job_map(job=job, by=bob, mapping=mapping, expected_version=job.version, save_as="Registre ONG")
    saved = ImportMapping.objects.get(agency=bob.agency, name="Registre ONG")
    second = services.job_start(filename="b.xlsx", data=xlsx_bytes(header=header, rows=rows), by=bob_colleague,
                                mapping=saved)
    assert second.mapping == mapping and second.mapping_name == "Registre ONG"
    assert services.validate_all(services.job_map(job=second, by=bob_colleague, mapping=second.mapping,
                                                  expected_version=second.version)).valid_rows == 1


def test_two_columns_mapped_to_one_field_are_refused(nadia):
    job = services.job_start(filename="cases.csv", data=csv_bytes(), by=nadia)
    with pytest.raises(services.ImportRefused, match="Prénom"):
        services.job_map(job=job, by=nadia, mapping={**job.mapping, "Nom": "given_name"},
                         expected_version=job.version)


def test_a_regional_coordinator_imports_only_for_their_region(bob):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][6] = "MA-01"
    job = _checked(bob, csv_bytes(rows=rows))
    rejected = job.rows.get(outcome=RowOutcome.REJECTED)
    assert rejected.line == 3 and rejected.problems[0]["column"] == "Région"


@pytest.mark.parametrize("role", ["alice", "case_manager", "administrator", "analyst", "auditor"])
def test_only_coordinators_import(request, role):
    with pytest.raises(PermissionDenied):
        services.job_start(filename="cases.csv", data=csv_bytes(), by=request.getfixturevalue(role))


def test_a_job_is_seen_only_by_the_coordinator_who_started_it(nadia, bob):
    job = services.job_start(filename="cases.csv", data=csv_bytes(), by=nadia)
    with pytest.raises(PermissionDenied):
        services.job_map(job=job, by=bob, mapping=job.mapping, expected_version=job.version)
    with pytest.raises(PermissionDenied):
        services.job_rollback(job=job, by=bob)


def test_the_file_is_stored_encrypted(nadia):
    job = services.job_start(filename="aminata.csv", data=csv_bytes(), by=nadia)
    with connection.cursor() as cursor:
        cursor.execute("select content, filename from imports_importjob where id = %s", [job.pk])
        content, filename = cursor.fetchone()
    assert b"Aminata" not in bytes(content) and "aminata" not in filename and filename.startswith("ev1:")
    assert HEADER[0] in job.header


def test_a_commit_interrupted_by_a_stopped_worker_is_resumed(nadia, client):
    job = _checked(nadia, csv_bytes())
    job = services.job_commit(job=job, by=nadia, expected_version=job.version)
    # A worker took the job, then died: its transaction was rolled back by the database, nothing exists.
    ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=10))
    assert not Case.objects.exists()
    client.force_login(nadia)
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert f"/imports/{job.pk}/resume/" in page
    client.post(f"/imports/{job.pk}/resume/")
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and Case.objects.filter(referred_by=nadia).count() == 3
    assert AuditEvent.objects.filter(action="import.resume", target_id=str(job.pk)).exists()


def test_the_rights_of_the_person_cover_what_an_import_kept(nadia):
    from masarat.rights.registry import handlers

    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][2] = "zz"
    job = _checked(nadia, csv_bytes(rows=rows))
    job = services.commit_run(services.job_commit(job=job, by=nadia, expected_version=job.version,
                                                  skip_rejected=True))
    imported = ImportRow.objects.get(job=job, outcome=RowOutcome.CREATED)
    ImportRow.objects.filter(pk=imported.pk).update(problems=[{"field": "", "column": "", "message": "x"}])
    handler = next(handler for handler in handlers() if handler.label == "imports")
    exported = handler.export(imported.case.person, [imported.case])
    assert exported == [{"case": imported.case.reference, "import": job.pk, "line": 2, "cells": {},
                         "problems": [{"field": "", "column": "", "message": "x"}],
                         "imported_at": job.finished_at.isoformat()}]
    handler.erase(imported.case.person, [imported.case])
    assert ImportRow.objects.get(pk=imported.pk).problems == []
