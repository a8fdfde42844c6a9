"""The progress report of the action plan in a PDF document (alone, or in the annual report)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _

from masarat.actionplan.selectors import IndicatorLine, Report, responsible_bodies
from masarat.statistics.pdf import Document


def example_notice() -> str:
    return _("Example content, to be replaced by the commission's official text: the measures, responsible bodies, "
             "dates, baselines and targets shown are illustrations, not official figures.")


def _number(value: Decimal | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)  # 120, not 120,00
    return formats.number_format(value, use_l10n=True)


def indicator_cells(item: IndicatorLine) -> list[str]:
    indicator = item.indicator
    if item.value.hidden:
        value = _("hidden")
    elif item.value.value is None:
        value = "—"
    else:
        value = _number(item.value.value)
        if item.read_on:
            value = f"{value} ({formats.date_format(item.read_on, 'SHORT_DATE_FORMAT')})"
    baseline = ""
    if indicator.baseline is not None:
        baseline = _number(indicator.baseline) + (f" ({indicator.baseline_year})" if indicator.baseline_year else "")
    on_track = "" if item.on_track is None else (_("yes") if item.on_track else _("no"))
    return [indicator.title, str(indicator.get_unit_display()), baseline, _number(item.target), value, on_track]


def action_plan_section(document: Document, report: Report) -> None:
    """Each plan, axis and measure with its status and latest update, and the indicators."""
    if report.is_example:
        document.paragraph(example_notice())
    document.paragraph(_("Situation at %(date)s. Overdue measures: %(count)s.") % {
        "date": formats.date_format(report.as_of, "DATE_FORMAT"), "count": len(report.overdue)})
    indicator_header = [_("Indicator"), _("Unit"), _("Baseline"), _("Target"), _("Value"), _("On track")]
    for plan_line in report.plans:
        document.heading(plan_line.plan.title, level=2)
        for axis_line in plan_line.axes:
            document.heading(axis_line.axis.title, level=3)
            rows = []
            for line in axis_line.measures:
                latest = line.latest
                status = line.status_label + (f" — {_('overdue')}" if line.overdue else "")
                deadline = formats.date_format(line.measure.deadline, "SHORT_DATE_FORMAT") if line.measure.deadline \
                    else ""
                update = f"{formats.date_format(latest.on, 'SHORT_DATE_FORMAT')}: {latest.text}" if latest else ""
                rows.append([line.measure.title, responsible_bodies(line.measure), deadline, status, update])
            if rows:
                document.table([_("Measure"), _("Responsible bodies"), _("Deadline"), _("Status"), _("Latest update")],
                               rows, first_width=2.0)
            indicator_rows = [indicator_cells(item) for line in axis_line.measures for item in line.indicators]
            indicator_rows += [indicator_cells(item) for item in axis_line.indicators]
            if indicator_rows:
                document.table(indicator_header, indicator_rows)


def action_plan_pdf(report: Report) -> bytes:
    title = _("Action plan: progress report, %(period)s") % {"period": report.period.label}
    document = Document(title=title)
    document.heading(title)
    action_plan_section(document, report)
    return document.output()
