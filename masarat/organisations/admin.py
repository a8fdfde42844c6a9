from django.contrib import admin

from masarat.audit.admin import AuditedModelAdmin
from masarat.organisations.models import Agency


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "region", "city", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["name", "city"]
