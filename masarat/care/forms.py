from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.care import models
from masarat.cases.records import RecordForm


class AssistancePlanForm(RecordForm):
    class Meta:
        model = models.AssistancePlan
        fields = [*models.AssistancePlan.NEED_FIELDS, "goals", "wishes", "review_on"]


class PlanActionForm(RecordForm):
    class Meta:
        model = models.PlanAction
        fields = ["description", "responsible", "due_on"]


class PlanActionDoneForm(RecordForm):
    class Meta:
        model = models.PlanActionDone
        fields = ["action", "done_on", "outcome"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["action"]
        field.queryset = field.queryset.filter(done__isnull=True)  # type: ignore[attr-defined]
        field.label_from_instance = lambda action: f"{action.description[:60]} ({action.due_on})"  # type: ignore[attr-defined]


class AgeAssessmentForm(RecordForm):
    class Meta:
        model = models.AgeAssessment
        fields = ["method", "assessed_on", "assessed_by", "youngest_age", "oldest_age", "disputed", "notes"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        youngest, oldest = data.get("youngest_age"), data.get("oldest_age")
        if youngest is not None and oldest is not None and youngest > oldest:
            self.add_error("oldest_age", _("The oldest possible age cannot be below the youngest."))
        return data


class GuardianAppointmentForm(RecordForm):
    class Meta:
        model = models.GuardianAppointment
        fields = ["guardian_name", "appointed_by", "appointed_on", "ended_on"]
        widgets = {"guardian_name": forms.TextInput}

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("appointed_on"), data.get("ended_on")
        if start and end and end < start:
            self.add_error("ended_on", _("The appointment cannot end before it began."))
        return data


class BestInterestsAssessmentForm(RecordForm):
    class Meta:
        model = models.BestInterestsAssessment
        fields = ["assessed_on", "assessment", "decision", "decided_on"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if bool(data.get("decision")) != bool(data.get("decided_on")):
            self.add_error("decided_on", _("Give both the decision and its date, or neither."))
        return data


class FamilyTracingForm(RecordForm):
    class Meta:
        model = models.FamilyTracing
        fields = ["started_on", "status", "carried_out_by", "notes"]


class ResidenceRecordForm(RecordForm):
    class Meta:
        model = models.ResidenceRecord
        fields = ["status", "valid_until"]


class VoluntaryReturnForm(RecordForm):
    class Meta:
        model = models.VoluntaryReturn
        fields = ["country", "status", "risk_level", "risk_assessment", "partner_organisation",
                  "consular_contact_needed", "consular_consent_on", "consular_consent_recorded_by", "returned_on"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("consular_contact_needed") and not data.get("consular_consent_on"):
            self.add_error("consular_consent_on", _(
                "The consulate may be contacted only with the person's consent: record when it was given."))
        if data.get("consular_consent_on") and not data.get("consular_consent_recorded_by"):
            self.add_error("consular_consent_recorded_by", _("Say who recorded the consent."))
        if data.get("status") == models.ReturnStatus.RETURNED and not data.get("returned_on"):
            self.add_error("returned_on", _("Give the date of the return."))
        if data.get("status") in (models.ReturnStatus.APPROVED, models.ReturnStatus.RETURNED) \
                and data.get("risk_level") == models.RiskLevel.HIGH:
            self.add_error("risk_level", _("A return assessed at high risk cannot be approved."))
        return data


class ReintegrationFollowUpForm(RecordForm):
    class Meta:
        model = models.ReintegrationFollowUp
        fields = ["voluntary_return", "on", "partner_organisation", "notes"]
