"""Case management: the individual assistance plan, child protection, residence and return.

Every free text that can describe the person is encrypted (``masarat.vault``); dates and closed
vocabularies stay plain so that deadlines and counts work in the database.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from masarat.cases.records import CaseRecord
from masarat.vault.fields import EncryptedTextField


class AssistancePlan(CaseRecord):
    """One version of the individual assistance plan; the latest is the current one."""

    safety_needs = EncryptedTextField(_("safety"), blank=True)
    health_needs = EncryptedTextField(_("health"), blank=True)
    psychosocial_needs = EncryptedTextField(_("psychosocial"), blank=True)
    legal_needs = EncryptedTextField(_("legal"), blank=True)
    housing_needs = EncryptedTextField(_("housing"), blank=True)
    livelihood_needs = EncryptedTextField(_("livelihood"), blank=True)
    family_needs = EncryptedTextField(_("family"), blank=True)
    goals = EncryptedTextField(_("goals"))
    wishes = EncryptedTextField(
        _("the person's wishes, in their own words"), blank=True,
        help_text=_("Write what the person said, as they said it."),
    )
    review_on = models.DateField(_("next review"))

    NEED_FIELDS = ("safety_needs", "health_needs", "psychosocial_needs", "legal_needs", "housing_needs",
                   "livelihood_needs", "family_needs")

    class Meta(CaseRecord.Meta):
        verbose_name = _("assistance plan")
        verbose_name_plural = _("assistance plans")

    def __str__(self) -> str:
        return f"{self.case_id} plan {self.pk}"


class PlanAction(CaseRecord):
    description = EncryptedTextField(_("action"))
    responsible = models.CharField(_("who is responsible"), max_length=200,
                                   help_text=_("A service, an agency or a role."))
    due_on = models.DateField(_("due on"))

    class Meta(CaseRecord.Meta):
        verbose_name = _("action of the plan")
        verbose_name_plural = _("actions of the plan")

    def __str__(self) -> str:
        return f"{self.responsible} ({self.due_on})"


class PlanActionDone(CaseRecord):
    action = models.OneToOneField(PlanAction, verbose_name=_("action"), on_delete=models.CASCADE,
                                  related_name="done")
    done_on = models.DateField(_("done on"))
    outcome = EncryptedTextField(_("outcome"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("action done")
        verbose_name_plural = _("actions done")

    def __str__(self) -> str:
        return f"{self.action_id} done {self.done_on}"


class AgeMethod(models.TextChoices):
    DOCUMENTS = "documents", _("Identity or civil status documents")
    INTERVIEW = "interview", _("Interview by a qualified professional")
    MEDICAL = "medical", _("Medical examination")
    MULTIDISCIPLINARY = "multidisciplinary", _("Multidisciplinary assessment")


class AgeAssessment(CaseRecord):
    """An age assessment. While the age is disputed, the person is presumed a child."""

    method = models.CharField(_("method"), max_length=20, choices=AgeMethod.choices)
    assessed_on = models.DateField(_("date of the assessment"))
    assessed_by = models.CharField(_("assessed by"), max_length=200, help_text=_("Authority or professional."))
    youngest_age = models.PositiveSmallIntegerField(_("youngest possible age"))
    oldest_age = models.PositiveSmallIntegerField(_("oldest possible age"))
    disputed = models.BooleanField(_("the result is disputed"), default=False,
                                   help_text=_("By the person, their guardian or a lawyer."))
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("age assessment")
        verbose_name_plural = _("age assessments")

    def __str__(self) -> str:
        return f"{self.youngest_age}-{self.oldest_age}"


class GuardianAppointment(CaseRecord):
    guardian_name = EncryptedTextField(_("guardian"))
    appointed_by = models.CharField(_("appointed by"), max_length=200, help_text=_("The court or authority."))
    appointed_on = models.DateField(_("appointed on"))
    ended_on = models.DateField(_("appointment ended on"), null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("guardian appointment")
        verbose_name_plural = _("guardian appointments")

    def __str__(self) -> str:
        return f"guardian {self.appointed_on}"


class BestInterestsAssessment(CaseRecord):
    assessed_on = models.DateField(_("date of the assessment"))
    assessment = EncryptedTextField(_("assessment"))
    decision = EncryptedTextField(_("decision"), blank=True)
    decided_on = models.DateField(_("date of the decision"), null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("best-interests assessment")
        verbose_name_plural = _("best-interests assessments")

    def __str__(self) -> str:
        return f"best interests {self.assessed_on}"


class TracingStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    FOUND = "found", _("Family found")
    NOT_FOUND = "not_found", _("Family not found")
    NOT_SAFE = "not_safe", _("Family found, contact not safe")


class FamilyTracing(CaseRecord):
    started_on = models.DateField(_("started on"))
    status = models.CharField(_("status"), max_length=12, choices=TracingStatus.choices)
    carried_out_by = models.CharField(_("carried out by"), max_length=200)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("family tracing")
        verbose_name_plural = _("family tracing")

    def __str__(self) -> str:
        return f"tracing {self.status}"


class ResidenceStatus(models.TextChoices):
    NONE = "none", _("No residence permit")
    PENDING = "pending", _("Application pending")
    TEMPORARY = "temporary", _("Temporary residence permit")
    RESIDENT = "resident", _("Residence permit")
    ASYLUM = "asylum", _("Asylum seeker or refugee")


class ResidenceRecord(CaseRecord):
    status = models.CharField(_("residence status"), max_length=12, choices=ResidenceStatus.choices)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("residence status")
        verbose_name_plural = _("residence statuses")

    def __str__(self) -> str:
        return self.status


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High: return not advised")


class ReturnStatus(models.TextChoices):
    ASSESSING = "assessing", _("Being assessed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")
    CANCELLED = "cancelled", _("Cancelled")


class VoluntaryReturn(CaseRecord):
    """A voluntary return, with its risk assessment. Consular contact only with the person's consent."""

    country = CountryField(_("country of return"))
    status = models.CharField(_("status"), max_length=10, choices=ReturnStatus.choices)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices)
    risk_assessment = EncryptedTextField(_("risk assessment"))
    partner_organisation = models.CharField(
        _("partner organisation in the country of origin"), max_length=200, blank=True,
        help_text=_("It follows the reintegration after the return."),
    )
    consular_contact_needed = models.BooleanField(_("consular contact needed"), default=False)
    consular_consent_on = models.DateField(
        _("consent to consular contact recorded on"), null=True, blank=True,
        help_text=_("The consulate may be contacted only after the person consented."),
    )
    consular_consent_recorded_by = models.CharField(_("consent recorded by"), max_length=200, blank=True)
    returned_on = models.DateField(_("returned on"), null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("voluntary return")
        verbose_name_plural = _("voluntary returns")

    def __str__(self) -> str:
        return f"{self.country} ({self.get_status_display()})"

    @property
    def consular_contact_allowed(self) -> bool:
        return self.consular_consent_on is not None


class ReintegrationFollowUp(CaseRecord):
    voluntary_return = models.ForeignKey(VoluntaryReturn, verbose_name=_("return"), on_delete=models.CASCADE,
                                         related_name="follow_ups")
    on = models.DateField(_("date"))
    partner_organisation = models.CharField(_("partner organisation"), max_length=200)
    notes = EncryptedTextField(_("situation of the person"))

    class Meta(CaseRecord.Meta):
        verbose_name = _("reintegration follow-up")
        verbose_name_plural = _("reintegration follow-ups")

    def __str__(self) -> str:
        return f"follow-up {self.on}"
