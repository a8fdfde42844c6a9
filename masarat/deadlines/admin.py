from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import Form
from django.http import HttpRequest

from masarat.audit.admin import AuditedModelAdmin
from masarat.deadlines.models import PublicHoliday


def _recompute_after_commit() -> None:
    from django.apps import apps

    from masarat.cases.services import case_deadlines_recompute

    transaction.on_commit(case_deadlines_recompute)
    if apps.is_installed("masarat.statistics"):  # the deadlines kept for the statistics move too
        from masarat.statistics.facts import refresh_deadlines

        transaction.on_commit(refresh_deadlines)


@admin.register(PublicHoliday)
class PublicHolidayAdmin(AuditedModelAdmin):
    """A new or removed holiday moves the working-day deadlines of open cases."""

    list_display = ["name", "day", "month", "year"]
    list_filter = ["year"]

    def save_model(self, request: HttpRequest, obj: Any, form: Form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        _recompute_after_commit()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        _recompute_after_commit()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        super().delete_queryset(request, queryset)
        _recompute_after_commit()
