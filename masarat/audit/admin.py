"""Changes made in the administration site reach the audit trail, like every other change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.forms import Form
from django.http import HttpRequest

from masarat.audit.services import record_event


def _name(obj: Model) -> str:
    return obj._meta.model_name or type(obj).__name__.lower()


class AuditedModelAdmin(admin.ModelAdmin):
    """Records who added, changed (which fields, never their values) or deleted what."""

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_event(actor=request.user, action=f"admin.{_name(obj)}.{'change' if change else 'add'}",  # type: ignore[arg-type]
                     target_type=_name(obj), target_id=str(obj.pk),
                     details={"fields": sorted(form.changed_data)})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_event(actor=request.user, action=f"admin.{_name(obj)}.delete",  # type: ignore[arg-type]
                     target_type=_name(obj), target_id=str(obj.pk), details={"label": str(obj)})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            record_event(actor=request.user, action=f"admin.{_name(obj)}.delete",  # type: ignore[arg-type]
                         target_type=_name(obj), target_id=str(obj.pk), details={"label": str(obj)})
        super().delete_queryset(request, queryset)
