"""The benchmark scripts' scenarios run against a small demo database (no timing here: that is what the
scripts measure). A scenario that stops working would otherwise only be found on the day of a benchmark."""

from __future__ import annotations

from unittest import mock

import pytest

from benchmarks import latency
from masarat.demo.seeding import seed_demo
from masarat.duplicates import services as duplicate_services

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def demo_database() -> None:
    seed_demo(cases=40)


def test_every_latency_scenario_answers(demo_database: None) -> None:
    from masarat.duplicates.models import DuplicateCheck

    DuplicateCheck.objects.filter(person__cases__reference__endswith="1").delete()  # some never checked
    found = latency.scenarios(seed=3, sample_size=20)
    assert {"case page", "queue", "referral submission", "dashboard"} <= {kind for kind, _ in found.values()}
    for name, (_kind, run) in found.items():
        if prepare := getattr(run, "prepare", None):
            prepare()
        response = run()
        assert response.status_code in (200, 201), name


def test_the_submission_scenario_includes_the_duplicate_check(demo_database: None) -> None:
    found = latency.scenarios(seed=3, sample_size=20)
    (_kind, submit), = [scenario for name, scenario in found.items() if "submission" in name]
    with mock.patch.object(duplicate_services, "find_candidates", wraps=duplicate_services.find_candidates) as check:
        submit()
    assert check.call_count == 1


def test_the_case_page_scenarios_read_kept_duplicates_or_check_on_the_first_visit(demo_database: None) -> None:
    from masarat.duplicates.models import DuplicateCheck

    DuplicateCheck.objects.all().delete()  # as for generated persons
    found = latency.scenarios(seed=3, sample_size=20)
    (_kind, kept), = [scenario for name, scenario in found.items() if name == "case page"]
    (_kind, first), = [scenario for name, scenario in found.items() if "first visit" in name]
    kept.prepare()
    with mock.patch.object(duplicate_services, "find_candidates", wraps=duplicate_services.find_candidates) as check:
        kept()
        assert check.call_count == 0  # read from what the check at referral kept
        first()
        assert check.call_count == 1
