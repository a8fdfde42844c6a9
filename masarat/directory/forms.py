from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

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
