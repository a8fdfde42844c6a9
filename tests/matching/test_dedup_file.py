"""``masarat dedup-file`` end to end, and a small run of the labelled generator."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from masarat.matching.bench.datasets import synthetic
from masarat.matching.bench.metrics import b_cubed, pairwise
from masarat.matching.bench.train import to_records
from masarat.matching.engine import deduplicate

LIST = """record_id,first_name,last_name,sex,birth_date,nationality,phone,document_number,address,source_agency,notes
a1,Mohamed,Benali,M,1990-05-12,Maroc,0612345678,AB123456,12 Rue Atlas Rabat,police,first
a2,محمد,بن علي,ذكر,1990,المغرب,+212 6 12 34 56 78,,,ngo,
a3,Muhammad,Ben Ali,m,1990-05,MA,,,,hospital,
a4,Fatima,Benali,F,1995-02-01,MA,0612345678,,12 Rue Atlas Rabat,police,his sister
a5,Mahmoud,Benali,M,1990-13-01,Morocco,0612345678,,12 Rue Atlas Rabat,police,
,Hassan,Alaoui,M,1980,MA,,,,police,
a6,Khadija,El Idrissi,F,1985-03-04,marocaine,0661000000,,,ngo,
a7,خديجة,الإدريسي,أنثى,1985-04-03,Narnia,,,,police,
a8,Khadija,Idrissi,F,1985,MA,0661000000,,,hospital,"quoted, with a comma"
a1,Someone,Else,,,,,,,,
"""


def run(tmp_path: Path, text: str, *args: str) -> tuple[dict[str, str], str, str]:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(text, encoding="utf-8")
    out, err = StringIO(), StringIO()
    with translation.override("fr"):
        call_command("dedup_file", str(source), str(target), *args, stdout=out, stderr=err)
    with target.open(encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["record_id", "cluster_id"]
    return dict(rows[1:]), out.getvalue(), err.getvalue()


def test_dedup_file_groups_the_same_person_and_reports_bad_rows(tmp_path):
    clusters, out, err = run(tmp_path, LIST)
    assert set(clusters) == {"a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8"}
    assert clusters["a1"] == clusters["a2"] == clusters["a3"] == "a1"
    assert clusters["a6"] == clusters["a7"] == clusters["a8"]
    assert len({clusters["a1"], clusters["a4"], clusters["a5"]}) == 3  # sister and Mahmoud stay apart
    assert "ligne 6" in err and "1990-13-01" in err  # bad date: reported, row kept
    assert "ligne 7" in err  # no record_id
    assert "ligne 9" in err and "Narnia" in err
    assert "ligne 11" in err and "a1" in err  # duplicate identifier
    assert "8" in out


def test_broken_rows_never_stop_the_run(tmp_path):
    text = ("record_id,first_name,last_name\n"
            "x1,Youssef,Tazi\n"
            "x2,Youssef,Tazi,extra,fields\n"
            "x3,\x00Youssef,Tazi\n"
            'x4,"Youssef,Tazi\n')
    clusters, _out, err = run(tmp_path, text)
    assert {"x1", "x2", "x3"} <= set(clusters)
    assert "ligne 3" in err


def test_missing_header_column_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="record_id"):
        run(tmp_path, "id,first_name\n1,Ali\n")


def test_not_utf8_is_reported(tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(b"record_id,first_name,last_name\nz1,Youssef,Tazi\nz2,Fran\xe7ois,Tazi\n")
    err = StringIO()
    with translation.override("fr"):
        call_command("dedup_file", str(source), str(target), stdout=StringIO(), stderr=err)
    assert "ligne 3" in err.getvalue()
    assert target.read_text(encoding="utf-8").count("\n") == 3


def test_generator_small_run_reaches_the_floor():
    """A broken scorer (every record alone, or everything merged, or names ignored) stays far below."""
    rows = synthetic(800, seed=21)
    truth = {row["record_id"]: person for row, person in rows}
    clusters = deduplicate(to_records(rows)).clusters
    pairs = pairwise(clusters, truth)
    assert pairs.f1 >= 0.85 and pairs.precision >= 0.93
    assert b_cubed(clusters, truth).f1 >= 0.93
    singletons = {record_id: record_id for record_id in truth}
    assert pairwise(singletons, truth).f1 == 0
