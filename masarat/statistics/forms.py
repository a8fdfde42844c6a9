from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from masarat.cases.vocabulary import ExploitationForm
from masarat.organisations.models import AgencyKind
from masarat.organisations.regions import Region
from masarat.people.ages import AGE_BANDS
from masarat.people.vocabulary import Sex
from masarat.statistics.selectors import Filters

ANY: list[tuple[str, Any]] = [("", _("All"))]


class StatisticsFilterForm(forms.Form):
    start = forms.DateField(label=_("Referred from"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Referred until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    granularity = forms.ChoiceField(label=_("Per"), required=False, initial="quarter", choices=[
        ("month", _("Month")), ("quarter", _("Quarter")), ("year", _("Year"))])
    region = forms.ChoiceField(label=_("Region"), required=False, choices=ANY + list(Region.choices))
    agency_kind = forms.ChoiceField(label=_("Referring agency"), required=False,
                                    choices=ANY + list(AgencyKind.choices))
    sex = forms.ChoiceField(label=_("Sex"), required=False, choices=ANY + list(Sex.choices))
    age_band = forms.ChoiceField(label=_("Age band"), required=False,
                                 choices=ANY + [(label, label) for _low, _high, label in AGE_BANDS])
    nationality = forms.ChoiceField(label=_("First nationality"), required=False)
    exploitation = forms.ChoiceField(label=_("Form of exploitation"), required=False,
                                     choices=ANY + list(ExploitationForm.choices))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        nationality = self.fields["nationality"]
        assert isinstance(nationality, forms.ChoiceField)
        nationality.choices = ANY + list(countries)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("The end of the period comes before its start."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        text = {name: data.get(name) or "" for name in
                ("region", "agency_kind", "sex", "age_band", "nationality", "exploitation")}
        return Filters(start=data.get("start"), end=data.get("end"), **text)

    def granularity_value(self) -> str:
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("granularity") or "quarter"
