from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case
from masarat.consent.vocabulary import ConsentGiver, ConsentPurpose


class ConsentRecord(models.Model):
    """Consent to one purpose for one case. Withdrawn consent stays on record, with when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices, db_index=True)
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    giver_name = models.CharField(_("name of the guardian or of the decision"), max_length=200, blank=True)
    note = models.TextField(_("how the person was informed"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    withdrawal_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["case", "purpose", "withdrawn_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.purpose}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None


class ConsentOverride(models.Model):
    """Sharing without consent, by someone holding the dedicated permission, for a written reason."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consent_overrides")
    purpose = models.CharField(_("purpose"), max_length=24, choices=ConsentPurpose.choices)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("consent override")
        verbose_name_plural = _("consent overrides")
        permissions = [("override_consent", _("Can share a case without consent, for a reason"))]

    def __str__(self) -> str:
        return f"{self.case_id} {self.purpose} override"
