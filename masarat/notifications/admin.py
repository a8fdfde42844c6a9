"""The e-mail outbox, for administrators: what waits, what was sent, what failed for good (and send it again)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from masarat.notifications.models import EmailStatus, OutgoingEmail
from masarat.notifications.services import emails_retry


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "recipient", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "kind"]
    readonly_fields = ["id", "recipient", "kind", "digest_day", "subject", "status", "attempts", "created_at",
                       "next_attempt_at", "sent_at", "last_error"]
    exclude = ["notification", "body"]
    actions = ["retry_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the selected failed e-mails again"))
    def retry_selected(self, request: HttpRequest, queryset: QuerySet[OutgoingEmail]) -> None:
        count = emails_retry(emails=list(queryset.filter(status=EmailStatus.DEAD)), by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("%(count)d e-mails will be sent again.") % {"count": count})
