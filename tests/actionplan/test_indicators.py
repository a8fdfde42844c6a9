"""Indicators computed from cases built by hand, every value worked out here; and disclosure control."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from masarat.actionplan.indicators import COMPUTED, Period, compute
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, Decision
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage
from masarat.pathways.models import ServiceReferral
from masarat.pathways.vocabulary import ReferralStatus
from tests.factories import make_case

YEAR_2025 = Period(date(2025, 1, 1), date(2025, 12, 31))
YEAR_2024 = Period(date(2024, 1, 1), date(2024, 12, 31))


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


def decide(case: Case, stage: str, outcome: str, when: datetime, by, **review) -> None:
    decision = Decision.objects.create(case=case, stage=stage, outcome=outcome, reasons="Reasons.", decided_by=by)
    Decision.objects.filter(pk=decision.pk).update(decided_at=when, **review)


def refer(case: Case, by, status: str, sent: datetime, answered: datetime | None) -> None:
    ServiceReferral.objects.create(case=case, kind="medical", status=status, created_by=by, sent_at=sent,
                                   responded_at=answered)


@pytest.fixture
def cases(alice, bob):
    """Three cases referred in 2025 and one in 2024:

    - a (adult): referred 6 Jan, presumed 8 Jan (within 5 working days), sent to a service 24 hours
      later (accepted), identified 16 Jan (10 days after referral);
    - b (child): referred 6 Jan, presumed 31 Jan (late), sent 72 hours later (declined), then to another
      service (delivered); identified 7 Feb (32 days);
    - c (adult): referred 3 Feb, presumed 4 Feb after a negative preliminary decision overturned on
      review; never sent to a service; formal decision negative 23 Feb (20 days);
    - d: referred in 2024, presumed and identified in 2024.
    """
    a, b, c, d = (make_case(by=alice) for _ in range(4))
    Case.objects.filter(pk=b.pk).update(is_child=True)
    rows = {
        a: (at(2025, 1, 6), at(2025, 1, 8), at(2025, 1, 16), Status.IDENTIFIED),
        b: (at(2025, 1, 6), at(2025, 1, 31), at(2025, 2, 7), Status.IDENTIFIED),
        c: (at(2025, 2, 3), at(2025, 2, 4), at(2025, 2, 23), Status.NOT_IDENTIFIED),
        d: (at(2024, 3, 4), at(2024, 3, 5), at(2024, 5, 6), Status.IDENTIFIED),
    }
    for case, (referred, preliminary, formal, status) in rows.items():
        Case.objects.filter(pk=case.pk).update(referred_at=referred, acknowledged_at=referred,
                                               preliminary_decided_at=preliminary, formal_decided_at=formal,
                                               reflection_ends_on=None, status=status, due_on=None, due_step="")
    decide(a, DecisionStage.PRELIMINARY, DecisionOutcome.POSITIVE, at(2025, 1, 8), bob)
    decide(b, DecisionStage.PRELIMINARY, DecisionOutcome.POSITIVE, at(2025, 1, 31), bob)
    decide(c, DecisionStage.PRELIMINARY, DecisionOutcome.NEGATIVE, at(2025, 2, 3), bob,
           review_outcome="overturned", reviewed_at=at(2025, 2, 4))
    decide(d, DecisionStage.PRELIMINARY, DecisionOutcome.POSITIVE, at(2024, 3, 5), bob)
    decide(a, DecisionStage.FORMAL, DecisionOutcome.POSITIVE, at(2025, 1, 16), bob)
    decide(b, DecisionStage.FORMAL, DecisionOutcome.POSITIVE, at(2025, 2, 7), bob)
    decide(c, DecisionStage.FORMAL, DecisionOutcome.NEGATIVE, at(2025, 2, 23), bob)
    decide(d, DecisionStage.FORMAL, DecisionOutcome.POSITIVE, at(2024, 5, 6), bob)
    refer(a, bob, ReferralStatus.ACCEPTED, at(2025, 1, 8) + timedelta(hours=24), at(2025, 1, 10))
    refer(b, bob, ReferralStatus.DECLINED, at(2025, 1, 31) + timedelta(hours=72), at(2025, 2, 4))
    refer(b, bob, ReferralStatus.DELIVERED, at(2025, 2, 5), at(2025, 2, 6))
    refer(d, bob, ReferralStatus.ACCEPTED, at(2024, 3, 5, 14), at(2024, 3, 6))
    return a, b, c, d


@pytest.fixture
def no_suppression(settings):
    settings.MASARAT_STATISTICS_MIN_CELL = 1


def test_every_indicator_on_known_cases(cases, no_suppression):
    values = {key: compute(key, YEAR_2025).value for key in COMPUTED}
    assert values == {
        "cases_referred": Decimal(3),
        "presumed_victims": Decimal(3),  # a and b positive, c overturned on review
        "victims_identified": Decimal(2),  # a and b
        "children_identified": Decimal(1),  # b
        "referred_within_48h": Decimal("33.3"),  # a only, of a, b and c
        "median_days_to_formal_decision": Decimal("20.0"),  # 10, 20 and 32 days
        "preliminary_within_deadline": Decimal("66.7"),  # a and c, not b
        "service_referrals_accepted": Decimal("66.7"),  # accepted and delivered, of three answered
    }


def test_the_period_bounds_the_counts(cases, no_suppression):
    assert compute("victims_identified", YEAR_2024).value == 1
    assert compute("referred_within_48h", YEAR_2024).value == Decimal("100.0")
    first_quarter = Period(date(2025, 1, 1), date(2025, 1, 31))
    assert compute("presumed_victims", first_quarter).value == 2
    assert compute("victims_identified", Period(date(2023, 1, 1), date(2023, 12, 31))).value == 0


def test_a_share_of_nobody_is_no_value_not_a_hidden_one(cases, no_suppression):
    empty = compute("referred_within_48h", Period(date(2023, 1, 1), date(2023, 12, 31)))
    assert empty.value is None and not empty.hidden


def test_small_counts_are_hidden_with_the_values_built_on_them(cases, settings):
    settings.MASARAT_STATISTICS_MIN_CELL = 5
    for key in COMPUTED:
        value = compute(key, YEAR_2025)
        assert value.value is None and value.hidden, key
    assert compute("victims_identified", Period(date(2023, 1, 1), date(2023, 12, 31))).value == 0  # zero is shown


def test_a_share_is_hidden_when_either_side_is_small(alice, bob, settings):
    settings.MASARAT_STATISTICS_MIN_CELL = 3
    # Six answered referrals, five accepted: the one declined would be singled out.
    case = make_case(by=alice)
    for number in range(6):
        refer(case, bob, ReferralStatus.ACCEPTED if number else ReferralStatus.DECLINED, at(2025, 3, 1),
              at(2025, 3, 2))
    value = compute("service_referrals_accepted", YEAR_2025)
    assert value.hidden and value.value is None
