"""The dashboard's fast path (facts and referral cells) against the case-level queries, on generated cases.

``selectors`` computes every aggregate from the cases themselves (its own tests check it by hand);
``summary`` reads the facts and cells kept current with the cases. They must agree on any data
and any filters: the cases here come from ``masarat generate`` (every stage, several years,
reviews, closures), the filters are drawn at random (seeded) from the values the data holds.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.utils import timezone

from masarat.accounts.models import User
from masarat.cases import services
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, CaseExploitation, Decision
from masarat.cases.vocabulary import DecisionOutcome, ExploitationForm
from masarat.deadlines.models import PublicHoliday
from masarat.demo.seeding import REFERRERS
from masarat.statistics import facts, selectors, summary
from masarat.statistics.models import BacklogCell, CaseFact, ReferralCell, StageCell
from masarat.statistics.selectors import Filters
from tests.factories import make_case

GRANULARITIES = ("month", "quarter", "year")


@pytest.fixture
def generated(db):
    call_command("generate", cases=90, seed=11, years=3, batch=30, stdout=StringIO(), stderr=StringIO())


def assert_same(filters: Filters, granularity: str, today: date) -> None:
    by_period, breakdowns = summary.referrals(filters, granularity)
    assert by_period == selectors.outcomes_per_period(filters, granularity), filters
    for dimension in selectors.DIMENSIONS:
        assert breakdowns[dimension] == selectors.breakdown(filters, dimension), (filters, dimension)
    durations, compliance = summary.stages(filters)
    assert durations == selectors.stage_durations(filters), filters
    assert compliance == selectors.deadline_compliance(filters), filters
    assert summary.backlog(filters, today) == selectors.backlog(filters, today), filters
    assert summary.stage_flows(filters, today) == selectors.stage_flows(filters, today), filters


def cells() -> Counter[tuple[object, ...]]:
    return Counter({tuple(row[name] for name in facts.CELL_KEY): row["count"]
                    for row in ReferralCell.objects.values(*facts.CELL_KEY, "count") if row["count"]})


def all_cells() -> dict[str, Counter[tuple[object, ...]]]:
    """The referral, stage and backlog counts as kept (empty cells left out)."""
    return {"referrals": cells(),
            "stages": Counter({tuple(row[name] for name in facts.STAGE_KEY): row["count"]
                               for row in StageCell.objects.values(*facts.STAGE_KEY, "count") if row["count"]}),
            "backlog": Counter({tuple(row[name] for name in facts.BACKLOG_KEY): row["count"]
                                for row in BacklogCell.objects.values(*facts.BACKLOG_KEY, "count") if row["count"]})}


def assert_cells_current() -> None:
    """The cells kept current change by change are those counted again from all the facts."""
    kept = all_cells()
    facts.recount_cells()
    assert all_cells() == kept


def random_filters(rng: random.Random) -> Filters:
    profile = {
        "region": sorted(set(Case.objects.values_list("region", flat=True))),
        "agency_kind": sorted(set(Case.objects.values_list("referring_agency__kind", flat=True))),
        "sex": sorted(set(Case.objects.values_list("sex", flat=True))),
        "age_band": sorted(set(Case.objects.values_list("age_band", flat=True))),
        "nationality": sorted(set(Case.objects.values_list("nationality", flat=True))),
        "exploitation": ExploitationForm.values,
    }
    chosen = {name: rng.choice(values) for name, values in profile.items() if rng.random() < 0.3}
    today = timezone.localdate()
    start = end = None
    if rng.random() < 0.6:
        start = today - timedelta(days=rng.randint(0, 3 * 365))
        if rng.random() < 0.3:
            start = start.replace(day=1)  # a whole first month
    if rng.random() < 0.6:
        end = (start or today - timedelta(days=3 * 365)) + timedelta(days=rng.randint(0, 500))
        if rng.random() < 0.3:
            end = selectors.next_period(end, "month") - timedelta(days=1)  # a whole last month
    return Filters(start=start, end=end, **chosen)


def test_generation_fills_the_facts_and_cells(generated):
    assert CaseFact.objects.count() == Case.objects.count() == 90
    written_facts = list(CaseFact.objects.order_by("case_id").values())
    written_cells = all_cells()
    assert sum(written_cells["referrals"].values()) == 90
    waiting = CaseFact.objects.exclude(waiting_stage="").count()
    assert 0 < sum(written_cells["backlog"].values()) == waiting
    measured = CaseFact.objects.filter(acknowledgement_hours__isnull=False).count()
    assert 0 < sum(count for key, count in written_cells["stages"].items() if key[0] == "acknowledgement") == measured
    assert any(key[0] == "review" for key in written_cells["stages"])
    assert any(key[3] for key in written_cells["stages"]) and any(not key[3] for key in written_cells["stages"])
    facts.rebuild(batch_size=20)
    assert list(CaseFact.objects.order_by("case_id").values()) == written_facts
    assert all_cells() == written_cells


def test_the_fast_path_gives_the_case_level_figures(generated):
    rng = random.Random(2026)
    today = timezone.localdate()
    fixed = [Filters(), Filters(start=today - timedelta(days=365), end=today),
             Filters(start=today.replace(day=1)), Filters(end=today.replace(day=1) - timedelta(days=1)),
             Filters(start=today - timedelta(days=40), end=today - timedelta(days=40)),
             Filters(sex="female", exploitation="SexualExploitation"), Filters(exploitation="nothing")]
    for filters in fixed + [random_filters(rng) for _draw in range(40)]:
        assert_same(filters, rng.choice(GRANULARITIES), today)
    # Without a profile the stages and the backlog come from their cells: periods only, other days.
    for _draw in range(30):
        drawn = random_filters(rng)
        assert_same(Filters(start=drawn.start, end=drawn.end), rng.choice(GRANULARITIES),
                    today - timedelta(days=rng.randint(0, 400)))
    # Periods starting or ending on a day a stage ended, in the middle of a month (edge days).
    ended = sorted({day for name in ("acknowledged_on", "preliminary_on", "formal_on")
                    for day in CaseFact.objects.values_list(name, flat=True) if day is not None and day.day > 1})
    for _draw in range(20):
        first, last = sorted(rng.sample(ended, 2))
        assert_same(Filters(start=first, end=last), "month", today)
        assert_same(Filters(start=first), "month", today)
        assert_same(Filters(end=last), "month", today)


def test_changes_move_cases_between_cells(generated):
    nadia = User.objects.get(username="national.coordinator")
    referrer = User.objects.get(username=REFERRERS[0].username)
    case = make_case(by=referrer, exploitation_forms=["ForcedBegging"])
    assert CaseFact.objects.get(case=case).exploitation == facts.FORM_BITS["ForcedBegging"]
    services.case_acknowledge(case=case, by=nadia, expected_version=case.version)
    fact = CaseFact.objects.get(case=case)
    assert fact.acknowledged_on == timezone.localdate() and fact.acknowledgement_deadline > fact.acknowledged_on
    assert fact.waiting_stage == "preliminary" and fact.outcome == "awaiting_preliminary"
    # Changes in bulk, without a signal, refresh the facts too.
    Case.objects.filter(pk=case.pk).update(status=Status.CLOSED, status_before_close=Status.IDENTIFIED)
    CaseExploitation.objects.bulk_create([CaseExploitation(case=case, form="Servitude")])
    fact = CaseFact.objects.get(case=case)
    assert fact.outcome == "identified" and fact.waiting_stage == ""
    assert fact.exploitation == facts.FORM_BITS["ForcedBegging"] | facts.FORM_BITS["Servitude"]
    CaseExploitation.objects.filter(case=case, form="ForcedBegging").delete()
    assert CaseFact.objects.get(case=case).exploitation == facts.FORM_BITS["Servitude"]
    Case.objects.filter(region=case.region).update(referred_at=timezone.now() - timedelta(days=400))
    assert_cells_current()
    assert_same(Filters(), "quarter", timezone.localdate())
    assert_same(Filters(start=timezone.localdate() - timedelta(days=500)), "month", timezone.localdate())


def test_a_deleted_case_leaves_its_cell(generated):
    before = sum(cells().values())
    case = Case.objects.filter(person__isnull=True).first() or Case.objects.first()
    assert case is not None
    Case.objects.filter(pk=case.pk).delete()
    assert sum(cells().values()) == before - 1
    assert not CaseFact.objects.filter(case_id=case.pk).exists()
    assert_same(Filters(), "year", timezone.localdate())
    # A case with a second review takes its decisions' facts out of the stage cells too.
    reviewed = Case.objects.filter(decisions__reviewed_at__isnull=False).first()
    assert reviewed is not None
    Case.objects.filter(pk=reviewed.pk).delete()
    assert_cells_current()
    assert_same(Filters(), "month", timezone.localdate())


def test_a_second_review_moves_between_stage_cells(generated):
    decision = Decision.objects.filter(outcome=DecisionOutcome.NEGATIVE, reviewed_at__isnull=False).first()
    assert decision is not None
    decision.reviewed_at = decision.reviewed_at + timedelta(days=40)
    decision.save()
    assert_cells_current()
    Decision.objects.filter(pk=decision.pk).update(reviewed_at=None)
    facts.refresh_review_facts([decision.pk])
    assert_cells_current()
    Decision.objects.filter(pk=decision.pk).delete()
    assert_cells_current()
    assert_same(Filters(), "quarter", timezone.localdate())


def test_rebuild_command_goes_on_after_an_interruption(generated):
    CaseFact.objects.all().delete()
    assert not cells() and not BacklogCell.objects.exclude(count=0).exists()
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    out = StringIO()
    call_command("statistics", "rebuild", "--batch", "25", "--start-after", str(ids[39]), stdout=out,
                 stderr=StringIO())
    assert CaseFact.objects.count() == 50
    call_command("statistics", "rebuild", "--batch", "25", stdout=out, stderr=StringIO())
    assert CaseFact.objects.count() == 90 and sum(cells().values()) == 90
    assert_cells_current()
    assert "Statistics rebuilt from 90 cases." in out.getvalue()
    assert_same(Filters(), "quarter", timezone.localdate())


def test_deadlines_follow_the_public_holidays(generated):
    today = timezone.localdate()
    # A holiday on every day of the first week of each month: many deadlines move later.
    PublicHoliday.objects.bulk_create([PublicHoliday(name=f"Test {month}-{day}", month=month, day=day)
                                       for month in range(1, 13) for day in range(1, 8)])
    late_before = StageCell.objects.filter(late=True).aggregate(total=Sum("count"))["total"]
    moved = facts.refresh_deadlines()
    assert moved > 0
    assert StageCell.objects.filter(late=True).aggregate(total=Sum("count"))["total"] != late_before
    assert_cells_current()
    assert facts.refresh_deadlines() == 0
    for filters in (Filters(), Filters(start=today - timedelta(days=400), end=today - timedelta(days=20))):
        assert summary.stages(filters)[1] == selectors.deadline_compliance(filters)


def test_the_number_of_queries_does_not_grow_with_the_cases(generated):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from masarat.statistics.release import build_release

    filters = Filters(start=timezone.localdate() - timedelta(days=500), sex="female")
    with CaptureQueriesContext(connection) as before:
        build_release(filters, "month")
    referrer = User.objects.get(username=REFERRERS[0].username)
    for _number in range(5):
        make_case(by=referrer, exploitation_forms=["ForcedLabour", "Servitude"])
    with CaptureQueriesContext(connection) as after:
        build_release(filters, "month")
    assert len(after) == len(before) <= 20
