from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case
from masarat.cases.vocabulary import ExploitationForm
from masarat.consent.models import ConsentOverride
from masarat.directory.models import Service
from masarat.directory.vocabulary import ServiceKind
from masarat.pathways.vocabulary import NationalityScope, Outcome, ReferralStatus, TransferStatus


class PathwayTemplate(models.Model):
    """The services to offer to one profile of presumed victim, and by when. Data, not code."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    for_child = models.BooleanField(_("for children"), db_index=True)
    nationality = models.CharField(_("nationality"), max_length=10, choices=NationalityScope.choices,
                                   default=NationalityScope.ANY)
    exploitation_form = models.CharField(_("form of exploitation"), max_length=24, choices=ExploitationForm.choices,
                                         blank=True, help_text=_("Empty for every form."))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["for_child", "name"]
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")

    def __str__(self) -> str:
        return self.name


class PathwayStep(models.Model):
    template = models.ForeignKey(PathwayTemplate, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    kind = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices)
    due_working_days = models.PositiveSmallIntegerField(
        _("offer within (working days)"), default=5,
        help_text=_("From the positive preliminary decision; 0 for the same day."),
    )

    class Meta:
        ordering = ["template", "order", "id"]
        verbose_name = _("pathway step")
        verbose_name_plural = _("pathway steps")
        constraints = [models.UniqueConstraint(fields=["template", "kind"], name="unique_pathway_step_kind")]

    def __str__(self) -> str:
        return f"{self.template.code}: {self.kind}"


class ServiceReferral(models.Model):
    """A service referral: the provider gets the minimum its service needs; the case keeps its owner."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="service_referrals")
    kind = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices)
    template = models.ForeignKey(PathwayTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices, db_index=True)
    service = models.ForeignKey(Service, verbose_name=_("provider"), on_delete=models.PROTECT, null=True, blank=True,
                                related_name="referrals")
    # The step's deadline while proposed; the provider's answer is due at response_due_at once sent.
    due_on = models.DateField(_("offer by"), null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("note"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    response_due_at = models.DateTimeField(_("answer due"), null=True, blank=True, db_index=True)
    consent_override = models.ForeignKey(ConsentOverride, on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    skip_reason = models.TextField(_("reason for skipping"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, db_index=True)
    escalated_to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    next_suggestion = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    followed_up_by = models.OneToOneField("self", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="follows_up")
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    delivery_note = models.TextField(_("what was delivered"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("service referral")
        verbose_name_plural = _("service referrals")
        indexes = [models.Index(fields=["status", "response_due_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.status}"

    @property
    def awaits_follow_up(self) -> bool:
        """Declined or unanswered, and no other provider asked yet: the coordinator's move."""
        return self.status in (ReferralStatus.DECLINED, ReferralStatus.EXPIRED) and self.followed_up_by_id is None

    @property
    def deadline(self) -> date | None:
        """The date the next move is due (the provider's answer, or the offer)."""
        if self.status == ReferralStatus.SENT and self.response_due_at:
            return timezone.localtime(self.response_due_at).date()
        if self.status == ReferralStatus.PROPOSED or self.awaits_follow_up:
            return self.due_on
        return None


class CaseTransfer(models.Model):
    """Transfer of case management: the receiving case manager becomes the owner when they accept."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    to_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("receiving case manager"),
                                on_delete=models.PROTECT, related_name="transfers_received")
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=TransferStatus.choices,
                              default=TransferStatus.PENDING, db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    response_reason = models.TextField(_("reason for declining"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("transfer of case management")
        verbose_name_plural = _("transfers of case management")

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_user_id}"
