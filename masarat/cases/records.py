"""Records kept on a case beside its lifecycle: the assistance plan, child protection, return,
proceedings. Each kind is a model, a form and a policy rule; one service adds any of them, so that
the version check, the timeline and the audit trail work the same way for all.

A record is never edited in place: a new plan version, a new stage, a new status is a new row,
so the history stays readable (and auditable) as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case, CaseEvent
from masarat.cases.services import claim_case_version


class CaseRecord(models.Model):
    """What every record shares: its case, who recorded it and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"),
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["recorded_at", "id"]


class RecordForm(forms.ModelForm):
    """A record's form; it knows its case, so that a choice of a parent record stays inside it."""

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and issubclass(queryset.model, CaseRecord):
                field.queryset = queryset.filter(case=case)  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.update({"rows": 4, "dir": "auto"})
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


@dataclass(frozen=True)
class RecordKind:
    slug: str
    model: type[CaseRecord]
    form: type[RecordForm]
    title: str | Promise
    allowed: Callable[[User, Case], bool]
    # The initial values of a new record (the current plan, to start its next version from it).
    initial: Callable[[Case], dict[str, Any]] | None = None
    # Records some holders of the file may not see (offenders) stay off the case's timeline.
    on_timeline: bool = True


RECORD_KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    RECORD_KINDS[kind.slug] = kind
    return kind


@transaction.atomic
def record_add(*, kind: RecordKind, case: Case, form: RecordForm, by: User,
               expected_version: int | None) -> CaseRecord:
    """Add one record to a case from a valid form: policy, version, timeline and audit in one transaction."""
    policy.require(kind.allowed(by, case))
    claim_case_version(case, expected_version)
    record = form.save(commit=False)
    record.case = case
    record.recorded_by = by
    if kind.initial is not None:
        # A new version (of the plan) by someone who may not read a sensitive category of it keeps what
        # the current version holds there: they neither see it nor overwrite it.
        from masarat.sensitive.shield import shield_for

        if hidden := shield_for(by, case).hidden_fields(record):
            current = kind.initial(case)
            for name in hidden:
                setattr(record, name, current.get(name) or "")
    record.save()
    form.save_m2m()
    if kind.on_timeline:
        CaseEvent.objects.create(case=case, actor=by, action=f"record:{kind.slug}", from_status=case.status,
                                 to_status=case.status)
    record_event(actor=by, action=f"case.record.{kind.slug}", target_type=kind.model._meta.label_lower,
                 target_id=str(record.pk), case_reference=case.reference)
    return record


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)  # a country, a model's primary key as text...


def record_values(kind: RecordKind, record: CaseRecord) -> dict[str, Any]:
    """A record as plain values (for the API and the access-request export): what its form holds."""
    values = model_to_dict(record, fields=list(kind.form.base_fields))
    return {"id": record.pk, "recorded_at": record.recorded_at.isoformat(),
            "recorded_by": record.recorded_by.username, **{name: _plain(value) for name, value in values.items()}}


def records_of(model: type[CaseRecord], case: Case) -> models.QuerySet[Any]:
    return model._default_manager.filter(case=case).select_related("recorded_by")


@dataclass(frozen=True)
class DueState:
    """Where a dated step stands today: past its date, due within the week, or later."""

    overdue: bool
    due_this_week: bool


def due_state(on: date | None, *, done: bool = False, today: date | None = None) -> DueState:
    today = today or timezone.localdate()
    if on is None or done:
        return DueState(False, False)
    return DueState(on < today, today <= on <= today + timedelta(days=7))
