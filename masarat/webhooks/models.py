"""Webhook subscriptions and the outbox of their deliveries.

A delivery row is written in the same transaction as the change it announces (so a change rolled
back announces nothing, and a change committed is never forgotten); the worker posts it later.
Payloads hold a case reference, the event and its time: never an identity.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.vault.fields import EncryptedTextField


class Event(models.TextChoices):
    REFERRAL_CREATED = "referral.created", _("Referral created")
    DECISION_RECORDED = "decision.recorded", _("Identification decision recorded")
    SERVICE_REFERRAL_ANSWERED = "service_referral.answered", _("Service referral answered")
    CASE_CLOSED = "case.closed", _("Case closed")


class Subscription(models.Model):
    name = models.CharField(_("name"), max_length=120, help_text=_("Who receives: the partner system."))
    url = models.URLField(_("address (URL)"), max_length=500)
    secret = EncryptedTextField(_("secret"), help_text=_(
        "Shared with the receiver, who checks the signature of each delivery with it (32 characters at least)."))
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")

    def __str__(self) -> str:
        return self.name


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Failed for good (dead letter)")


class Delivery(models.Model):
    """One event for one subscription. ``id`` is sent with every attempt: the receiver deduplicates on it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name=_("subscription"))
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    case_reference = models.CharField(_("case"), max_length=32)
    occurred_at = models.DateTimeField(_("occurred"))
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["occurred_at"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.case_reference} → {self.subscription}"

    @property
    def payload(self) -> dict[str, str]:
        return {"delivery": str(self.id), "event": self.event, "reference": self.case_reference,
                "occurred_at": self.occurred_at.isoformat()}
