"""The CTDC export: k-anonymous by generalisation then suppression, with the share suppressed reported."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from masarat.cases.models import Case
from masarat.cases.services import decision_record
from masarat.statistics import ctdc
from masarat.statistics.ctdc import COLUMNS, WIDER_AGES, anonymise
from tests.factories import make_case

AGES = list(WIDER_AGES)
record = st.builds(
    lambda year, gender, age, country, labour, sexual: (
        str(year), ctdc.DATASOURCE, gender, age, "Minor" if age in ("0--8", "9--17") else "Adult", country,
        str(labour), str(sexual), "0", str(labour * sexual), "0", "0", "0", "0"),
    st.integers(2023, 2026), st.sampled_from(["Female", "Male", ""]), st.sampled_from(AGES),
    st.sampled_from(["MA", "NG", "CI", "SN", "PH", ""]), st.integers(0, 1), st.integers(0, 1),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(record, max_size=120), st.integers(2, 12))
def test_every_published_combination_describes_at_least_k_people(records, k):
    result = anonymise(Counter(records), k)
    rows = result.rows()
    assert all(count >= k for count in Counter(rows).values())
    assert len(rows) + result.suppressed == len(records) == result.total
    # Each published row is a coarsening of a real record (nothing invented).
    coarsened = ctdc.generalise(Counter(records), result.age_level, result.citizenship_level, k)
    assert all(coarsened[row] == count for row, count in Counter(rows).items())


def test_generalisation_is_preferred_to_suppression():
    records = Counter({("2025", ctdc.DATASOURCE, "Female", band, "Adult", "NG", "0", "1", "0", "0", "0", "0", "0",
                        "0"): 4 for band in ("18--20", "21--23", "24--26")})
    result = anonymise(records, 11)
    assert result.suppressed == 0 and result.age_level == 1
    assert set(result.rows()) == {("2025", ctdc.DATASOURCE, "Female", "18--29", "Adult", "NG", "0", "1", "0", "0",
                                  "0", "0", "0", "0")}


@pytest.mark.django_db
def test_the_command_writes_ctdc_columns_and_reports_what_it_suppressed(tmp_path, bob, alice):
    for _ in range(3):
        case = make_case(by=alice, nationalities=["NG"], exploitation_forms=["SexualExploitation"])
        decision_record(case=case, stage="preliminary", outcome="positive", reasons="Indicators.", by=bob,
                        expected_version=None)
    make_case(by=alice, nationalities=["PH"])  # still awaiting a decision: not a victim yet, not exported
    output, out = tmp_path / "ctdc.csv", io.StringIO()
    call_command("export", "ctdc", str(output), "--k", "3", stdout=out)
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert rows[0] == COLUMNS
    assert len(rows) == 4 and {row[COLUMNS.index("citizenship")] for row in rows[1:]} == {"NG"}
    assert {row[COLUMNS.index("isSexualExploit")] for row in rows[1:]} == {"1"}
    assert "3 of 3 records written" in out.getvalue() and "0 suppressed (0.0%)" in out.getvalue()
    call_command("export", "ctdc", str(output), "--k", "4", stdout=(out := io.StringIO()))
    assert "0 of 3 records written" in out.getvalue() and "3 suppressed (100.0%)" in out.getvalue()
    assert Case.objects.count() == 4
