"""Aggregate counts and durations of the mechanism, computed in the database.

Everything here reads the statistical profile kept on the case (sex, age band, nationality,
region, forms of exploitation, referring agency's kind) and its lifecycle timestamps, never a
person. Every query is a ``GROUP BY`` over indexed columns; Python only walks the groups
(periods, categories, whole-hour durations, pairs of dates), never the cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import (
    Case as When_,
)
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate, TruncMonth, TruncQuarter, TruncYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, CaseExploitation, Decision
from masarat.cases.vocabulary import DecisionOutcome
from masarat.deadlines.calendar import WorkingCalendar, deadline_setting, working_calendar

S = Status


@dataclass(frozen=True)
class Filters:
    """What an analyst narrows the statistics to. The period applies to the date of referral
    (tables of referrals) or to the end of a stage (durations, deadlines)."""

    start: date | None = None
    end: date | None = None
    region: str = ""
    agency_kind: str = ""
    sex: str = ""
    age_band: str = ""
    nationality: str = ""
    exploitation: str = ""


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _in_period(field: str, filters: Filters) -> Q:
    """``field`` within the period, as a range on the column so that its index serves."""
    rule = Q()
    if filters.start:
        rule &= Q(**{f"{field}__gte": _day_start(filters.start)})
    if filters.end:
        rule &= Q(**{f"{field}__lt": _day_start(filters.end + timedelta(days=1))})
    return rule


def profile_cases(filters: Filters) -> QuerySet[Case]:
    """Cases matching the profile filters (not the period)."""
    cases = Case.objects.order_by()
    for field, value in (("region", filters.region), ("referring_agency__kind", filters.agency_kind),
                         ("sex", filters.sex), ("age_band", filters.age_band),
                         ("nationality", filters.nationality)):
        if value:
            cases = cases.filter(**{field: value})
    if filters.exploitation:
        cases = cases.filter(Exists(CaseExploitation.objects.filter(case=OuterRef("pk"), form=filters.exploitation)))
    return cases


def referred_cases(filters: Filters) -> QuerySet[Case]:
    return profile_cases(filters).filter(_in_period("referred_at", filters))


# --- Referrals, outcomes and identified victims per period ------------------------------------

# The groups of cases still waiting are exactly the stages of the backlog, so that the two tables
# cannot be subtracted from each other to isolate a smaller group (see release.py).
OUTCOMES: list[tuple[str, Promise]] = [
    ("awaiting_preliminary", _("Awaiting the preliminary decision")),
    ("under_review", _("Negative decision under second review")),
    ("presumed", _("Presumed victim, awaiting the formal decision")),
    ("identified", _("Identified as a victim")),
    ("not_presumed", _("Not presumed a victim")),
    ("not_identified", _("Not identified as a victim")),
    ("closed_undecided", _("Closed before a final decision")),
    ("anonymous", _("Anonymous notification")),
]
_OUTCOME_STATUSES = {
    "awaiting_preliminary": (S.REFERRED, S.AWAITING_PRELIMINARY, S.PRELIMINARY_INFORMATION),
    "under_review": (S.PRELIMINARY_NEGATIVE_REVIEW, S.FORMAL_NEGATIVE_REVIEW),
    "presumed": (S.REFLECTION_PERIOD, S.FORMAL_INFORMATION),
    "identified": (S.IDENTIFIED,),
    "not_presumed": (S.NOT_PRESUMED,),
    "not_identified": (S.NOT_IDENTIFIED,),
    "anonymous": (S.ANONYMOUS_NOTIFICATION,),
}
_FINAL = ("identified", "not_presumed", "not_identified")


def outcome_expression() -> When_:
    """Where each case stands now; a closed case counts with the decision it had when closed."""
    whens = []
    for outcome, statuses in _OUTCOME_STATUSES.items():
        whens.append(When(status__in=statuses, then=Value(outcome)))
        if outcome in _FINAL:
            whens.append(When(status=S.CLOSED, status_before_close__in=statuses, then=Value(outcome)))
    return When_(*whens, default=Value("closed_undecided"), output_field=CharField())


GRANULARITIES = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def period_start(day: date, granularity: str) -> date:
    if granularity == "year":
        return date(day.year, 1, 1)
    if granularity == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def next_period(day: date, granularity: str) -> date:
    months = {"month": 1, "quarter": 3, "year": 12}[granularity]
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def outcomes_per_period(filters: Filters, granularity: str = "quarter") -> dict[tuple[date, str], int]:
    """Referrals per period of referral and where they stand now: {(period start, outcome): count}."""
    trunc = GRANULARITIES[granularity]
    rows = (referred_cases(filters).annotate(period=trunc("referred_at"), outcome=outcome_expression())
            .values("period", "outcome").annotate(count=Count("id")))
    return {(_as_date(row["period"]), row["outcome"]): row["count"] for row in rows}


def periods_between(first: date, last: date, granularity: str) -> list[date]:
    periods, current = [], period_start(first, granularity)
    while current <= last:
        periods.append(current)
        current = next_period(current, granularity)
    return periods


# --- Breakdowns by profile -------------------------------------------------------------------

DIMENSIONS: dict[str, tuple[str, Promise]] = {
    "sex": ("sex", _("Sex")),
    "age_band": ("age_band", _("Age band")),
    "nationality": ("nationality", _("First nationality")),
    "region": ("region", _("Region")),
    "agency_kind": ("referring_agency__kind", _("Referring agency")),
    "exploitation": ("exploitation_forms__form", _("Form of exploitation")),
}
# A person may have suffered several forms of exploitation: that breakdown does not add up.
MULTI_VALUED = frozenset({"exploitation"})


def breakdown(filters: Filters, dimension: str) -> dict[str, int]:
    """Referrals in the period by one dimension of the profile: {category: count}."""
    cases = referred_cases(filters)
    if dimension == "exploitation":
        rows = (CaseExploitation.objects.filter(case__in=cases.values("pk")).order_by()
                .values("form").annotate(count=Count("case_id", distinct=True)))
        return {row["form"]: row["count"] for row in rows}
    column = DIMENSIONS[dimension][0]
    rows = cases.values(column).annotate(count=Count("id"))
    return {row[column] or "": row["count"] for row in rows}


# --- Stages: durations, deadlines, backlog, forecast ------------------------------------------

@dataclass(frozen=True)
class Stage:
    code: str
    label: Promise
    waiting: tuple[str, ...]  # the statuses of a case waiting in this stage
    deadline_setting: str


STAGES = [
    Stage("acknowledgement", _("Acknowledgement of the referral"), (S.REFERRED,), "acknowledge_working_days"),
    Stage("preliminary", _("Preliminary decision"), (S.AWAITING_PRELIMINARY, S.PRELIMINARY_INFORMATION),
          "preliminary_decision_working_days"),
    Stage("review", _("Second review of a negative decision"),
          (S.PRELIMINARY_NEGATIVE_REVIEW, S.FORMAL_NEGATIVE_REVIEW), "negative_review_working_days"),
    Stage("formal", _("Formal identification decision"), (S.REFLECTION_PERIOD, S.FORMAL_INFORMATION),
          "formal_decision_working_days"),
]
STAGE_BY_CODE = {stage.code: stage for stage in STAGES}
# Where the cases waiting in each stage appear among the outcomes of the referrals.
OUTCOME_OF_STAGES = {"awaiting_preliminary": ("acknowledgement", "preliminary"), "under_review": ("review",),
                     "presumed": ("formal",)}


class HoursBetween(Func):
    """Whole hours from ``start`` to ``end`` (both date-times), on PostgreSQL and SQLite."""

    output_field = IntegerField()
    template = "FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 3600)"  # PostgreSQL
    arg_joiner = " - "

    def __init__(self, end: str, start: str) -> None:
        super().__init__(F(end), F(start))

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection,
                              # Rounded to the second first: julianday's floating point is a hair off.
                              template="CAST(ROUND((julianday(%(expressions)s)) * 86400) AS INTEGER) / 3600",
                              arg_joiner=") - julianday(")


def _completed(stage: Stage, filters: Filters) -> tuple[QuerySet[Any], str, str]:
    """Completions of ``stage`` whose end falls in the period: (rows, start field, end field)."""
    if stage.code == "review":
        decisions = Decision.objects.order_by().filter(
            case__in=profile_cases(filters).values("pk"), outcome=DecisionOutcome.NEGATIVE,
            reviewed_at__isnull=False).filter(_in_period("reviewed_at", filters))
        return decisions, "decided_at", "reviewed_at"
    start, end = {"acknowledgement": ("referred_at", "acknowledged_at"),
                  "preliminary": ("referred_at", "preliminary_decided_at"),
                  "formal": ("preliminary_decided_at", "formal_decided_at")}[stage.code]
    cases = profile_cases(filters).filter(**{f"{start}__isnull": False, f"{end}__isnull": False})
    if stage.code == "formal":
        cases = cases.filter(reflection_ends_on__isnull=False)  # the start of its deadline
    return cases.filter(_in_period(end, filters)), start, end


def nearest_rank(histogram: Counter[int], share: float) -> int | None:
    """The smallest value with at least ``share`` of the observations at or below it."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, -(-int(share * total * 1000) // 1000))  # ceil(share * total), without float surprises
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)


@dataclass(frozen=True)
class Duration:
    stage: Stage
    count: int
    median_hours: int | None
    p90_hours: int | None


def stage_durations(filters: Filters) -> list[Duration]:
    """Time spent in each stage by the cases that left it in the period: median and 90th percentile."""
    result = []
    for stage in STAGES:
        rows, start, end = _completed(stage, filters)
        histogram = Counter({row["hours"]: row["count"] for row in
                             rows.annotate(hours=HoursBetween(end, start)).values("hours").annotate(count=Count("pk"))})
        result.append(Duration(stage, sum(histogram.values()), nearest_rank(histogram, 0.5),
                               nearest_rank(histogram, 0.9)))
    return result


def _deadline(stage: Stage, started: date, calendar: WorkingCalendar) -> date:
    return calendar.add_working_days(started, deadline_setting(stage.deadline_setting))


def deadline_compliance(filters: Filters, calendar: WorkingCalendar | None = None) -> dict[tuple[str, str], int]:
    """Stages completed in the period, on time or late: {(stage, "on_time" | "late"): count}.

    A stage is on time when it ended no later than the deadline first set for it: one working day
    to acknowledge, five for the preliminary decision from the referral, five for the second
    review from the negative decision, five for the formal decision from the end of the recovery
    and reflection period (settings ``MASARAT_*_WORKING_DAYS``). Grouped by pairs of dates, so
    the working-day calendar runs once per pair, not once per case.
    """
    calendar = calendar or working_calendar()
    counts: Counter[tuple[str, str]] = Counter()
    deadlines: dict[tuple[str, date], date] = {}  # one calendar walk per stage and start date
    for stage in STAGES:
        rows, start, end = _completed(stage, filters)
        started = F("reflection_ends_on") if stage.code == "formal" else TruncDate(start)
        pairs = rows.annotate(started=started, ended=TruncDate(end)).values("started", "ended").annotate(
            count=Count("pk"))
        for row in pairs:
            started_on = _as_date(row["started"])
            if (stage.code, started_on) not in deadlines:
                deadlines[(stage.code, started_on)] = _deadline(stage, started_on, calendar)
            late = _as_date(row["ended"]) > deadlines[(stage.code, started_on)]
            counts[(stage.code, "late" if late else "on_time")] += row["count"]
    return dict(counts)


BACKLOG_AGES: list[tuple[int, int | None, Promise]] = [
    (0, 29, _("under 30 days")), (30, 89, _("30 to 89 days")), (90, 179, _("90 to 179 days")),
    (180, 364, _("180 to 364 days")), (365, None, _("a year or more")),
]


def _age_expression(today: date) -> When_:
    whens = []
    for low, _high, _label in BACKLOG_AGES[:0:-1]:
        whens.append(When(referred_at__lt=_day_start(today - timedelta(days=low - 1)), then=Value(low)))
    return When_(*whens, default=Value(0), output_field=IntegerField())


def backlog(filters: Filters,
            today: date | None = None) -> tuple[dict[tuple[str, int], int], dict[tuple[str, str], int]]:
    """Cases waiting now, by stage and time since referral, and by stage and deadline kept or passed.

    Returns ({(stage, lowest age in days of the band): count}, {(stage, "within" | "overdue"): count}).
    """
    today = today or timezone.localdate()
    stage_of = When_(*(When(status__in=stage.waiting, then=Value(stage.code)) for stage in STAGES),
                     default=Value(""), output_field=CharField())
    waiting = profile_cases(filters).filter(status__in=[status for stage in STAGES for status in stage.waiting])
    rows = waiting.annotate(stage=stage_of, age=_age_expression(today), overdue=When_(
        When(due_on__lt=today, then=Value("overdue")), default=Value("within"), output_field=CharField(),
    )).values("stage", "age", "overdue").annotate(count=Count("id"))
    ages: Counter[tuple[str, int]] = Counter()
    timeliness: Counter[tuple[str, str]] = Counter()
    for row in rows:
        ages[(row["stage"], row["age"])] += row["count"]
        timeliness[(row["stage"], row["overdue"])] += row["count"]
    return dict(ages), dict(timeliness)


FORECAST_WINDOW_DAYS = 90


def stage_flows(filters: Filters, today: date | None = None) -> dict[tuple[str, str], int]:
    """Arrivals into and departures from each stage over the last ``FORECAST_WINDOW_DAYS`` days."""
    today = today or timezone.localdate()
    window = Filters(start=today - timedelta(days=FORECAST_WINDOW_DAYS - 1), end=today)
    cases = profile_cases(filters)
    reflection = deadline_setting("reflection_period_days")

    def count(rows: QuerySet[Any], field: str, period: Filters = window) -> int:
        return rows.filter(_in_period(field, period)).count()

    negatives = Decision.objects.filter(case__in=cases.values("pk"), outcome=DecisionOutcome.NEGATIVE)
    assert window.start is not None
    presumed_window = Filters(start=window.start + timedelta(days=reflection), end=today + timedelta(days=reflection))
    formal_arrivals = cases.filter(reflection_ends_on__gte=presumed_window.start,
                                   reflection_ends_on__lte=presumed_window.end).count()
    return {
        ("acknowledgement", "in"): count(cases.exclude(status=S.ANONYMOUS_NOTIFICATION), "referred_at"),
        ("acknowledgement", "out"): count(cases, "acknowledged_at"),
        ("preliminary", "in"): count(cases, "acknowledged_at"),
        ("preliminary", "out"): count(cases, "preliminary_decided_at"),
        ("review", "in"): count(negatives, "decided_at"),
        ("review", "out"): count(negatives, "reviewed_at"),
        ("formal", "in"): formal_arrivals,
        ("formal", "out"): count(cases, "formal_decided_at"),
    }


@dataclass(frozen=True)
class Forecast:
    """A queue's expected wait by Little's law: wait = cases waiting / cases leaving per day."""

    stage: Stage
    waiting: int
    arrivals: int
    departures: int
    window_days: int = FORECAST_WINDOW_DAYS

    @property
    def arrivals_per_30_days(self) -> float:
        return round(self.arrivals * 30 / self.window_days, 1)

    @property
    def departures_per_30_days(self) -> float:
        return round(self.departures * 30 / self.window_days, 1)

    @property
    def expected_wait_days(self) -> int | None:
        """Days a case arriving now would wait if the queue is served at the recent pace."""
        if not self.departures:
            return None
        return round(self.waiting * self.window_days / self.departures)

    @property
    def growth_per_30_days(self) -> float:
        return round((self.arrivals - self.departures) * 30 / self.window_days, 1)

    # What is published is rounded: exact rates would let an analyst recover the counts of the
    # window (the referrals of the last 90 days, the decisions taken in them) and subtract them
    # from the tables of the same period.

    @property
    def about_arrivals(self) -> int:
        return about(self.arrivals_per_30_days)

    @property
    def about_departures(self) -> int:
        return about(self.departures_per_30_days)

    @property
    def about_growth(self) -> int:
        return about(self.growth_per_30_days)

    @property
    def about_wait(self) -> tuple[int, str] | None:
        """The expected wait in whole weeks (under eight weeks) or months: (count, "weeks" | "months")."""
        days = self.expected_wait_days
        if days is None:
            return None
        if days < 56:
            return max(1, round(days / 7)), "weeks"
        return round(days / 30.4), "months"


def about(value: float, step: int = 5) -> int:
    """``value`` to the nearest multiple of ``step``."""
    return int(step * round(value / step))


def forecasts(waiting: dict[str, int], flows: dict[tuple[str, str], int]) -> list[Forecast]:
    return [Forecast(stage, waiting.get(stage.code, 0), flows.get((stage.code, "in"), 0),
                     flows.get((stage.code, "out"), 0)) for stage in STAGES]


def sum_by_first(counts: dict[tuple[str, Any], int]) -> dict[str, int]:
    totals: Counter[str] = Counter()
    for (first, _second), value in counts.items():
        totals[first] += value
    return dict(totals)


def categories_seen(counts: Iterable[tuple[Any, Any]], position: int) -> list[Any]:
    return sorted({key[position] for key in counts})
