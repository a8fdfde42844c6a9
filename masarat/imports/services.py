"""Imports of existing case lists: upload, column mapping, checking (the dry run), commit, rollback.

How a job runs:

1. **Upload** (:func:`job_start`): the file is read once to check it and find its columns, then kept
   encrypted on the job.
2. **Mapping** (:func:`job_map`): each column goes to a Masarat field (suggested from the column names;
   a mapping can be saved under a name and reused).
3. **Checking** (:func:`validate_batch`, the dry run): every row goes through the rules of the referral
   form and the duplicate check, in batches of :data:`BATCH_SIZE` rows; each batch is one transaction
   that stages its rows (:class:`ImportRow`, encrypted) and the progress, so an interrupted check
   resumes from the last batch. Nothing is created; the preview and the report say what would be.
4. **Commit** (:func:`commit_run`): every staged row becomes a referral through
   :func:`masarat.referrals.services.referral_submit` (the same rules, audit, webhooks and duplicate
   check as a referral typed in the form), **all in one transaction**: any failure, a row that no
   longer passes the rules, a crash or a stopped worker leaves no case at all, and the job goes back
   to "checked", to be resumed or rolled back.
5. **Rollback** (:func:`job_rollback`) of a job not yet imported: the file and staged rows are deleted.

Small files are checked and committed in the web request; larger ones by ``masarat import work``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.duplicates.index import PersonIndex
from masarat.duplicates.services import PROPOSAL_LIMIT, PROPOSAL_THRESHOLD, candidate_persons, proposal_count
from masarat.imports.fields import FIELDS, suggest_mapping
from masarat.imports.models import ImportJob, ImportMapping, ImportRow, JobStatus, RowOutcome
from masarat.imports.reading import ENCODINGS, FileRefused, Table, read_table
from masarat.imports.rows import ReadRow, cells_of, read_row
from masarat.matching.engine import candidates_for
from masarat.matching.fields import BirthParts
from masarat.matching.records import MatchRecord
from masarat.people.vocabulary import Sex
from masarat.referrals.services import referral_submit
from masarat.referrals.validation import ReferralErrors, ReferralInput
from masarat.vault.cipher import decrypt_bytes, encrypt_bytes

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
STALE_AFTER = timedelta(minutes=2)  # a job whose worker has not reported for this long was interrupted

__all__ = [
    "FileRefused",
    "ImportChanged",
    "ImportRefused",
    "commit_run",
    "job_commit",
    "job_map",
    "job_resume",
    "job_rollback",
    "job_start",
    "mapping_save",
    "validate_all",
    "validate_batch",
    "work_pending",
]


class ImportRefused(Exception):
    """An action the job's state does not allow (the message says why)."""


class ImportChanged(ImportRefused):
    """The job changed since the page was shown (another tab, the worker)."""


# --- Upload and mapping -------------------------------------------------------------------------

@transaction.atomic
def job_start(*, filename: str, data: bytes, by: User, encoding: str = "",
              mapping: ImportMapping | None = None) -> ImportJob:
    """Check a file can be read and keep it, encrypted, on a new job with a suggested mapping.

    Raises :class:`FileRefused` (with a message for the user) when it cannot be read.
    """
    policy.require(policy.can_import_cases(by))
    if encoding and encoding not in ENCODINGS:
        raise FileRefused(_("Unknown encoding: choose UTF-8, Windows-1256 or Latin-1."))
    table = read_table(data, filename=filename, encoding=encoding)
    columns = dict(mapping.columns) if mapping is not None and mapping.agency_id == by.agency_id else {}
    suggested = suggest_mapping(table.header)
    job = ImportJob(created_by=by, language=translation.get_language() or settings.LANGUAGE_CODE,
                    filename=filename[:255], kind=table.kind, encoding=table.encoding, size=len(data),
                    header=table.header, total_rows=len(table.rows),
                    mapping={column: columns.get(column, "") if columns else suggested.get(column, "")
                             for column in table.header},
                    mapping_name=mapping.name if columns and mapping is not None else "")
    job.save()
    job.content = encrypt_bytes(data, context=job.encryption_context)
    job.save(update_fields=["content"])
    record_event(actor=by, action="import.upload", target_type="import", target_id=str(job.pk),
                 details={"kind": table.kind, "rows": len(table.rows), "columns": len(table.header),
                          "size": len(data), "encoding": table.encoding})
    return job


def _claim_version(job: ImportJob, expected_version: int | None) -> ImportJob:
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ImportChanged(_("This import changed in the meantime (in another tab or by the worker). "
                              "The page now shows it as it is."))
    locked.version += 1
    return locked


def check_mapping(mapping: dict[str, str]) -> list[str]:
    """What is wrong with a mapping, in words (empty when it can be used)."""
    problems = []
    used: dict[str, str] = {}
    for column, name in mapping.items():
        if not name:
            continue
        if name not in FIELDS:
            problems.append(_("Unknown field for column “%(column)s”.") % {"column": column})
        elif name in used:
            problems.append(_("Columns “%(first)s” and “%(second)s” are both mapped to “%(field)s”: "
                              "map one of them to another field or leave it out.")
                            % {"first": used[name], "second": column, "field": FIELDS[name]})
        else:
            used[name] = column
    if not used:
        problems.append(_("Map at least one column to a Masarat field."))
    return problems


@transaction.atomic
def job_map(*, job: ImportJob, by: User, mapping: dict[str, str], expected_version: int | None,
            save_as: str = "") -> ImportJob:
    """Record the mapping (and save it under a name if asked), then check the rows anew."""
    policy.require(policy.can_see_import(by, job))
    job = _claim_version(job, expected_version)
    if job.status not in (JobStatus.MAPPING, JobStatus.VALIDATED, JobStatus.VALIDATING):
        raise ImportRefused(_("This import is finished: its mapping can no longer change."))
    mapping = {column: mapping.get(column, "") for column in job.header}
    if problems := check_mapping(mapping):
        raise ImportRefused(" ".join(problems))
    if save_as.strip():
        saved = mapping_save(by=by, name=save_as, columns=mapping)
        job.mapping_name = saved.name
    job.mapping = mapping
    job.status = JobStatus.VALIDATING
    job.checked_rows = job.valid_rows = job.rejected_rows = job.duplicate_rows = 0
    job.heartbeat_at = None
    job.failure = ""
    job.save()
    job.rows.all().delete()
    record_event(actor=by, action="import.map", target_type="import", target_id=str(job.pk),
                 details={"mapping": {field: True for field in mapping.values() if field},
                          "saved_as": job.mapping_name})
    return job


@transaction.atomic
def mapping_save(*, by: User, name: str, columns: dict[str, str]) -> ImportMapping:
    """Save a mapping under a name for the user's agency (a mapping of the same name is replaced)."""
    policy.require(policy.can_import_cases(by))
    name = " ".join(name.split())[:100]
    if not name:
        raise ImportRefused(_("Give the mapping a name."))
    saved, _created = ImportMapping.objects.update_or_create(
        agency=by.agency, name=name,
        defaults={"columns": {column: field for column, field in columns.items() if field in FIELDS},
                  "saved_by": by})
    record_event(actor=by, action="import.mapping_save", target_type="import_mapping", target_id=str(saved.pk),
                 details={"name": name})
    return saved


# --- Checking: the dry run, in resumable batches ------------------------------------------------

_TABLES = threading.local()


def _table(job: ImportJob) -> Table:
    """The job's file, read once per process (each batch would otherwise parse it anew)."""
    cached = getattr(_TABLES, "entry", None)
    if cached is not None and cached[0] == job.key:
        return cached[1]
    data = decrypt_bytes(bytes(job.content), context=job.encryption_context)
    table = read_table(data, filename=job.filename, encoding=job.encoding)
    _TABLES.entry = (job.key, table)
    return table


def _match_record(line: int, data: ReferralInput, today: Any) -> MatchRecord:
    birth = data.birth(today)
    return MatchRecord(
        record_id=f"import:{line}",
        given_names=tuple(name for name in (data.given_name_latin, data.given_name_arabic) if name),
        family_names=tuple(name for name in (data.family_name_latin, data.family_name_arabic) if name),
        sex={Sex.MALE: "m", Sex.FEMALE: "f"}.get(data.sex, ""),  # type: ignore[call-overload]
        birth=BirthParts(year=birth.year, month=birth.month, day=birth.day, estimated_age=birth.estimated_age,
                         estimated_in=birth.estimated_on.year if birth.estimated_on else None),
        nationality=data.nationalities[0] if data.nationalities else "",
        phone=data.phone,
        document_number=data.documents[0].number if data.documents else "",
    )


def _problems(job: ImportJob, read: ReadRow) -> list[dict[str, str]]:
    columns = {field: column for column, field in job.mapping.items() if field}
    return [{"field": problem.field, "column": columns.get(problem.field, ""), "message": problem.message}
            for problem in read.problems]


def validate_batch(job: ImportJob, *, batch_size: int = BATCH_SIZE) -> bool:
    """Check the next batch of rows; True while rows remain. Each batch commits on its own."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("created_by__agency").get(pk=job.pk)
        if job.status != JobStatus.VALIDATING:
            return False
        table = _table(job)
        start, end = job.checked_rows, min(job.checked_rows + batch_size, len(table.rows))
        index = PersonIndex(persons=candidate_persons())
        today = timezone.localdate()
        staged = []
        with translation.override(job.language):
            for position in range(start, end):
                line = table.lines[position]
                cells = cells_of(table.rows[position], table.header, job.mapping)
                read = read_row(cells, by=job.created_by, today=today)
                duplicates = 0
                if read.data is not None and not read.data.is_anonymous:
                    found = candidates_for(_match_record(line, read.data, today), index,
                                           threshold=PROPOSAL_THRESHOLD, limit=PROPOSAL_LIMIT)
                    duplicates = len(found)
                staged.append(ImportRow(job=job, line=line, cells=cells, problems=_problems(job, read),
                                        outcome=RowOutcome.VALID if read.data is not None else RowOutcome.REJECTED,
                                        possible_duplicates=duplicates))
        ImportRow.objects.bulk_create(staged)
        job.checked_rows = end
        job.valid_rows += sum(1 for row in staged if row.outcome == RowOutcome.VALID)
        job.rejected_rows += sum(1 for row in staged if row.outcome == RowOutcome.REJECTED)
        job.duplicate_rows += sum(1 for row in staged if row.possible_duplicates)
        job.total_rows = len(table.rows)
        job.heartbeat_at = timezone.now()
        more = end < len(table.rows)
        if not more:
            job.status = JobStatus.VALIDATED
            job.version += 1
            record_event(actor=job.created_by, action="import.validate", target_type="import", target_id=str(job.pk),
                         details={"rows": job.total_rows, "valid": job.valid_rows, "rejected": job.rejected_rows,
                                  "possible_duplicates": job.duplicate_rows})
        job.save()
        return more


def validate_all(job: ImportJob) -> ImportJob:
    while validate_batch(job):
        pass
    return ImportJob.objects.get(pk=job.pk)


# --- Commit, all or nothing ---------------------------------------------------------------------

@transaction.atomic
def job_commit(*, job: ImportJob, by: User, expected_version: int | None, skip_rejected: bool = False) -> ImportJob:
    """Ask for the checked rows to be recorded (the commit itself runs in :func:`commit_run`)."""
    policy.require(policy.can_see_import(by, job))
    job = _claim_version(job, expected_version)
    if job.status != JobStatus.VALIDATED:
        raise ImportRefused(_("Only a checked import can be recorded."))
    if job.rejected_rows and not skip_rejected:
        raise ImportRefused(_("%(count)d rows are rejected. Fix the file or the mapping and check it again, "
                              "or choose to leave the rejected rows out.") % {"count": job.rejected_rows})
    if not job.valid_rows:
        raise ImportRefused(_("No row can be imported."))
    job.status, job.skip_rejected, job.heartbeat_at, job.failure = JobStatus.COMMITTING, skip_rejected, None, ""
    job.save()
    record_event(actor=by, action="import.commit_requested", target_type="import", target_id=str(job.pk),
                 details={"rows": job.valid_rows, "left_out": job.rejected_rows if skip_rejected else 0})
    return job


class _RowFailed(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line, self.message = line, message
        super().__init__(f"{line}: {message}")


def commit_run(job: ImportJob) -> ImportJob:
    """Record every staged row in one transaction; on any failure nothing stays and the job says why."""
    try:
        with transaction.atomic():
            job = _commit(job)
    except Exception as error:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().get(pk=job.pk)
            with translation.override(job.language):
                if isinstance(error, _RowFailed):
                    failure = _("Line %(line)d no longer passes the rules (%(problem)s). Nothing was imported; "
                                "check the file again.") % {"line": error.line, "problem": error.message}
                else:
                    failure = _("The import stopped before the end (%(error)s). Nothing was imported; it can be "
                                "started again or rolled back.") % {"error": type(error).__name__}
            job.status, job.failure, job.heartbeat_at = JobStatus.VALIDATED, failure, timezone.now()
            job.version += 1
            job.save()
            record_event(actor=job.created_by, action="import.failed", target_type="import", target_id=str(job.pk),
                         details={"error": type(error).__name__})
        if not isinstance(error, _RowFailed):
            logger.exception("import %s: the commit failed and was rolled back", job.pk)
    return job


def _commit(job: ImportJob) -> ImportJob:
    job = ImportJob.objects.select_for_update(of=("self",)).select_related("created_by__agency").get(pk=job.pk)
    if job.status != JobStatus.COMMITTING:
        return job
    by = job.created_by
    today = timezone.localdate()
    created = duplicates = 0
    rows = list(job.rows.order_by("line"))
    with translation.override(job.language):
        for row in rows:
            if row.outcome != RowOutcome.VALID:
                row.outcome, row.cells = RowOutcome.LEFT_OUT, {}
                continue
            read = read_row(row.cells, by=by, today=today)
            if read.data is None:
                raise _RowFailed(row.line, " ".join(problem.message for problem in read.problems))
            try:
                case = referral_submit(data=read.data, by=by, received_at=read.received_at,
                                       submission_key=f"import:{job.key.hex}:{row.line}")
            except ReferralErrors as errors:
                raise _RowFailed(row.line, str(errors)) from errors
            # The submission checked the person (``duplicates.services.after_referral``): its proposals are kept.
            found = proposal_count(case.person) if case.person is not None else 0
            row.outcome, row.case, row.cells, row.possible_duplicates = RowOutcome.CREATED, case, {}, found
            created += 1
            duplicates += bool(found)
            if created % 50 == 0:
                ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    ImportRow.objects.bulk_update(rows, ["outcome", "case", "cells", "possible_duplicates"])
    job.status, job.created_cases, job.duplicate_rows = JobStatus.DONE, created, duplicates
    job.content, job.finished_at, job.heartbeat_at = b"", timezone.now(), timezone.now()
    job.version += 1
    job.save()
    record_event(actor=by, action="import.done", target_type="import", target_id=str(job.pk),
                 details={"created": created, "possible_duplicates": duplicates,
                          "left_out": sum(1 for row in rows if row.outcome == RowOutcome.LEFT_OUT)})
    return job


# --- Rollback, resume, the worker ---------------------------------------------------------------

@transaction.atomic
def job_rollback(*, job: ImportJob, by: User, expected_version: int | None = None) -> ImportJob:
    """Drop an import not yet recorded: its file and its staged rows are deleted; nothing was created."""
    policy.require(policy.can_see_import(by, job))
    job = _claim_version(job, expected_version)
    if job.status == JobStatus.DONE:
        raise ImportRefused(_("This import is finished: its cases are recorded and follow the usual process."))
    if job.status == JobStatus.CANCELLED:
        return job
    job.rows.all().delete()
    job.status, job.content, job.finished_at = JobStatus.CANCELLED, b"", timezone.now()
    job.checked_rows = job.valid_rows = job.rejected_rows = job.duplicate_rows = 0
    job.save()
    record_event(actor=by, action="import.rollback", target_type="import", target_id=str(job.pk))
    return job


def is_interrupted(job: ImportJob) -> bool:
    """Checking or recording, but nobody has reported progress for a while (a stopped worker)."""
    return job.status in (JobStatus.VALIDATING, JobStatus.COMMITTING) and job.heartbeat_at is not None \
        and timezone.now() - job.heartbeat_at > STALE_AFTER


@transaction.atomic
def job_resume(*, job: ImportJob, by: User) -> ImportJob:
    """Hand an interrupted import back to the worker (checking resumes from its last batch)."""
    policy.require(policy.can_see_import(by, job))
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status not in (JobStatus.VALIDATING, JobStatus.COMMITTING):
        raise ImportRefused(_("This import is not running."))
    job.heartbeat_at = None
    job.save(update_fields=["heartbeat_at"])
    record_event(actor=by, action="import.resume", target_type="import", target_id=str(job.pk),
                 details={"from_row": job.checked_rows})
    return job


def _claim(job: ImportJob) -> bool:
    """Take a job that no one is working on (several workers may run)."""
    now = timezone.now()
    return bool(ImportJob.objects.filter(pk=job.pk, status=job.status)
                .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - STALE_AFTER))
                .update(heartbeat_at=now))


def run(job: ImportJob) -> ImportJob:
    """Take the job through its current step (checking or recording), if no one else is on it."""
    if job.status not in (JobStatus.VALIDATING, JobStatus.COMMITTING) or not _claim(job):
        return job
    if job.status == JobStatus.VALIDATING:
        return validate_all(job)
    return commit_run(job)


def runs_inline(job: ImportJob) -> bool:
    """Small files are handled in the web request; larger ones wait for ``masarat import work``."""
    return job.total_rows <= settings.MASARAT_IMPORT_INLINE_ROWS


@dataclass
class WorkDone:
    jobs: int


def work_pending(*, limit: int = 10) -> WorkDone:
    """Run the jobs waiting for a worker, and those whose worker stopped (they resume where they were)."""
    stale = timezone.now() - STALE_AFTER
    pending = (ImportJob.objects.filter(status__in=[JobStatus.VALIDATING, JobStatus.COMMITTING])
               .filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale)).order_by("created_at")[:limit])
    done = 0
    for job in pending:
        run(job)
        done += 1
    return WorkDone(jobs=done)
