"""A referral received before it was entered (an imported paper record, the demo's history)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.referrals.services import referral_submit
from masarat.referrals.validation import ReferralErrors
from tests.factories import referral_input


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(10, 30), tzinfo=timezone.get_current_timezone())


def test_the_case_is_dated_numbered_and_due_from_the_day_it_was_received(alice):
    received_at = _moment(timezone.localdate() - timedelta(days=400))
    case = referral_submit(data=referral_input(), by=alice, received_at=received_at)
    case.refresh_from_db()
    assert case.referred_at == received_at
    assert case.reference.split("-")[1] == str(received_at.year)
    assert case.waiting_since == received_at.date()
    # The first deadline ran from the receipt: more than a year ago, so the case is overdue at once.
    assert case.due_on is not None and received_at.date() < case.due_on < timezone.localdate()
    # The audit trail keeps the truth: entered now, saying when it was received.
    event = AuditEvent.objects.get(action="case.referral_submitted", target_id=str(case.pk))
    assert event.at > timezone.now() - timedelta(minutes=5)
    assert event.details == {"received_at": received_at.isoformat()}
    assert event.case_reference == case.reference


def test_a_referral_without_received_at_is_dated_now(alice):
    case = referral_submit(data=referral_input(), by=alice)
    assert timezone.now() - case.referred_at < timedelta(minutes=1)
    assert case.waiting_since == timezone.localdate()
    assert AuditEvent.objects.get(action="case.referral_submitted", target_id=str(case.pk)).details == {}


def test_a_referral_cannot_be_received_in_the_future(alice):
    with translation.override("en"), pytest.raises(ReferralErrors) as refused:
        referral_submit(data=referral_input(), by=alice, received_at=timezone.now() + timedelta(hours=2))
    assert "future" in refused.value.errors["__all__"][0]
    assert not Case.objects.exists()


def test_minority_and_age_are_judged_on_the_day_of_receipt(alice):
    received_on = timezone.localdate() - timedelta(days=500)
    born = date(received_on.year - 17, 1, 1)  # 17 when referred, 18 or more today
    case = referral_submit(
        data=referral_input(birth_precision="full", birth_date=born, birth_year=None, consent="not_required_child",
                            consent_informed_by="", consent_language=""),
        by=alice, received_at=_moment(received_on),
    )
    assert case.is_child and case.age_at_referral == 17
