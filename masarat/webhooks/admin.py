"""Subscriptions and the dead letters, for administrators (payloads hold no identity)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from masarat.webhooks.models import Delivery, DeliveryStatus, Event, Subscription
from masarat.webhooks.services import replay


class SubscriptionForm(forms.ModelForm):
    url = forms.URLField(label=_("address (URL)"), max_length=500, assume_scheme="https")
    events = forms.MultipleChoiceField(label=_("events"), choices=Event.choices,
                                       widget=forms.CheckboxSelectMultiple)
    secret = forms.CharField(label=_("secret"), min_length=32, max_length=200, widget=forms.PasswordInput(
        render_value=True), help_text=Subscription._meta.get_field("secret").help_text)

    class Meta:
        model = Subscription
        fields = ["name", "url", "secret", "events", "is_active"]

    def clean_url(self) -> str:
        url: str = self.cleaned_data["url"]
        if not url.startswith(("https://", "http://")):
            raise forms.ValidationError(_("Use an http or https address."))
        return url


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    form = SubscriptionForm
    list_display = ["name", "url", "is_active", "created_at"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["occurred_at", "event", "case_reference", "subscription", "status", "attempts", "last_error"]
    list_filter = ["status", "event", "subscription"]
    readonly_fields = ["id", "subscription", "event", "case_reference", "occurred_at", "status", "attempts",
                       "next_attempt_at", "delivered_at", "last_error"]
    actions = ["replay_selected"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Send the selected dead letters again"))
    def replay_selected(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = replay(deliveries=list(queryset.filter(status=DeliveryStatus.DEAD)), by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("%(count)d deliveries will be sent again.") % {"count": count})
