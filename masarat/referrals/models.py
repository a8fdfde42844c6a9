from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case
from masarat.people.vocabulary import Language
from masarat.referrals.vocabulary import Consent, Indicator
from masarat.vault.fields import EncryptedJSONField, EncryptedTextField


class ReferralDraft(models.Model):
    """A referral being written. Visible only to its author; it holds the form as typed."""

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_drafts")
    data = EncryptedJSONField(default=dict)  # the form holds names and circumstances: encrypted
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("referral draft")
        verbose_name_plural = _("referral drafts")

    def __str__(self) -> str:
        return f"draft {self.pk} by {self.author_id}"

    @property
    def label(self) -> str:
        names = [self.data.get(key, [""])[0] for key in
                 ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic")]
        return " ".join(name for name in names if name).strip()


class Referral(models.Model):
    """What the frontline responder reported when referring the person."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="referral")
    circumstances = EncryptedTextField(_("circumstances"), blank=True)
    consent = models.CharField(_("consent"), max_length=20, choices=Consent.choices, db_index=True)
    consent_informed_by = models.CharField(_("informed by"), max_length=150, blank=True)
    consent_language = models.CharField(_("language of the information"), max_length=8,
                                        choices=Language.choices, blank=True)
    urgent_medical = models.BooleanField(_("urgent medical care"), default=False)
    urgent_shelter = models.BooleanField(_("urgent shelter"), default=False)
    urgent_safety = models.BooleanField(_("in danger"), default=False)
    urgent_interpreter = models.BooleanField(_("needs an interpreter"), default=False)
    submission_key = models.CharField(
        max_length=64, unique=True, null=True, blank=True,
        help_text=_("Chosen by the form or the API client, so that a repeated submission records one referral."),
    )

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"referral of {self.case.reference}"

    @property
    def urgent_needs(self) -> list[str]:
        from masarat.referrals.vocabulary import UrgentNeed

        flags = {
            UrgentNeed.MEDICAL: self.urgent_medical, UrgentNeed.SHELTER: self.urgent_shelter,
            UrgentNeed.SAFETY: self.urgent_safety, UrgentNeed.INTERPRETER: self.urgent_interpreter,
        }
        return [str(need.label) for need, flagged in flags.items() if flagged]


class ReferralIndicator(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="indicators")
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["referral", "indicator"], name="unique_referral_indicator")]

    def __str__(self) -> str:
        return self.get_indicator_display()
