"""The case management records, as kinds of case records (``masarat.cases.records``)."""

from __future__ import annotations

from typing import Any

from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from masarat.access import policy
from masarat.care import forms, models
from masarat.cases.models import Case
from masarat.cases.records import RecordKind, register


def _current_plan(case: Case) -> dict[str, Any]:
    """A new version of the plan starts from the current one."""
    current = models.AssistancePlan.objects.filter(case=case).order_by("-recorded_at", "-id").first()
    return model_to_dict(current, fields=forms.AssistancePlanForm.Meta.fields) if current else {}


manage = policy.can_manage_case
register(RecordKind("plan", models.AssistancePlan, forms.AssistancePlanForm, _("Update the assistance plan"),
                    manage, initial=_current_plan))
register(RecordKind("plan-action", models.PlanAction, forms.PlanActionForm, _("Add an action to the plan"),
                    manage))
register(RecordKind("plan-action-done", models.PlanActionDone, forms.PlanActionDoneForm,
                    _("Record an action as done"), manage))
register(RecordKind("age-assessment", models.AgeAssessment, forms.AgeAssessmentForm,
                    _("Record an age assessment"), manage))
register(RecordKind("guardian", models.GuardianAppointment, forms.GuardianAppointmentForm,
                    _("Record a guardian appointment"), manage))
register(RecordKind("best-interests", models.BestInterestsAssessment, forms.BestInterestsAssessmentForm,
                    _("Record a best-interests assessment"), manage))
register(RecordKind("family-tracing", models.FamilyTracing, forms.FamilyTracingForm,
                    _("Record family tracing"), manage))
register(RecordKind("residence", models.ResidenceRecord, forms.ResidenceRecordForm,
                    _("Record the residence status"), manage))
register(RecordKind("return", models.VoluntaryReturn, forms.VoluntaryReturnForm,
                    _("Record a voluntary return"), manage))
register(RecordKind("reintegration", models.ReintegrationFollowUp, forms.ReintegrationFollowUpForm,
                    _("Record a reintegration follow-up"), manage))
