"""The action plan's pages: the progress report of a period, its print and download forms, a measure."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.access import policy
from masarat.actionplan import selectors, services
from masarat.actionplan.forms import PeriodForm, ProgressForm
from masarat.actionplan.models import Measure
from masarat.actionplan.pdf import action_plan_pdf
from masarat.audit.services import record_event
from masarat.statistics.exports import csv_bytes, xlsx_bytes
from masarat.statistics.pdf import FontMissing
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import page_of


def _require_viewer(request: AuthenticatedRequest) -> None:
    if not policy.can_view_action_plan(request.user):
        raise Http404


def _report(request: AuthenticatedRequest, action: str, **details: str) -> tuple[PeriodForm, selectors.Report]:
    _require_viewer(request)
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, today=today)
    period = form.chosen()
    report = selectors.progress_report(period, today=today)
    record_event(actor=request.user, action=action, target_type="action_plan", target_id=period.code,
                 details=details)
    return form, report


def _context(request: AuthenticatedRequest, form: PeriodForm, report: selectors.Report) -> dict[str, object]:
    user = request.user
    postable = {line.measure.pk for line in report.measures if policy.can_post_progress(user, line.measure)}
    return {"form": form, "report": report, "postable": postable, "query": request.GET.urlencode(),
            "can_edit": policy.can_edit_action_plan(user)}


@login_required
def report(request: AuthenticatedRequest) -> HttpResponse:
    form, progress = _report(request, "actionplan.view")
    return render(request, "actionplan/report.html", _context(request, form, progress))


@login_required
def report_print(request: AuthenticatedRequest) -> HttpResponse:
    form, progress = _report(request, "actionplan.print")
    return render(request, "actionplan/print.html", _context(request, form, progress))


@login_required
def download(request: AuthenticatedRequest, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx", "pdf"):
        raise Http404
    _form, progress = _report(request, "actionplan.download", format=file_format)
    name = f"masarat-action-plan-{progress.period.code}.{file_format}"
    if file_format == "pdf":
        try:
            content = action_plan_pdf(progress)
        except FontMissing as error:
            return HttpResponse(str(error), status=503, content_type="text/plain; charset=utf-8")
        response = HttpResponse(content, content_type="application/pdf")
    elif file_format == "csv":
        response = HttpResponse(csv_bytes(selectors.report_rows(progress)), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(xlsx_bytes([(_("Action plan"), selectors.report_rows(progress))]), content_type=(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def measure(request: AuthenticatedRequest, code: str) -> HttpResponse:
    _require_viewer(request)
    user = request.user
    measures = Measure.objects.select_related("axis__plan").prefetch_related("agencies", "indicators__targets")
    if request.method == "POST":
        item = policy.get_measure_for_progress_or_404(user, measures, code)
    else:
        found = measures.filter(code=code).first()
        if found is None:
            raise Http404
        item = found
    can_post = policy.can_post_progress(user, item)
    manual = [indicator for indicator in item.indicators.all() if not indicator.is_computed]
    form = None
    status = 200
    if can_post:
        initial = {"version": item.version, "status": item.status, "on": timezone.localdate()}
        form = ProgressForm(request.POST or None, initial=initial, manual_indicators=manual)
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.progress_post(
                        measure=item, by=user, on=data["on"], status=data["status"], text=data["text"],
                        expected_version=data["version"],
                        readings=[services.ReadingInput(indicator, Decimal(value))
                                  for indicator, value in form.readings()])
                except services.ProgressRefused as refusal:
                    form.add_error(None, str(refusal))
                    status = 409
                else:
                    messages.success(request, _("Progress recorded."))
                    return redirect("action-plan-measure", code=item.code)
            else:
                status = 400
    updates = page_of(Paginator(selectors.measure_updates(item), 20), request)
    record_event(actor=user, action="actionplan.measure_view", target_type="measure", target_id=item.code)
    return render(request, "actionplan/measure.html", {
        "measure": item, "form": form, "updates": updates, "page": updates, "query": "",
        "overdue": item.is_overdue(timezone.localdate()), "responsible": selectors.responsible_bodies(item),
        "manual": manual,
    }, status=status)
