from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from masarat.notifications.models import Kind


class PreferenceForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("Send me an e-mail for each notification"), required=False)
    email_kinds = forms.MultipleChoiceField(
        label=_("Which notifications by e-mail"), choices=Kind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every notification reaches your inbox in Masarat; e-mails say only the kind, the case "
                    "reference and a link, never a name."))
    digest_enabled = forms.BooleanField(label=_("Send me a daily digest by e-mail"), required=False,
                                        help_text=_("Each morning: your unread notifications and what is overdue "
                                                    "or due today in your work."))
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)

