"""Notifications: the in-app inbox, each user's preferences, and the outbox of e-mails.

A notification holds no personal data: a kind, a case reference, what it points to and a few
parameters (a stage, an outcome, a kind of service). Its text is written at display time, in the
reader's language. An e-mail row is written in the same transaction as the change it announces
(the outbox pattern); ``masarat worker`` sends it later.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case


class Kind(models.TextChoices):
    NEW_REFERRAL = "referral.new", _("New referral to decide on")
    DECISION_RECORDED = "decision.recorded", _("Decision recorded on a referral of your agency")
    CASE_ASSIGNED = "case.assigned", _("Case assigned to you")
    PATHWAY_PROPOSED = "pathway.proposed", _("Service referrals proposed")
    SERVICE_REFERRAL_RECEIVED = "service_referral.received", _("Service referral received")
    SERVICE_REFERRAL_ACCEPTED = "service_referral.accepted", _("Service referral accepted")
    SERVICE_REFERRAL_DECLINED = "service_referral.declined", _("Service referral declined")
    SERVICE_REFERRAL_ESCALATED = "service_referral.escalated", _("Service referral unanswered in time")
    SERVICE_DELIVERED = "service_referral.delivered", _("Service delivered")
    TRANSFER_REQUESTED = "transfer.requested", _("Transfer of case management offered to you")
    TRANSFER_ANSWERED = "transfer.answered", _("Transfer of case management answered")
    DEADLINE_OVERDUE = "deadline.overdue", _("Deadline overdue")
    HEARING_SOON = "hearing.soon", _("Hearing soon")


class Target(models.TextChoices):
    """What a notification opens (the page depends on the recipient's role)."""

    CASE = "case", _("Case file")
    REFERRAL_STATUS = "referral_status", _("Referral status")
    PROVIDER_REFERRAL = "provider_referral", _("Service referral received")
    TRANSFER = "transfer", _("Transfer")
    PROCEEDINGS = "proceedings", _("Proceedings")


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+", verbose_name=_("case"))
    reference = models.CharField(_("case"), max_length=32)
    target = models.CharField(_("opens"), max_length=20, choices=Target.choices)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Codes only (stage, outcome, kind of service, accepted): never a name or a free text.
    params = models.JSONField(default=dict, blank=True)
    # Set for notifications that must exist once (an overdue deadline): a rerun adds nothing.
    dedupe_key = models.CharField(max_length=120, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]
        constraints = [models.UniqueConstraint(fields=["recipient", "dedupe_key"], name="unique_notification_once",
                                               condition=~Q(dedupe_key=""))]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference} → {self.recipient_id}"


class Preference(models.Model):
    """How a user wants to hear of their notifications besides the inbox (off until they opt in)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email_enabled = models.BooleanField(_("e-mail for each notification"), default=False)
    # Kinds the user does not want by e-mail (they still reach the inbox).
    email_muted_kinds = models.JSONField(default=list, blank=True)
    digest_enabled = models.BooleanField(_("daily digest by e-mail"), default=False)
    language = models.CharField(_("language of e-mails"), max_length=8, default="fr")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user_id)

    def wants_email(self, kind: str) -> bool:
        return self.email_enabled and kind not in self.email_muted_kinds


class EmailKind(models.TextChoices):
    NOTIFICATION = "notification", _("Notification")
    DIGEST = "digest", _("Daily digest")


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    DEAD = "dead", _("Failed for good")


class OutgoingEmail(models.Model):
    """One e-mail to send. Its text (kind, reference, link: no personal data) is written when queued."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=12, choices=EmailKind.choices)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="emails")
    digest_day = models.DateField(_("digest of"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"))
    status = models.CharField(_("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="email_outbox_due")]
        constraints = [models.UniqueConstraint(fields=["recipient", "digest_day"], name="one_digest_per_user_and_day",
                                               condition=Q(kind="digest"))]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"
