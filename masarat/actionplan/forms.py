from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from masarat.actionplan.models import Indicator, MeasureStatus
from masarat.actionplan.selectors import ReportPeriod, parse_period, period_choices
from masarat.web.forms import VersionedForm


class PeriodForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False)

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        period = self.fields["period"]
        assert isinstance(period, forms.ChoiceField)
        period.choices = [(choice.code, choice.label) for choice in period_choices(today=today)]

    def chosen(self) -> ReportPeriod:
        """The period asked for; the current year when none (or a wrong one) is given."""
        code = self.cleaned_data.get("period", "") if self.is_valid() else ""
        chosen = parse_period(code) if code else None
        fallback = parse_period(str(self.today.year))
        assert fallback is not None
        return chosen or fallback


class ProgressForm(VersionedForm):
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    status = forms.ChoiceField(label=_("Status of the measure"), choices=MeasureStatus.choices)
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000,
                           help_text=_("What was done since the last update, and what comes next."))

    def __init__(self, *args: Any, manual_indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.manual_indicators = manual_indicators
        for indicator in manual_indicators:
            self.fields[f"indicator_{indicator.pk}"] = forms.DecimalField(
                label=indicator.title, required=False, max_digits=12, decimal_places=2, min_value=0,
                help_text=_("Value on the date above (%(unit)s); leave empty if unchanged.") % {
                    "unit": indicator.get_unit_display()})

    def clean_on(self) -> date:
        on: date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return on

    def readings(self) -> list[tuple[Indicator, Any]]:
        return [(indicator, self.cleaned_data[f"indicator_{indicator.pk}"]) for indicator in self.manual_indicators
                if self.cleaned_data.get(f"indicator_{indicator.pk}") is not None]
