"""The dashboard's aggregates read from the facts and referral cells, not from the cases.

Each function returns exactly what its namesake in ``selectors`` computes from the cases (the
tests compare the two on generated cases, with filters), at a cost that does not grow with the
number of cases the way a walk of the cases does:

- referrals per period and by profile: sums over the referral cells of the whole months in the
  period, plus the facts of the days at its edges (part of a month);
- time spent in each stage and deadlines kept: without a profile filter, sums over the stage
  cells of the whole months (whole hours and late or not, per stage and month) plus the facts of
  the days at the edges; with one, one grouped read per stage of the facts (a covering index of
  the date the stage ended, whole hours and deadline, then the rows for the profile);
- backlog: without a profile filter, the backlog cells (stage, day of referral, due day); with
  one, the facts of the cases waiting now (a partial index);
- flows of the forecast: counts over the last 90 days, each on its own date index.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.db.models import BooleanField, CharField, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models import Case as When_
from django.utils import timezone

from masarat.deadlines.calendar import deadline_setting
from masarat.statistics.facts import ENDED, FORM_BITS, PROFILE, forms_of_mask
from masarat.statistics.models import BacklogCell, CaseFact, ReferralCell, ReviewFact, StageCell
from masarat.statistics.selectors import (
    BACKLOG_AGES,
    FORECAST_WINDOW_DAYS,
    STAGES,
    Duration,
    Filters,
    nearest_rank,
    next_period,
    period_start,
)

_BREAKDOWN_COLUMNS = {"sex": "sex", "age_band": "age_band", "nationality": "nationality", "region": "region",
                      "agency_kind": "agency_kind"}


def has_profile(filters: Filters) -> bool:
    return any((filters.region, filters.agency_kind, filters.sex, filters.age_band, filters.nationality,
                filters.exploitation))


def _profile(rows: QuerySet[Any], filters: Filters) -> QuerySet[Any]:
    """Facts or cells matching the profile filters (their columns have the same names)."""
    for column in ("region", "agency_kind", "sex", "age_band", "nationality"):
        value = getattr(filters, column)
        if value:
            rows = rows.filter(**{column: value})
    if filters.exploitation:
        bit = FORM_BITS.get(filters.exploitation)
        if bit is None:
            return rows.none()
        rows = rows.alias(_form=F("exploitation").bitand(bit)).filter(_form__gt=0)
    return rows


def profile_facts(filters: Filters) -> QuerySet[CaseFact]:
    return _profile(CaseFact.objects.order_by(), filters)


def _between(field: str, start: date | None, end: date | None) -> Q:
    rule = Q()
    if start is not None:
        rule &= Q(**{f"{field}__gte": start})
    if end is not None:
        rule &= Q(**{f"{field}__lte": end})
    return rule


# --- Referrals --------------------------------------------------------------------------------

def _whole_months(filters: Filters) -> tuple[date | None, date | None] | None:
    """The first and last whole months of the period (None: unbounded), or None if it holds none."""
    first = None
    if filters.start is not None:
        first = filters.start if filters.start.day == 1 else next_period(filters.start, "month")
    last = None
    if filters.end is not None:
        following = filters.end + timedelta(days=1)
        last = period_start(filters.end, "month") if following.day == 1 else \
            period_start(period_start(filters.end, "month") - timedelta(days=1), "month")
    if first is not None and last is not None and first > last:
        return None
    return first, last


def _edge_days(field: str, filters: Filters, months: tuple[date | None, date | None] | None) -> Q | None:
    """The days of the period outside its whole months ``months``, on ``field`` (None: there are none)."""
    if months is None:
        return _between(field, filters.start, filters.end)
    first, last = months
    rule, some = Q(), False
    if filters.start is not None and first is not None and filters.start < first:
        rule |= _between(field, filters.start, first - timedelta(days=1))
        some = True
    if filters.end is not None and last is not None:
        last_day = next_period(last, "month") - timedelta(days=1)
        if filters.end > last_day:
            rule |= _between(field, last_day + timedelta(days=1), filters.end)
            some = True
    return rule if some else None


def referrals(filters: Filters, granularity: str = "quarter") -> tuple[dict[tuple[date, str], int],
                                                                         dict[str, dict[str, int]]]:
    """``selectors.outcomes_per_period`` and ``selectors.breakdown`` of every dimension, together."""
    by_period: Counter[tuple[date, str]] = Counter()
    profiles: Counter[tuple[Any, ...]] = Counter()
    months = _whole_months(filters)
    edges = profile_facts(filters).filter(_between("referred_on", filters.start, filters.end))
    if months is not None:
        first, last = months
        cells = _profile(ReferralCell.objects.order_by(), filters).filter(_between("month", first, last))
        for row in cells.values("month", "outcome").annotate(total=Sum("count")):
            by_period[(period_start(row["month"], granularity), row["outcome"])] += row["total"]
        for row in cells.values(*PROFILE).annotate(total=Sum("count")):
            profiles[tuple(row[name] for name in PROFILE)] += row["total"]
        last_day = None if last is None else next_period(last, "month") - timedelta(days=1)
        edges = edges.exclude(_between("referred_on", first, last_day))
        need_edges = (filters.start is not None and filters.start != first) or \
            (filters.end is not None and filters.end != last_day)
    else:
        need_edges = True
    if need_edges:
        for row in edges.values("referred_on", "outcome").annotate(total=Count("pk")):
            by_period[(period_start(row["referred_on"], granularity), row["outcome"])] += row["total"]
        for row in edges.values(*PROFILE).annotate(total=Count("pk")):
            profiles[tuple(row[name] for name in PROFILE)] += row["total"]
    breakdowns: dict[str, Counter[str]] = {name: Counter() for name in (*_BREAKDOWN_COLUMNS, "exploitation")}
    for key, count in profiles.items():
        values = dict(zip(PROFILE, key, strict=True))
        for name, column in _BREAKDOWN_COLUMNS.items():
            breakdowns[name][values[column] or ""] += count
        for form in forms_of_mask(values["exploitation"]):
            breakdowns["exploitation"][form] += count
    return ({key: count for key, count in by_period.items() if count},
            {name: {key: count for key, count in counts.items() if count} for name, counts in breakdowns.items()})


# --- Stages -----------------------------------------------------------------------------------

def _reviews(filters: Filters) -> QuerySet[ReviewFact]:
    """Negative decisions of cases of the profile (their facts)."""
    return _profile(ReviewFact.objects.order_by(), filters)


def _completed_facts(stage: str, filters: Filters, days: Q) -> QuerySet[Any]:
    """The facts of ``stage`` completed on ``days``, as rows of whole hours spent, late or not, count."""
    rows: QuerySet[Any]
    if stage == "review":
        ended, hours, deadline = "reviewed_on", "hours", "deadline"
        rows = _reviews(filters)
    else:
        ended, hours, deadline = ENDED[stage]
        rows = profile_facts(filters)
    # Late: ended after the deadline first set for the stage (as selectors.deadline_compliance).
    late = When_(When(**{f"{ended}__gt": F(deadline)}, then=Value(True)), default=Value(False),
                 output_field=BooleanField())
    return rows.filter(days, **{f"{hours}__isnull": False}).annotate(late=late, spent=F(hours)).values(
        "spent", "late").annotate(count=Count("pk"))


def stages(filters: Filters) -> tuple[list[Duration], dict[tuple[str, str], int]]:
    """``selectors.stage_durations`` and ``selectors.deadline_compliance``, together."""
    histograms: dict[str, Counter[int]] = {stage.code: Counter() for stage in STAGES}
    counts: Counter[tuple[str, str]] = Counter()

    def add(stage: str, rows: Any) -> None:
        for row in rows:
            histograms[stage][row["spent"]] += row["count"]
            counts[(stage, "late" if row["late"] else "on_time")] += row["count"]

    if has_profile(filters):
        for stage in STAGES:
            add(stage.code, _completed_facts(stage.code, filters, _between(
                "reviewed_on" if stage.code == "review" else ENDED[stage.code][0], filters.start, filters.end)))
    else:
        months = _whole_months(filters)
        if months is not None:
            cells = StageCell.objects.order_by().filter(_between("month", *months)).annotate(
                spent=F("hours")).values("stage", "spent", "late").annotate(count=Sum("count"))
            for row in cells:
                add(row["stage"], [row])
        for stage in STAGES:
            days = _edge_days("reviewed_on" if stage.code == "review" else ENDED[stage.code][0], filters, months)
            if days is not None:
                add(stage.code, _completed_facts(stage.code, filters, days))
    durations = []
    for stage in STAGES:
        histogram = +histograms[stage.code]  # without the hours no stage took any more
        durations.append(Duration(stage, sum(histogram.values()),
                                  nearest_rank(histogram, 0.5), nearest_rank(histogram, 0.9)))
    return durations, dict(+counts)


def backlog(filters: Filters, today: date | None = None) -> tuple[dict[tuple[str, int], int],
                                                                  dict[tuple[str, str], int]]:
    """``selectors.backlog``: cases waiting now, by stage and age, and by stage and deadline."""
    today = today or timezone.localdate()
    age = When_(*(When(referred_on__lte=today - timedelta(days=low), then=Value(low))
                  for low, _high, _label in BACKLOG_AGES[:0:-1]), default=Value(0), output_field=IntegerField())
    overdue = When_(When(due_on__lt=today, then=Value("overdue")), default=Value("within"), output_field=CharField())
    rows: QuerySet[Any]
    if has_profile(filters):
        rows = profile_facts(filters).exclude(waiting_stage="").annotate(
            stage=F("waiting_stage"), age=age, overdue=overdue).values("stage", "age", "overdue").annotate(
            count=Count("pk"))
    else:  # the cells' due day of a case without one is never before today, as a missing date
        rows = BacklogCell.objects.order_by().annotate(age=age, overdue=overdue).values(
            "stage", "age", "overdue").annotate(count=Sum("count"))
    ages: Counter[tuple[str, int]] = Counter()
    timeliness: Counter[tuple[str, str]] = Counter()
    for row in rows:
        ages[(row["stage"], row["age"])] += row["count"]
        timeliness[(row["stage"], row["overdue"])] += row["count"]
    return dict(+ages), dict(+timeliness)


def stage_flows(filters: Filters, today: date | None = None) -> dict[tuple[str, str], int]:
    """``selectors.stage_flows``: arrivals into and departures from each stage in the last 90 days."""
    today = today or timezone.localdate()
    start = today - timedelta(days=FORECAST_WINDOW_DAYS - 1)
    facts = profile_facts(filters)
    reflection = deadline_setting("reflection_period_days")

    def count(field: str) -> int:
        return facts.filter(_between(field, start, today)).count()

    negatives = _reviews(filters)
    acknowledged = count("acknowledged_on")
    return {
        ("acknowledgement", "in"): facts.filter(_between("referred_on", start, today)).exclude(
            outcome="anonymous").count(),
        ("acknowledgement", "out"): acknowledged,
        ("preliminary", "in"): acknowledged,
        ("preliminary", "out"): count("preliminary_on"),
        ("review", "in"): negatives.filter(_between("decided_on", start, today)).count(),
        ("review", "out"): negatives.filter(_between("reviewed_on", start, today)).count(),
        ("formal", "in"): facts.filter(_between("reflection_ends_on", start + timedelta(days=reflection),
                                                today + timedelta(days=reflection))).count(),
        ("formal", "out"): count("formal_on"),
    }
