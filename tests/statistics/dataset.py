"""A small hand-built dataset whose every statistic is worked out by hand in the tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from masarat.accounts.models import User
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, Decision
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage
from masarat.organisations.regions import Region
from masarat.referrals.vocabulary import Consent
from tests.factories import make_case


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=timezone.get_current_timezone())


@dataclass
class Dataset:
    c1: Case  # woman from Guinea, forced labour, Rabat: identified, formal decision late
    c2: Case  # man from Nigeria, sexual exploitation, Tanger: not presumed, late at both steps
    c3: Case  # girl from Guinea, forced labour, Rabat: waiting for the preliminary decision, overdue
    c4: Case  # anonymous notification, man, Rabat


def build(alice: User, charlie: User, bob: User) -> Dataset:
    c1 = make_case(by=alice)
    c2 = make_case(by=charlie, sex="male", nationalities=["NG"], region=Region.TANGER_TETOUAN_AL_HOCEIMA,
                   exploitation_forms=["SexualExploitation"])
    c3 = make_case(by=alice, birth_year=2012)
    c4 = make_case(by=alice, sex="male", consent=Consent.REFUSED, given_name_latin="", family_name_latin="")
    Case.objects.filter(pk=c1.pk).update(
        referred_at=at(2025, 1, 6), acknowledged_at=at(2025, 1, 6, 18), preliminary_decided_at=at(2025, 1, 10),
        reflection_ends_on=date(2025, 2, 10), formal_decided_at=at(2025, 3, 10), status=Status.IDENTIFIED,
        due_on=None, due_step="")
    Case.objects.filter(pk=c2.pk).update(
        referred_at=at(2025, 1, 7), acknowledged_at=at(2025, 1, 9), preliminary_decided_at=at(2025, 1, 20),
        status=Status.NOT_PRESUMED, due_on=None, due_step="")
    negative = Decision.objects.create(case=c2, stage=DecisionStage.PRELIMINARY, outcome=DecisionOutcome.NEGATIVE,
                                       reasons="No indicator.", decided_by=bob)
    Decision.objects.filter(pk=negative.pk).update(decided_at=at(2025, 1, 20), reviewed_at=at(2025, 1, 24),
                                                   review_outcome="confirmed")
    Case.objects.filter(pk=c3.pk).update(
        referred_at=at(2025, 4, 1), acknowledged_at=at(2025, 4, 1, 14), status=Status.AWAITING_PRELIMINARY,
        due_on=date(2025, 4, 8))
    Case.objects.filter(pk=c4.pk).update(referred_at=at(2025, 4, 2))
    for case in (c1, c2, c3, c4):
        case.refresh_from_db()
    return Dataset(c1, c2, c3, c4)
