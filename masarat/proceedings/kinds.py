"""Proceedings and offenders, as kinds of case records (``masarat.cases.records``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from masarat.access import policy
from masarat.cases.records import RecordKind, register
from masarat.proceedings import forms, models

follow = policy.can_follow_proceedings
register(RecordKind("proceeding", models.Proceeding, forms.ProceedingForm, _("Record proceedings"), follow))
register(RecordKind("proceeding-step", models.ProceedingStep, forms.ProceedingStepForm,
                    _("Record a stage of the proceedings"), follow))
register(RecordKind("hearing", models.Hearing, forms.HearingForm, _("Record a hearing"), follow))
register(RecordKind("offender", models.SuspectedOffender, forms.SuspectedOffenderForm,
                    _("Record a suspected offender"), policy.can_see_offenders, on_timeline=False))
register(RecordKind("offender-status", models.OffenderStatusChange, forms.OffenderStatusForm,
                    _("Record the status of a suspected offender"), policy.can_see_offenders, on_timeline=False))
