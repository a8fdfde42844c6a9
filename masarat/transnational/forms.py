from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.transnational.models import Partner
from masarat.transnational.selectors import destination_partners

MAX_UPLOAD_BYTES = 4 * 1024 * 1024


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.country.name} · {obj.fingerprint_display[:19]}…"


class PackageForm(forms.Form):
    partner = PartnerChoiceField(label=_("Partner abroad"), queryset=Partner.objects.none(),
                                     empty_label=None, widget=forms.RadioSelect)
    override_reason = forms.CharField(
        label=_("Reason for sending without consent"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if consent cannot be obtained; recorded and shown to the auditors."))

    def __init__(self, *args: Any, may_override: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partner = self.fields["partner"]
        assert isinstance(partner, PartnerChoiceField)
        partner.queryset = destination_partners()
        if not may_override:
            del self.fields["override_reason"]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"))

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is too large (4 MB at most)."))
        data: bytes = upload.read()
        return data
