"""Malformed and hostile files never crash the import and never commit part of it.

Property-based (Hypothesis) and hand-made fuzz cases: wrong encodings, huge cells, formulas,
embedded NULs, broken and oversized workbooks (zip bombs), duplicated headers, empty files.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masarat.cases.models import Case
from masarat.imports import services
from masarat.imports.models import ImportJob, JobStatus, RowOutcome
from masarat.imports.reading import FileRefused, detect_encoding, read_table
from masarat.imports.rows import read_row
from masarat.people.models import Person
from tests.imports.helpers import HEADER, ROWS, csv_bytes, xlsx_bytes

FIELD_NAMES = ["given_name", "family_name", "full_name", "sex", "birth_date", "estimated_age", "nationality",
               "phone", "document_kind", "document_number", "region", "exploitation_forms", "referring_agency",
               "referral_date", "encountered_on", "consent", "consent_informed_by", "consent_language",
               "languages", "circumstances", "given_name_arabic", "family_name_latin"]
nasty_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    ["=cmd|' /C calc'!A0", "+1", "@SUM(A1)", "\x00", "31/02/2020", "2999-01-01", "0000", "NaN", "1e309", "-5",
     "oui", "F", "MA-04", "Maroc", "ذكر", "", " ", "\u202e", "9" * 400])


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=3000), st.sampled_from(["", "utf-8", "windows-1256", "latin-1"]),
       st.sampled_from(["cases.csv", "cases.xlsx", "cases"]))
def test_any_bytes_are_read_or_refused_with_a_reason(data, encoding, name):
    try:
        table = read_table(data, filename=name, encoding=encoding)
    except FileRefused as refused:
        assert str(refused)
        return
    assert table.header and all(isinstance(cell, str) for cell in table.header)
    assert len(set(table.header)) == len(table.header)
    assert len(table.rows) == len(table.lines)
    assert all("\x00" not in cell for row in table.rows for cell in row)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELD_NAMES), nasty_text, max_size=12))
def test_any_row_is_read_into_a_referral_or_problems(nadia, cells):
    read = read_row(cells, by=nadia)
    assert (read.data is None) == bool(read.problems)
    assert all(problem.message for problem in read.problems)


@pytest.mark.django_db(transaction=False)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(nasty_text, min_size=0, max_size=len(HEADER) + 2), min_size=1, max_size=6))
def test_hostile_rows_go_through_the_whole_import_all_or_nothing(nadia, rows):
    cases = Case.objects.count()
    try:
        job = services.job_start(filename="x.csv", data=csv_bytes(rows=rows, delimiter=","), by=nadia)
    except FileRefused:
        return
    job = services.validate_all(services.job_map(job=job, by=nadia, mapping=job.mapping,
                                                 expected_version=job.version))
    assert job.status == JobStatus.VALIDATED and job.checked_rows == job.total_rows
    assert Case.objects.count() == cases  # checking writes no case
    if not job.valid_rows:
        return
    job = services.commit_run(services.job_commit(job=job, by=nadia, expected_version=job.version,
                                                  skip_rejected=True))
    assert job.status == JobStatus.DONE
    assert Case.objects.count() == cases + job.valid_rows == cases + job.created_cases


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    return out.getvalue()


def _truncated_xlsx() -> bytes:
    data = xlsx_bytes()
    return data[: len(data) // 2]


HOSTILE = {
    "empty": b"",
    "only blank lines": b"\r\n\r\n  \r\n",
    "only a BOM": b"\xef\xbb\xbf",
    "NUL bytes only": b"\x00" * 500,
    "zip bomb": _zip_bomb(),
    "truncated workbook": _truncated_xlsx(),
    "zip that is not a workbook": (lambda: (lambda out: (zipfile.ZipFile(out, "w").close(), out.getvalue())[1])(
        io.BytesIO()))(),
    "random workbook bytes": b"PK\x03\x04" + bytes(range(256)) * 20,
    "unclosed quote": b'Nom,Prenom\n"Diallo,Aminata\n',
    "too many columns": (",".join(f"c{i}" for i in range(500)) + "\n").encode(),
    "a header too long": b"x" * 300 + b"\n1\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_with_a_reason_and_leave_nothing(nadia, name):
    data = HOSTILE[name]
    with pytest.raises(FileRefused) as refused:
        services.job_start(filename="cases.xlsx" if name.endswith("workbook") else "cases.csv", data=data, by=nadia)
    assert str(refused.value)
    assert not ImportJob.objects.exists() and not Case.objects.exists()


def test_an_oversized_file_is_refused(nadia, settings):
    settings.MASARAT_IMPORT_MAX_BYTES = 2048
    with pytest.raises(FileRefused, match=r"MB|Mo"):
        services.job_start(filename="cases.csv", data=csv_bytes() + b"x" * 3000, by=nadia)


def test_too_many_rows_are_refused(nadia, settings):
    settings.MASARAT_IMPORT_MAX_ROWS = 2
    with pytest.raises(FileRefused):
        services.job_start(filename="cases.csv", data=csv_bytes(), by=nadia)


def test_huge_cells_are_cut_and_rejected_not_crashing(nadia):
    rows = [list(ROWS[0])]
    rows[0][0] = "A" * 1_000_000
    job = services.job_start(filename="cases.csv", data=csv_bytes(rows=rows), by=nadia)
    job = services.validate_all(services.job_map(job=job, by=nadia, mapping=job.mapping,
                                                 expected_version=job.version))
    assert job.rejected_rows == 1
    assert any("120" in problem["message"] for problem in job.rows.get().problems)


def test_formulas_are_text_never_evaluated(nadia):
    rows: list[list[object]] = [list(ROWS[0])]
    rows[0][0] = "=cmd|' /C calc'!A0"
    rows[0][9] = '=IF(1=1,"oui","non")'
    table = read_table(xlsx_bytes(rows=rows), filename="cases.xlsx")
    assert table.rows[0][0] == "=cmd|' /C calc'!A0" and table.rows[0][9].startswith("=IF(")
    job = services.job_start(filename="cases.xlsx", data=xlsx_bytes(rows=rows), by=nadia)
    job = services.validate_all(services.job_map(job=job, by=nadia, mapping=job.mapping,
                                                 expected_version=job.version))
    assert job.rejected_rows == 1 and not Person.objects.exists()


def test_duplicated_and_empty_headers_are_numbered(nadia):
    table = read_table(b"Nom;Nom;;Sexe\nDiallo;Diallo;x;F\n")
    assert table.header == ["Nom", "Nom (2)", "Column 3", "Sexe"] or table.header[1] == "Nom (2)"


def test_embedded_nuls_are_dropped(nadia):
    table = read_table(csv_bytes().replace(b"Aminata", b"Ami\x00nata"))
    assert table.rows[0][0] == "Aminata"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "windows-1256"])
def test_arabic_files_in_every_common_encoding(nadia, encoding):
    rows = [ROWS[2]]
    data = csv_bytes(header=["الاسم", "النسب", "الجنس", "تاريخ الازدياد", "الجنسية"],
                     rows=[row[:5] for row in rows], encoding=encoding)
    table = read_table(data)
    assert table.rows[0][0] == "يوسف" and table.header[0] == "الاسم"
    assert table.encoding == ("windows-1256" if encoding == "windows-1256" else "utf-8")


def test_latin1_french_files_are_detected(nadia):
    data = csv_bytes(rows=[ROWS[0], ROWS[1]], encoding="latin-1")
    assert detect_encoding(data) == "latin-1"
    table = read_table(data)
    assert table.header[0] == "Prénom" and table.rows[1][1] == "Traoré"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_the_delimiter_is_detected(delimiter):
    table = read_table(csv_bytes(delimiter=delimiter))
    assert table.delimiter == delimiter and table.rows[0][1] == "Diallo"


def test_an_import_with_only_rejected_rows_commits_nothing(nadia):
    rows = [list(ROWS[0])]
    rows[0][2] = "zz"
    job = services.job_start(filename="cases.csv", data=csv_bytes(rows=rows), by=nadia)
    job = services.validate_all(services.job_map(job=job, by=nadia, mapping=job.mapping,
                                                 expected_version=job.version))
    with pytest.raises(services.ImportRefused):
        services.job_commit(job=job, by=nadia, expected_version=job.version, skip_rejected=True)
    assert job.rows.get().outcome == RowOutcome.REJECTED and not Case.objects.exists()
