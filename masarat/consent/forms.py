from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.consent.vocabulary import ConsentGiver, ConsentPurpose


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Purpose"), choices=ConsentPurpose.choices)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices, widget=forms.RadioSelect)
    giver_name = forms.CharField(label=_("Name of the guardian or reference of the decision"), required=False,
                                 max_length=200)
    note = forms.CharField(label=_("How the person was informed"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("How was the withdrawal expressed?"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))
