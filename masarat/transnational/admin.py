"""Partners abroad, for administrators (a partner holds no case data)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from masarat.transnational.models import Partner
from masarat.transnational.selectors import allowed_countries


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "is_active", "transfers_allowed", "fingerprint_display"]
    list_filter = ["is_active", "country"]
    search_fields = ["name"]
    fields = ["name", "country", "encryption_key", "signing_key", "fingerprint_display", "is_active"]
    readonly_fields = ["fingerprint_display"]

    @admin.display(description=_("fingerprint"))
    def fingerprint_display(self, obj: Partner) -> str:
        return obj.fingerprint_display if obj.fingerprint else "—"

    @admin.display(description=_("transfers allowed to its country"), boolean=True)
    def transfers_allowed(self, obj: Partner) -> bool:
        return str(obj.country.code) in allowed_countries()
