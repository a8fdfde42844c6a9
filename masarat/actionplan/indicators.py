"""The indicators Masarat computes itself from the cases, each under a key an indicator names as its source.

Every value passes disclosure control (``masarat.statistics.disclosure``): the counts it is made of
are protected together, and a value built on a hidden count (a share whose numerator or
denominator is small, a median of a few cases) is hidden too. A hidden value is ``None`` with
``hidden`` set; a value that cannot exist (no case in the period) is ``None`` without it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case as When_
from django.db.models import Count, DateTimeField, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case, Decision
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage, ReviewOutcome
from masarat.pathways.models import ServiceReferral
from masarat.pathways.vocabulary import ReferralStatus
from masarat.statistics import selectors
from masarat.statistics.disclosure import Table, cell, protect
from masarat.statistics.selectors import Filters, HoursBetween


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    def window(self, field: str) -> Q:
        """``field`` within the period, as a range on the column (its index serves)."""
        first = timezone.make_aware(datetime.combine(self.start, time.min))
        after = timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))
        return Q(**{f"{field}__gte": first, f"{field}__lt": after})


@dataclass(frozen=True)
class Value:
    value: Decimal | None
    hidden: bool = False
    # How many cases (or referrals) the value describes, as published (None when hidden).
    base: int | None = None


@dataclass(frozen=True)
class ComputedIndicator:
    key: str
    label: Promise
    unit: str
    compute: Callable[[Period], Value]


def _count(value: int, threshold: int | None = None) -> Value:
    protected = protect([Table({cell("indicator"): value}, [])], threshold=threshold)
    shown = protected.shown(cell("indicator"))
    return Value(None if shown is None else Decimal(shown), hidden=shown is None, base=shown)


def _share(part: int, whole: int, threshold: int | None = None) -> Value:
    """``part`` of ``whole`` as a percentage; both sides of the split protected together."""
    if whole == 0:
        return Value(None, base=0)
    protected = protect([Table.one_way("indicator", "side", {"yes": part, "no": whole - part})], threshold=threshold)
    shown = [protected.shown(cell("indicator", side=side)) for side in ("yes", "no")]
    if any(value is None for value in shown) or protected.shown(cell("indicator")) is None:
        return Value(None, hidden=True)
    return Value((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP), base=whole)


def _positive_decisions(stage: str, period: Period) -> QuerySet[Decision]:
    """Decisions of ``stage`` that became positive in the period: positive when made, or negative and
    overturned on second review."""
    return Decision.objects.order_by().filter(stage=stage).filter(
        Q(outcome=DecisionOutcome.POSITIVE) & period.window("decided_at")
        | Q(outcome=DecisionOutcome.NEGATIVE, review_outcome=ReviewOutcome.OVERTURNED) & period.window("reviewed_at"))


def _cases_with(decisions: QuerySet[Decision]) -> int:
    return int(decisions.aggregate(cases=Count("case", distinct=True))["cases"])


def victims_identified(period: Period) -> Value:
    return _count(_cases_with(_positive_decisions(DecisionStage.FORMAL, period)))


def children_identified(period: Period) -> Value:
    return _count(_cases_with(_positive_decisions(DecisionStage.FORMAL, period).filter(case__is_child=True)))


def presumed_victims(period: Period) -> Value:
    return _count(_cases_with(_positive_decisions(DecisionStage.PRELIMINARY, period)))


def referred_within_48_hours(period: Period) -> Value:
    """Presumed victims of the period with a service referral sent within 48 hours of the presumption."""
    first_sent = ServiceReferral.objects.filter(case=OuterRef("case"), sent_at__isnull=False).order_by(
        "sent_at").values("sent_at")[:1]
    presumed_at = When_(When(outcome=DecisionOutcome.POSITIVE, then=F("decided_at")), default=F("reviewed_at"),
                        output_field=DateTimeField())
    rows = _positive_decisions(DecisionStage.PRELIMINARY, period).annotate(
        presumed_at=presumed_at, first_sent=Subquery(first_sent, output_field=DateTimeField()),
    ).annotate(limit=ExpressionWrapper(F("presumed_at") + timedelta(hours=48), output_field=DateTimeField()))
    counts = rows.aggregate(whole=Count("case", distinct=True),
                            part=Count("case", distinct=True, filter=Q(first_sent__lte=F("limit"))))
    return _share(int(counts["part"]), int(counts["whole"]))


def median_days_to_formal_decision(period: Period) -> Value:
    """Median days from referral to the formal decision, over the formal decisions of the period."""
    rows = Case.objects.order_by().filter(period.window("formal_decided_at"), formal_decided_at__isnull=False)
    histogram = Counter({row["hours"]: row["count"] for row in rows.annotate(
        hours=HoursBetween("formal_decided_at", "referred_at")).values("hours").annotate(count=Count("pk"))})
    cases = _count(sum(histogram.values()))
    if cases.hidden:
        return Value(None, hidden=True)
    median = selectors.nearest_rank(histogram, 0.5)
    if median is None:
        return Value(None, base=0)
    return Value((Decimal(median) / 24).quantize(Decimal("0.1"), ROUND_HALF_UP), base=cases.base)


def preliminary_within_deadline(period: Period) -> Value:
    """Preliminary decisions of the period taken within their deadline (as the dashboard counts them)."""
    compliance = selectors.deadline_compliance(Filters(start=period.start, end=period.end))
    on_time, late = compliance.get(("preliminary", "on_time"), 0), compliance.get(("preliminary", "late"), 0)
    return _share(on_time, on_time + late)


def service_referrals_accepted(period: Period) -> Value:
    """Service referrals answered by the provider in the period that were accepted."""
    answered = ServiceReferral.objects.order_by().filter(period.window("responded_at"))
    counts = answered.aggregate(whole=Count("pk"), part=Count("pk", filter=Q(
        status__in=(ReferralStatus.ACCEPTED, ReferralStatus.DELIVERED))))
    return _share(int(counts["part"]), int(counts["whole"]))


def cases_referred(period: Period) -> Value:
    return _count(Case.objects.order_by().filter(period.window("referred_at")).count())


COMPUTED: dict[str, ComputedIndicator] = {indicator.key: indicator for indicator in [
    ComputedIndicator("cases_referred", _("Referrals to the mechanism"), "count", cases_referred),
    ComputedIndicator("presumed_victims", _("Presumed victims (positive preliminary decisions)"), "count",
                      presumed_victims),
    ComputedIndicator("victims_identified", _("Victims identified (positive formal decisions)"), "count",
                      victims_identified),
    ComputedIndicator("children_identified", _("Children identified as victims"), "count", children_identified),
    ComputedIndicator("referred_within_48h", _("Share of presumed victims referred to a service within 48 hours"),
                      "percent", referred_within_48_hours),
    ComputedIndicator("median_days_to_formal_decision", _("Median days from referral to the formal decision"),
                      "days", median_days_to_formal_decision),
    ComputedIndicator("preliminary_within_deadline", _("Share of preliminary decisions taken within their deadline"),
                      "percent", preliminary_within_deadline),
    ComputedIndicator("service_referrals_accepted", _("Share of answered service referrals that were accepted"),
                      "percent", service_referrals_accepted),
]}


def compute(key: str, period: Period) -> Value:
    return COMPUTED[key].compute(period)

