"""``masarat import cases FILE --user`` and ``masarat import work``."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from masarat.cases.models import Case
from masarat.imports import services
from masarat.imports.models import ImportJob, JobStatus
from tests.imports.helpers import ROWS, csv_bytes, xlsx_bytes


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("import", *args, stdout=out)
    return out.getvalue()


def test_import_cases_from_the_command_line(tmp_path, nadia):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(xlsx_bytes())
    output = _run("cases", str(path), "--user", nadia.username)
    assert Case.objects.filter(referred_by=nadia).count() == 3
    assert "3" in output and all(case.reference in output for case in Case.objects.all())
    assert ImportJob.objects.get().status == JobStatus.DONE


def test_a_dry_run_reports_and_records_nothing(tmp_path, nadia):
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes())
    output = _run("cases", str(path), "--user", nadia.username, "--dry-run")
    assert not Case.objects.exists()
    assert "line\toutcome" in output
    job = ImportJob.objects.get()
    assert job.status == JobStatus.CANCELLED and bytes(job.content) == b"" and not job.rows.exists()


def test_rejected_rows_stop_the_import_with_a_non_zero_exit(tmp_path, nadia):
    rows = [list(ROWS[0]), list(ROWS[1])]
    rows[1][3] = "1988-13-40"
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(rows=rows))
    with pytest.raises(CommandError, match="1"):
        _run("cases", str(path), "--user", nadia.username)
    assert not Case.objects.exists()
    _run("cases", str(path), "--user", nadia.username, "--skip-rejected")
    assert Case.objects.count() == 1


def test_a_saved_mapping_by_name(tmp_path, nadia):
    header = ["A", "B", "C", "D", "E"]
    rows = [["Aminata", "Diallo", "F", "1995", "oui"]]
    job = services.job_start(filename="a.csv", data=csv_bytes(header=header, rows=rows), by=nadia)
    services.mapping_save(by=nadia, name="ONG", columns={"A": "given_name", "B": "family_name", "C": "sex",
                                                        "D": "birth_date", "E": "consent"})
    services.job_rollback(job=job, by=nadia)
    path = tmp_path / "cases.csv"
    path.write_bytes(csv_bytes(header=header, rows=rows))
    _run("cases", str(path), "--user", nadia.username, "--mapping", "ONG")
    assert Case.objects.count() == 1
    with pytest.raises(CommandError, match=r"ONG2"):
        _run("cases", str(path), "--user", nadia.username, "--mapping", "ONG2")


def test_an_unreadable_file_or_unknown_user_is_refused(tmp_path, nadia, alice):
    path = tmp_path / "cases.xlsx"
    path.write_bytes(b"PK\x03\x04nonsense")
    with pytest.raises(CommandError):
        _run("cases", str(path), "--user", nadia.username)
    with pytest.raises(CommandError):
        _run("cases", str(path), "--user", "nobody")
    assert not ImportJob.objects.exists()


def test_the_worker_runs_waiting_jobs(nadia):
    job = services.job_start(filename="a.csv", data=csv_bytes(), by=nadia)
    services.job_map(job=job, by=nadia, mapping=job.mapping, expected_version=job.version)
    assert "1" in _run("work", "--once")
    job.refresh_from_db()
    assert job.status == JobStatus.VALIDATED
