"""The statistics pages: national aggregates only, every count through disclosure control."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.audit.services import record_event
from masarat.statistics import charts
from masarat.statistics.annual_report import GRANULARITIES, annual_report_pdf
from masarat.statistics.exports import csv_bytes, xlsx_bytes
from masarat.statistics.forms import StatisticsFilterForm
from masarat.statistics.pdf import FontMissing
from masarat.statistics.release import TABLES, PublishedTable, Release, build_release, durations_table
from masarat.statistics.selectors import OUTCOMES
from masarat.statistics.snapshot import one_snapshot
from masarat.web.http import AuthenticatedRequest

BREAKDOWNS = ["sex", "age_band", "nationality", "agency_kind", "exploitation"]
# Rows of tables by these dimensions lead to the case list filtered the same way (the case list's
# filters have the same names), for those who may see cases.
DRILL_DOWN = ["region", "exploitation"]


def _release(request: AuthenticatedRequest, action: str, details: dict[str, Any]) -> tuple[
        StatisticsFilterForm, Release]:
    """The release for the request's filters; every one is audited with its filters, since two
    cleverly chosen filters could be subtracted from each other (see docs/statistics.md)."""
    policy.require(policy.can_view_aggregates(request.user))
    form = StatisticsFilterForm(request.GET or None)
    with one_snapshot():  # the tables of one release agree with each other
        release = build_release(form.filters(), form.granularity_value())
    record_event(actor=request.user, action=action, target_type="statistics", target_id=details.pop("table", ""),
                 details={**details, "filters": {key: value for key, value in request.GET.items() if value}})
    return form, release


def _tables(release: Release) -> dict[str, PublishedTable]:
    return {**release.tables, "durations": durations_table(release)}


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    form, release = _release(request, "statistics.view", {})
    rtl = get_language_bidi()
    periods = release["periods"]
    outcome_columns = {code: index for index, (code, _label) in enumerate(OUTCOMES)}
    identified = outcome_columns["identified"]
    period_chart = charts.column_chart(
        [(row.label, [row.values[-1], row.values[identified]]) for row in periods.rows if not row.is_total],
        [_("Referrals"), _("Identified as a victim")], title=periods.title, chart_id="chart-periods", rtl=rtl)
    breakdown_charts = [
        (release[name], _bars_chart(release[name], rtl)) for name in BREAKDOWNS
    ]
    regions = release["region"]
    return render(request, "statistics/dashboard.html", {
        "form": form, "release": release, "period_chart": period_chart,
        "outcomes": release["outcomes"], "outcomes_chart": _bars_chart(release["outcomes"], rtl),
        "breakdowns": breakdown_charts, "regions": regions,
        "tiles": charts.region_tiles({str(row.code): row.values[0] for row in regions.rows if not row.is_total}),
        "durations": durations_table(release), "compliance": release["compliance"],
        "backlog": release["backlog"], "overdue": release["overdue"],
        "drill_down": policy.case_file_filter(request.user) is not None, "drill_dimensions": DRILL_DOWN,
        "query": request.GET.urlencode(), "report_years": report_years(),
    })


def _bars_chart(table: PublishedTable, rtl: bool) -> Any:
    bars = [charts.Bar(row.label, row.values[0]) for row in table.rows if not row.is_total]
    return charts.bar_chart(bars, title=table.title, chart_id=f"chart-{table.code}", rtl=rtl)


@login_required
def download(request: AuthenticatedRequest, table: str, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx") or table not in TABLES:
        raise Http404
    _form, release = _release(request, "statistics.download", {"table": table, "format": file_format})
    published = _tables(release)[table]
    rows = table_rows(published)
    name = f"masarat-{table}-{timezone.localdate():%Y%m%d}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes([(published.title, rows)]), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def table_rows(table: PublishedTable) -> list[list[Any]]:
    """The table as a header row and rows; hidden counts spelt out, so they are never read as zero."""
    hidden = _("hidden")
    rows: list[list[Any]] = [[table.title, *table.columns]]
    for row in table.rows:
        rows.append([row.label, *(hidden if value is None else value for value in row.values)])
    if table.note:
        rows.append([table.note])
    return rows


def report_years() -> list[int]:
    """The years an annual report can be asked for: the current one and the five before."""
    this_year = timezone.localdate().year
    return list(range(this_year, this_year - 6, -1))


@login_required
def annual_report(request: AuthenticatedRequest) -> HttpResponse:
    """The annual report of a year in the reader's language, as a PDF file."""
    policy.require(policy.can_view_aggregates(request.user))
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    if year not in report_years():
        raise Http404
    granularity = request.GET.get("granularity", "quarter")
    if granularity not in GRANULARITIES:
        granularity = "quarter"
    language = (get_language() or "fr")[:2]
    try:
        content = annual_report_pdf(year, language=language, granularity=granularity)
    except FontMissing as error:
        return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
    record_event(actor=request.user, action="statistics.annual_report", target_type="statistics",
                 target_id=str(year), details={"language": language, "granularity": granularity})
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="masarat-annual-report-{year}-{language}.pdf"'
    return response
