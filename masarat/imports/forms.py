from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from masarat.accounts.models import User
from masarat.imports.fields import field_choices
from masarat.imports.models import ImportMapping
from masarat.web.forms import VersionedForm

ENCODING_CHOICES = [
    ("", _("Detect it")),
    ("utf-8", _("UTF-8 (with or without BOM)")),
    ("windows-1256", _("Windows-1256 (Arabic)")),
    ("latin-1", _("Latin-1 (Western European)")),
]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Case list"), widget=forms.ClearableFileInput(
        attrs={"accept": ".csv,.xlsx,.txt,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}))
    encoding = forms.ChoiceField(label=_("Encoding of a CSV file"), choices=ENCODING_CHOICES, required=False,
                                 help_text=_("Leave “Detect it” unless the letters look wrong in the preview."))
    mapping = forms.ModelChoiceField(label=_("Saved mapping"), queryset=ImportMapping.objects.none(), required=False,
                                     empty_label=_("None: suggest one from the column names"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = format_lazy(
            _("CSV or XLSX (first sheet), the first line naming the columns; {limit} at most. "
              "It is stored encrypted and deleted when the import ends."),
            limit=filesizeformat(settings.MASARAT_IMPORT_MAX_BYTES))
        self.fields["mapping"].queryset = ImportMapping.objects.filter(agency=user.agency)  # type: ignore[attr-defined]


class MappingForm(VersionedForm):
    save_as = forms.CharField(label=_("Save this mapping as"), max_length=100, required=False,
                              help_text=_("Optional: a name to reuse this mapping for the next files of the same "
                                          "kind (a saved mapping of the same name is replaced)."))

    def __init__(self, *args: Any, header: list[str], initial_mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.header = header
        for position, column in enumerate(header):
            self.fields[f"column_{position}"] = forms.ChoiceField(
                label=column, choices=field_choices(), required=False, initial=initial_mapping.get(column, ""))

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{position}"] for position in range(len(self.header))]

    def mapping(self) -> dict[str, str]:
        return {column: self.cleaned_data.get(f"column_{position}") or ""
                for position, column in enumerate(self.header)}


class CommitForm(VersionedForm):
    skip_rejected = forms.BooleanField(label=_("Leave out the rejected rows (they are listed in the report)"),
                                       required=False)
