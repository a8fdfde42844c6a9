"""Import pages: upload, mapping, the checked preview (the dry run), commit, rollback, progress, report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from masarat.imports import selectors, services
from masarat.imports.forms import CommitForm, MappingForm, UploadForm
from masarat.imports.models import ImportJob, JobStatus
from masarat.imports.reading import FileRefused
from masarat.web.exports import csv_response
from masarat.web.forms import VersionedForm
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import page_of, query_without_page

PAGE_SIZE = 50


@login_required
@require_http_methods(["GET", "POST"])
def index(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    jobs = selectors.jobs_of(user)
    status = 200
    form = UploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                job = services.job_start(filename=upload.name or "", data=upload.read(), by=user,
                                         encoding=form.cleaned_data["encoding"], mapping=form.cleaned_data["mapping"])
            except FileRefused as refused:
                form.add_error("file", str(refused))
                status = 400
            else:
                return redirect("import-mapping", pk=job.pk)
        else:
            status = 400
    page = page_of(Paginator(jobs, 20), request)
    return render(request, "imports/index.html", {"form": form, "page": page, "query": query_without_page(request)},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def mapping(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(viewer=request.user, pk=pk)
    if not job.is_open or job.status == JobStatus.COMMITTING:
        return redirect("import", pk=job.pk)
    form = MappingForm(request.POST or None, header=job.header, initial_mapping=job.mapping,
                       initial={"version": job.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                job = services.job_map(job=job, by=request.user, mapping=form.mapping(),
                                       expected_version=form.cleaned_data["version"],
                                       save_as=form.cleaned_data["save_as"])
            except services.ImportRefused as refused:
                form.add_error(None, str(refused))
                status = 409 if isinstance(refused, services.ImportChanged) else 400
            else:
                if services.runs_inline(job):
                    services.run(job)
                return redirect("import", pk=job.pk)
        else:
            status = 400
    return render(request, "imports/mapping.html", {"job": job, "form": form}, status=status)


@login_required
@require_http_methods(["GET"])
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(viewer=request.user, pk=pk)
    if job.status == JobStatus.MAPPING:
        return redirect("import-mapping", pk=job.pk)
    rejected_only = request.GET.get("rows") == "rejected"
    page = None
    if job.status in (JobStatus.VALIDATED, JobStatus.DONE):
        page = page_of(Paginator(selectors.rows_of(job, rejected_only=rejected_only), PAGE_SIZE), request)
        selectors.audit_rows_read(viewer=request.user, job=job, lines=[row.line for row in page])
    return render(request, "imports/job.html", {
        "job": job, "page": page, "query": query_without_page(request), "rejected_only": rejected_only,
        "commit_form": CommitForm(initial={"version": job.version}),
        "version_form": VersionedForm(initial={"version": job.version}, auto_id="rollback_%s"),
        "interrupted": services.is_interrupted(job),
        "running": job.status in (JobStatus.VALIDATING, JobStatus.COMMITTING),
    })


def _back(request: AuthenticatedRequest, job: ImportJob, error: services.ImportRefused | None = None) -> HttpResponse:
    if error is not None:
        messages.error(request, str(error))
    return redirect("import", pk=job.pk)


@login_required
@require_POST
def commit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(viewer=request.user, pk=pk)
    form = CommitForm(request.POST)
    if not form.is_valid():
        return _back(request, job, services.ImportChanged(_("The form was incomplete: try again.")))
    try:
        job = services.job_commit(job=job, by=request.user, expected_version=form.cleaned_data["version"],
                                  skip_rejected=form.cleaned_data["skip_rejected"])
    except services.ImportRefused as refused:
        return _back(request, job, refused)
    if services.runs_inline(job):
        job = services.run(job)
    if job.status == JobStatus.DONE:
        messages.success(request, _("%(count)d cases imported.") % {"count": job.created_cases})
    return _back(request, job)


@login_required
@require_POST
def rollback(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(viewer=request.user, pk=pk)
    form = VersionedForm(request.POST)
    try:
        job = services.job_rollback(job=job, by=request.user,
                                    expected_version=form.cleaned_data["version"] if form.is_valid() else None)
    except services.ImportRefused as refused:
        return _back(request, job, refused)
    messages.success(request, _("The import was rolled back: its file and checked rows are deleted."))
    return redirect("imports")


@login_required
@require_POST
def resume(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(viewer=request.user, pk=pk)
    try:
        job = services.job_resume(job=job, by=request.user)
    except services.ImportRefused as refused:
        return _back(request, job, refused)
    if services.runs_inline(job):
        services.run(job)
    return _back(request, job)


@login_required
@require_http_methods(["GET"])
def progress(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    """What the progress bar polls: counts only, no data of the file."""
    job = selectors.job_for(viewer=request.user, pk=pk)
    return JsonResponse({"status": job.status, "status_label": job.get_status_display(), "percent": job.progress,
                         "checked": job.checked_rows, "total": job.total_rows,
                         "interrupted": services.is_interrupted(job)})


@login_required
@require_http_methods(["GET"])
def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job = selectors.job_for(viewer=request.user, pk=pk)
    if job.status not in (JobStatus.VALIDATED, JobStatus.DONE):
        return _back(request, job, services.ImportRefused(_("The report is ready once the rows are checked.")))
    name = f"import-{job.pk}-{'report' if job.status == JobStatus.DONE else 'dry-run'}.csv"
    return csv_response(name, [_("Line"), _("Outcome"), _("Case"), _("Possible duplicates"), _("Problems")],
                        selectors.report_rows(viewer=request.user, job=job))
