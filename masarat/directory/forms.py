from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.directory.models import Service
from masarat.directory.vocabulary import ServiceKind
from masarat.organisations.regions import Region
from masarat.people.vocabulary import Language

ANY = [("", _("All"))]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name of the service or provider"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Service"), required=False, choices=ANY + list(ServiceKind.choices))
    region = forms.ChoiceField(label=_("Region"), required=False, choices=ANY + list(Region.choices))
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=ANY + list(Language.choices))
    age = forms.IntegerField(label=_("Age of the person"), required=False, min_value=0, max_value=120)
    free = forms.BooleanField(label=_("With free places only"), required=False)


class CapacityForm(forms.Form):
    free = forms.IntegerField(label=_("Free places now"), min_value=0, max_value=100000)


class ServiceForm(forms.ModelForm):
    """What a provider keeps current about one of its services (the kind and region stay as registered)."""

    languages = forms.MultipleChoiceField(label=_("Languages"), choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Service
        fields = ["name", "city", "opening_hours", "contact_phone", "contact_email", "audience", "min_age",
                  "max_age", "nationality_rule", "capacity_total"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["languages"] = self.instance.language_codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The maximum age is below the minimum age."))
        return data
