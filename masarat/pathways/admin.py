from django.contrib import admin

from masarat.audit.admin import AuditedModelAdmin
from masarat.pathways.models import PathwayStep, PathwayTemplate


class PathwayStepInline(admin.TabularInline):
    model = PathwayStep
    extra = 1


@admin.register(PathwayTemplate)
class PathwayTemplateAdmin(AuditedModelAdmin):
    """Pathways are data: the commission adapts them without a new release."""

    list_display = ["name", "code", "for_child", "nationality", "exploitation_form", "is_active"]
    list_filter = ["for_child", "nationality", "is_active"]
    inlines = [PathwayStepInline]
