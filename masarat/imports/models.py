"""Imports of existing case lists: saved column mappings, jobs and the rows they stage.

The uploaded file and the staged rows hold identities: both are encrypted (the file with a context
naming its job), and both are emptied once the job is finished or rolled back. What stays is what
the report needs: line numbers, outcomes, problems and the references of the cases created.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case
from masarat.organisations.models import Agency
from masarat.vault.fields import EncryptedJSONField, EncryptedTextField


class ImportMapping(models.Model):
    """Which column of a file goes to which Masarat field, saved under a name for an agency's next files."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=100)
    columns = models.JSONField(_("columns"), default=dict, help_text=_("Column name -> Masarat field."))
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="import_mapping_name_unique")]
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")

    def __str__(self) -> str:
        return self.name


class JobStatus(models.TextChoices):
    MAPPING = "mapping", _("Waiting for the column mapping")
    VALIDATING = "validating", _("Checking the rows")
    VALIDATED = "validated", _("Checked: ready to import")
    COMMITTING = "committing", _("Recording the cases")
    DONE = "done", _("Imported")
    CANCELLED = "cancelled", _("Rolled back")


class ImportJob(models.Model):
    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    language = models.CharField(max_length=10, help_text=_("Language of the messages of the preview and report."))
    status = models.CharField(_("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.MAPPING)
    # The file (a name can name a person: encrypted); its content is emptied when the job ends.
    filename = EncryptedTextField(_("file name"))
    kind = models.CharField(max_length=10)
    encoding = models.CharField(max_length=20, blank=True)
    size = models.PositiveIntegerField(default=0)
    content = models.BinaryField(default=b"")
    # Column names are usually labels, but a file without a header line would give a person's data.
    header = EncryptedJSONField(default=list, blank=True)
    mapping = EncryptedJSONField(default=dict, blank=True)
    mapping_name = models.CharField(max_length=100, blank=True)
    skip_rejected = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    checked_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    rejected_rows = models.PositiveIntegerField(default=0)
    duplicate_rows = models.PositiveIntegerField(default=0)
    created_cases = models.PositiveIntegerField(default=0)
    # The last time a worker (or the web request) reported progress: a stale one means an interruption.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    failure = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "heartbeat_at"], name="import_job_pending")]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def encryption_context(self) -> str:
        return f"imports.ImportJob.content:{self.key}"

    @property
    def is_open(self) -> bool:
        return self.status not in (JobStatus.DONE, JobStatus.CANCELLED)

    @property
    def progress(self) -> int:
        """Percent done: checking the rows, then recording them (recorded all at once at the end)."""
        if self.status in (JobStatus.DONE, JobStatus.VALIDATED):
            return 100
        if self.status == JobStatus.MAPPING or not self.total_rows:
            return 0
        if self.status == JobStatus.COMMITTING:
            return 99
        return min(99, self.checked_rows * 100 // self.total_rows)


class RowOutcome(models.TextChoices):
    VALID = "valid", _("Ready to import")
    REJECTED = "rejected", _("Rejected")
    CREATED = "created", _("Imported")
    LEFT_OUT = "left_out", _("Left out (rejected)")


class ImportRow(models.Model):
    """One row of the file, checked: its mapped cells (encrypted) and what was found wrong with it."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField(_("line"))
    cells = EncryptedJSONField(default=dict, blank=True)
    outcome = models.CharField(max_length=10, choices=RowOutcome.choices)
    # [{"field": ..., "column": ..., "message": ...}] in the job's language (messages may quote a cell).
    problems = EncryptedJSONField(default=list, blank=True)
    possible_duplicates = models.PositiveIntegerField(default=0)
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["line"]
        constraints = [models.UniqueConstraint(fields=["job", "line"], name="import_row_line_unique")]
        indexes = [models.Index(fields=["job", "outcome", "line"], name="import_row_outcome")]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line}"
