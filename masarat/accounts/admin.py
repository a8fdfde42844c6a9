from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static import admin as _static_admin  # noqa: F401  (registers, to unregister below)
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp import admin as _totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from masarat.accounts import services
from masarat.accounts.models import ApiToken, User
from masarat.audit.admin import AuditedModelAdmin
from masarat.audit.services import record_event

# An administrator cannot widen their own access: these fields of their own account are read-only.
SELF_PROTECTED_FIELDS = ("role", "coordination_scope", "agency", "is_active", "is_staff", "is_superuser",
                         "groups", "user_permissions")

# Second factors are not edited in the admin: it would show an administrator a user's TOTP secret,
# enough to make their codes. A lost device is reset with the action on users instead.
for device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(device_model):
        admin.site.unregister(device_model)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "agency", "role", "coordination_scope", "is_active"]
    list_filter = ["role", "coordination_scope", "agency__region", "is_active"]
    actions = ["reset_second_factor"]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (_("Masarat"), {"fields": ("agency", "role", "coordination_scope")}),
    )
    add_fieldsets = (
        *(DjangoUserAdmin.add_fieldsets or ()),
        (_("Masarat"), {"fields": ("first_name", "last_name", "agency", "role", "coordination_scope")}),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        if obj is not None and obj.pk == request.user.pk:
            return fields + SELF_PROTECTED_FIELDS
        return fields

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            record_event(actor=request.user, action="admin.user.password_reset", target_type="user",  # type: ignore[arg-type]
                         target_id=str(id))
        return response

    @admin.action(description=_("Reset two-step sign-in (lost phone) and end their sessions"))
    def reset_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        users = list(queryset)
        for user in users:
            services.mfa_reset(user=user, by=request.user)  # type: ignore[arg-type]
        self.message_user(request, ngettext(
            "Two-step sign-in was reset for %(count)d user: they set it up again at their next sign-in.",
            "Two-step sign-in was reset for %(count)d users: they set it up again at their next sign-in.",
            len(users)) % {"count": len(users)}, messages.SUCCESS)


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Tokens can be seen and revoked here, never given to another user or brought back."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "user", "name", "key_hash", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    actions = ["revoke_tokens"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke_tokens(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke_by_id(token_id=token.pk, by=request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are made by `masarat token create`, which shows the secret once
