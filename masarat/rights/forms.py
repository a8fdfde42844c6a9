from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ErasureForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                             help_text=_("For example: the person's written request of 3 March, registered under…"))
    confirm_reference = forms.CharField(
        label=_("Type the case reference to confirm"), max_length=32,
        help_text=_("Erasure cannot be undone: names, dates of birth, phone, documents and free text are gone."),
    )

    def __init__(self, *args: object, reference: str, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.reference = reference

    def clean_confirm_reference(self) -> str:
        typed = str(self.cleaned_data["confirm_reference"]).strip()
        if typed != self.reference:
            raise forms.ValidationError(_("This is not the reference of this case."))
        return typed
