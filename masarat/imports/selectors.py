"""Reads of imports: only by the coordinator who started the job; reads of staged rows are audited."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.imports.models import ImportJob, ImportRow, RowOutcome


def job_for(*, viewer: User, pk: int) -> ImportJob:
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or not policy.can_see_import(viewer, job):
        raise Http404
    return job


def jobs_of(viewer: User) -> QuerySet[ImportJob]:
    if not policy.can_import_cases(viewer):
        raise Http404
    return ImportJob.objects.filter(created_by=viewer).defer("content")


def rows_of(job: ImportJob, *, rejected_only: bool) -> QuerySet[ImportRow]:
    rows = job.rows.select_related("case").defer("cells")
    return rows.filter(outcome__in=[RowOutcome.REJECTED, RowOutcome.LEFT_OUT]) if rejected_only else rows


def audit_rows_read(*, viewer: User, job: ImportJob, lines: list[int]) -> None:
    """The preview shows problems that may quote a cell of the file: a read of personal data."""
    record_event(actor=viewer, action="import.preview_read", target_type="import", target_id=str(job.pk),
                 details={"lines": lines})


REPORT_HEADER = ("line", "outcome", "reference", "possible_duplicates", "problems")


def report_rows(*, viewer: User, job: ImportJob) -> Iterator[list[object]]:
    """The final report (or, before the commit, what the dry run found), one line per row of the file."""
    record_event(actor=viewer, action="import.report", target_type="import", target_id=str(job.pk))
    for row in job.rows.select_related("case").defer("cells").order_by("line"):
        problems = "; ".join(f"{problem['column'] or _('whole row')}: {problem['message']}"
                             for problem in row.problems)
        yield [row.line, row.get_outcome_display(), row.case.reference if row.case else "", row.possible_duplicates,
               problems]
