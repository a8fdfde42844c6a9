from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One read or change of protected data. Written in the transaction of the change itself.

    Append-only and hash-chained (see :mod:`masarat.audit.chain`): only
    :func:`masarat.audit.services.record_event` writes events, and nothing updates or deletes them
    (on PostgreSQL a trigger refuses it).
    """

    # Set before saving, not by auto_now_add, because the moment is part of the hash.
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT, null=True,
        related_name="audit_events",
    )
    actor_username = models.CharField(_("username"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    target_type = models.CharField(_("target type"), max_length=40, db_index=True)
    target_id = models.CharField(_("target"), max_length=64, db_index=True, blank=True)
    case_reference = models.CharField(_("case"), max_length=32, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10)
    details = models.JSONField(_("details"), default=dict, blank=True)
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    previous_hash = models.CharField(_("previous hash"), max_length=64)
    hash = models.CharField(_("hash"), max_length=64)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.target_type}:{self.target_id}"
