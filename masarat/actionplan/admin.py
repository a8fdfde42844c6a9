"""The plans are data: the commission's secretariat or an administrator edits them here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from masarat.access import policy
from masarat.actionplan.models import Axis, Indicator, Measure, Plan, ProgressUpdate, Target
from masarat.audit.admin import AuditedModelAdmin


class SecretariatPermissions:
    """Open to ``policy.can_edit_action_plan``, whatever Django's permissions say."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return policy.can_edit_action_plan(request.user)  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_edit_action_plan(request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return policy.can_edit_action_plan(request.user)  # type: ignore[arg-type]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_edit_action_plan(request.user)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return policy.can_edit_action_plan(request.user)  # type: ignore[arg-type]


class TargetInline(SecretariatPermissions, admin.TabularInline):
    model = Target
    extra = 1


class AxisInline(SecretariatPermissions, admin.TabularInline):
    model = Axis
    extra = 0
    fields = ["code", "order", "title_fr", "title_ar", "title_en"]


@admin.register(Plan)
class PlanAdmin(SecretariatPermissions, AuditedModelAdmin):
    list_display = ["title_fr", "code", "kind", "start_year", "end_year", "is_example"]
    inlines = [AxisInline]


@admin.register(Axis)
class AxisAdmin(SecretariatPermissions, AuditedModelAdmin):
    list_display = ["title_fr", "code", "plan", "order"]
    list_filter = ["plan"]


@admin.register(Measure)
class MeasureAdmin(SecretariatPermissions, AuditedModelAdmin):
    list_display = ["title_fr", "code", "axis", "deadline", "status"]
    list_filter = ["axis__plan", "status"]
    search_fields = ["code", "title_fr", "title_en", "title_ar"]
    filter_horizontal = ["agencies"]
    exclude = ["version"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            obj.version += 1  # an edit here invalidates a progress form opened before it
        super().save_model(request, obj, form, change)


@admin.register(Indicator)
class IndicatorAdmin(SecretariatPermissions, AuditedModelAdmin):
    list_display = ["title_fr", "code", "axis", "measure", "unit", "source"]
    list_filter = ["axis__plan", "source"]
    search_fields = ["code", "title_fr", "title_en", "title_ar"]
    inlines = [TargetInline]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SecretariatPermissions, AuditedModelAdmin):
    """Read only: progress is posted on the action plan's pages, where it is audited."""

    list_display = ["measure", "on", "status", "by"]
    list_filter = ["status"]
    readonly_fields = ["measure", "on", "status", "text", "by"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
