from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class SetupCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code shown by the app"),
        help_text=_("6 digits, without spaces."),
        max_length=10,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": "false", "autocapitalize": "off"}),
    )


class VerifyCodeForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        help_text=_("The 6-digit code your authenticator app shows now, or one of your recovery codes."),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}),
    )
