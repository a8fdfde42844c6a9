from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class VersionedForm(forms.Form):
    """Carries the version of the case the user saw, so a stale save is refused, not applied."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args: Any, reason_label: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reason_label:
            self.fields["reason"].label = reason_label
