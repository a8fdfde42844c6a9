from django.contrib import admin

from masarat.audit.admin import AuditedModelAdmin
from masarat.directory.models import Service, ServiceLanguage


class ServiceLanguageInline(admin.TabularInline):
    model = ServiceLanguage
    extra = 1


@admin.register(Service)
class ServiceAdmin(AuditedModelAdmin):
    list_display = ["name", "provider", "kind", "region", "city", "capacity_free", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "provider__name", "city"]
    readonly_fields = ["capacity_updated_at", "capacity_updated_by"]
    inlines = [ServiceLanguageInline]
