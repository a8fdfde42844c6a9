from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from masarat.documents.models import DocumentKind
from masarat.documents.validation import SNIFF_BYTES, UploadRefused, check_upload
from masarat.web.forms import VersionedForm


class DocumentForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"), widget=forms.ClearableFileInput(
        attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = format_lazy(
            _("PDF, PNG or JPEG, {limit} at most. It is stored encrypted."),
            limit=filesizeformat(settings.MASARAT_DOCUMENT_MAX_BYTES))

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        try:
            check_upload(name=upload.name or "", head=upload.read(SNIFF_BYTES), size=upload.size or 0)
        except UploadRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        upload.seek(0)
        return upload
