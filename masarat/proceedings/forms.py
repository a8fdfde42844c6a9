from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.cases.records import RecordForm
from masarat.proceedings import models


class ProceedingForm(RecordForm):
    class Meta:
        model = models.Proceeding
        fields = ["kind", "authority", "file_number", "person_role", "protection_measures", "non_punishment",
                  "opened_on"]


class ProceedingStepForm(RecordForm):
    class Meta:
        model = models.ProceedingStep
        fields = ["proceeding", "stage", "on", "note", "compensation_awarded"]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("compensation_awarded") is not None and data.get("stage") not in (
                models.Stage.JUDGEMENT, models.Stage.COMPENSATION):
            self.add_error("compensation_awarded", _("Compensation is awarded by a judgement."))
        return data


class HearingForm(RecordForm):
    class Meta:
        model = models.Hearing
        fields = ["proceeding", "on", "purpose", "held"]


class SuspectedOffenderForm(RecordForm):
    class Meta:
        model = models.SuspectedOffender
        fields = ["designation", "sex", "nationality"]
        widgets = {"designation": forms.TextInput}


class OffenderStatusForm(RecordForm):
    class Meta:
        model = models.OffenderStatusChange
        fields = ["offender", "status", "on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["offender"].label_from_instance = lambda offender: offender.designation  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        offender, status = data.get("offender"), data.get("status")
        if offender and status and offender.statuses.filter(status=status).exists():
            self.add_error("status", _("This status is already recorded for this person."))
        return data
