"""Reads of the action plan: the progress report of a period, overdue measures, a measure's history."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext as _

from masarat.actionplan import indicators
from masarat.actionplan.indicators import Period, Value
from masarat.actionplan.models import (
    CLOSED_STATUSES,
    Axis,
    Indicator,
    Measure,
    MeasureStatus,
    Plan,
    ProgressUpdate,
    Reading,
    Unit,
)

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class ReportPeriod:
    code: str  # "2025" or "2025-Q3"
    period: Period

    @property
    def year(self) -> int:
        return self.period.start.year

    @property
    def is_year(self) -> bool:
        return "-Q" not in self.code

    @property
    def label(self) -> str:
        if self.is_year:
            return str(self.year)
        return _("Q%(quarter)s %(year)s") % {"quarter": self.code[-1], "year": self.year}


def parse_period(code: str) -> ReportPeriod | None:
    """``2025`` (a year) or ``2025-Q3`` (a quarter); ``None`` when the text is neither."""
    match = _PERIOD.match(code.strip())
    if not match:
        return None
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        return None
    if match["quarter"] is None:
        return ReportPeriod(str(year), Period(date(year, 1, 1), date(year, 12, 31)))
    quarter = int(match["quarter"])
    first = date(year, 3 * quarter - 2, 1)
    after = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return ReportPeriod(f"{year}-Q{quarter}", Period(first, date.fromordinal(after.toordinal() - 1)))


def period_choices(*, today: date, plans: list[Plan] | None = None) -> list[ReportPeriod]:
    """The years of the plans and their quarters, most recent first, up to the current quarter."""
    first, last = 2023, today.year
    if plans:
        first = min(plan.start_year for plan in plans)
        last = min(max(plan.end_year for plan in plans), today.year)
    choices = []
    for year in range(last, first - 1, -1):
        choices.append(parse_period(str(year)))
        for quarter in range(4, 0, -1):
            if date(year, 3 * quarter - 2, 1) <= today:
                choices.append(parse_period(f"{year}-Q{quarter}"))
    return [choice for choice in choices if choice is not None]


@dataclass
class IndicatorLine:
    indicator: Indicator
    value: Value
    read_on: date | None  # the date of a manual value
    target: Decimal | None
    on_track: bool | None  # None: no target, no value, or not judged for this period


@dataclass
class MeasureLine:
    measure: Measure
    status: str
    status_label: str
    latest: ProgressUpdate | None
    overdue: bool
    indicators: list[IndicatorLine] = field(default_factory=list)


@dataclass
class AxisLine:
    axis: Axis
    measures: list[MeasureLine]
    indicators: list[IndicatorLine]  # those of the axis not tied to a measure


@dataclass
class PlanLine:
    plan: Plan
    axes: list[AxisLine]


@dataclass
class Report:
    period: ReportPeriod
    as_of: date
    plans: list[PlanLine]

    @property
    def is_example(self) -> bool:
        return any(line.plan.is_example for line in self.plans)

    @property
    def measures(self) -> list[MeasureLine]:
        return [measure for plan in self.plans for axis in plan.axes for measure in axis.measures]

    @property
    def overdue(self) -> list[MeasureLine]:
        return [measure for measure in self.measures if measure.overdue]


def _on_track(indicator: Indicator, value: Value, target: Decimal | None, period: ReportPeriod) -> bool | None:
    if value.value is None or target is None:
        return None
    if indicator.unit == Unit.COUNT and indicator.is_computed and not period.is_year:
        return None  # a quarter's count is not compared with the year's target
    return value.value >= target if indicator.higher_is_better else value.value <= target


def _latest_updates(measure_ids: list[int], until: date) -> dict[int, ProgressUpdate]:
    latest = ProgressUpdate.objects.filter(measure=OuterRef("measure"), on__lte=until).order_by("-on", "-id")
    updates = ProgressUpdate.objects.filter(measure_id__in=measure_ids, on__lte=until).filter(
        pk=Subquery(latest.values("pk")[:1])).select_related("by")
    return {update.measure_id: update for update in updates}


def _latest_readings(indicator_ids: list[int], until: date) -> dict[int, Reading]:
    latest = Reading.objects.filter(indicator=OuterRef("indicator"), on__lte=until).order_by("-on", "-id")
    readings = Reading.objects.filter(indicator_id__in=indicator_ids, on__lte=until).filter(
        pk=Subquery(latest.values("pk")[:1]))
    return {reading.indicator_id: reading for reading in readings}


def plans_with_structure() -> QuerySet[Plan]:
    indicators_qs = Indicator.objects.prefetch_related("targets")
    return Plan.objects.prefetch_related(
        Prefetch("axes", queryset=Axis.objects.order_by("order", "code")),
        Prefetch("axes__measures", queryset=Measure.objects.order_by("order", "code").prefetch_related("agencies")),
        Prefetch("axes__indicators", queryset=indicators_qs.order_by("order", "code")),
    )


def progress_report(period: ReportPeriod, *, today: date) -> Report:
    """Every plan, axis, measure and indicator, as they stood at the end of ``period`` (or today, for
    the current period). A fixed number of queries whatever the size of the plans."""
    as_of = min(today, period.period.end)
    plans = list(plans_with_structure())
    measures = [measure for plan in plans for axis in plan.axes.all() for measure in axis.measures.all()]
    all_indicators = [indicator for plan in plans for axis in plan.axes.all() for indicator in axis.indicators.all()]
    updates = _latest_updates([measure.pk for measure in measures], as_of)
    readings = _latest_readings([indicator.pk for indicator in all_indicators if not indicator.is_computed], as_of)
    computed: dict[str, Value] = {}

    def line(indicator: Indicator) -> IndicatorLine:
        read_on = None
        if indicator.is_computed:
            if indicator.source not in computed:
                computed[indicator.source] = indicators.compute(indicator.source, period.period)
            value = computed[indicator.source]
        else:
            reading = readings.get(indicator.pk)
            value = Value(reading.value if reading else None)
            read_on = reading.on if reading else None
        target = next((item.value for item in indicator.targets.all() if item.year == period.year), None)
        return IndicatorLine(indicator, value, read_on, target, _on_track(indicator, value, target, period))

    labels = dict(MeasureStatus.choices)
    plan_lines = []
    for plan in plans:
        axis_lines = []
        for axis in plan.axes.all():
            lines = [line(indicator) for indicator in axis.indicators.all()]
            measure_lines = []
            for measure in axis.measures.all():
                latest = updates.get(measure.pk)
                status = latest.status if latest else measure.status
                overdue = measure.deadline is not None and measure.deadline < as_of and status not in CLOSED_STATUSES
                measure_lines.append(MeasureLine(
                    measure, status, str(labels.get(status, status)), latest, overdue,
                    [item for item in lines if item.indicator.measure_id == measure.pk]))
            axis_lines.append(AxisLine(axis, measure_lines, [item for item in lines if item.indicator.measure_id is None
                                                             or item.indicator.measure_id not in
                                                             {m.measure.pk for m in measure_lines}]))
        plan_lines.append(PlanLine(plan, axis_lines))
    return Report(period, as_of, plan_lines)


def overdue_measures(today: date) -> QuerySet[Measure]:
    return Measure.objects.filter(deadline__lt=today).exclude(status__in=CLOSED_STATUSES)


def measure_updates(measure: Measure) -> QuerySet[ProgressUpdate]:
    return measure.updates.select_related("by").prefetch_related("readings__indicator").order_by("-on", "-id")


def report_rows(report: Report) -> list[list[object]]:
    """The report as a header row and rows, for CSV and XLSX (a hidden value spelt out)."""
    hidden = _("hidden")
    rows: list[list[object]] = [[
        _("Plan"), _("Axis"), _("Measure"), _("Responsible bodies"), _("Deadline"), _("Status"), _("Overdue"),
        _("Latest update"), _("Indicator"), _("Baseline"), _("Year of the baseline"), _("Target"), _("Value"),
        _("On track")]]

    def yes_no(flag: bool | None) -> str:
        return "" if flag is None else (_("yes") if flag else _("no"))

    for plan_line in report.plans:
        for axis_line in plan_line.axes:
            for measure_line in axis_line.measures:
                measure = measure_line.measure
                latest = measure_line.latest
                base = [plan_line.plan.title, axis_line.axis.title, measure.title, responsible_bodies(measure),
                        measure.deadline.isoformat() if measure.deadline else "", measure_line.status_label,
                        yes_no(measure_line.overdue), f"{latest.on.isoformat()}: {latest.text}" if latest else ""]
                if not measure_line.indicators:
                    rows.append([*base, "", "", "", "", "", ""])
                for item in measure_line.indicators:
                    rows.append([*base, *_indicator_cells(item, hidden)])
            for item in axis_line.indicators:
                rows.append([plan_line.plan.title, axis_line.axis.title, "", "", "", "", "", "",
                             *_indicator_cells(item, hidden)])
    return rows


def _indicator_cells(item: IndicatorLine, hidden: str) -> list[object]:
    indicator = item.indicator
    value: object = hidden if item.value.hidden else ("" if item.value.value is None else float(item.value.value))
    return [indicator.title, "" if indicator.baseline is None else float(indicator.baseline),
            indicator.baseline_year or "", "" if item.target is None else float(item.target), value,
            "" if item.on_track is None else (_("yes") if item.on_track else _("no"))]


def responsible_bodies(measure: Measure) -> str:
    names = [agency.name for agency in measure.agencies.all()]
    if measure.bodies:
        names.append(measure.bodies)
    return "; ".join(names)
