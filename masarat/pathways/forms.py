from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.accounts.models import User
from masarat.directory.vocabulary import ServiceKind
from masarat.pathways.ranking import Suggestion
from masarat.pathways.selectors import DEADLINE_LABELS
from masarat.pathways.vocabulary import Outcome, ReferralStatus

ANY = [("", _("All"))]
DEADLINES = ANY + list(DEADLINE_LABELS.items())


class ReferralVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SendForm(ReferralVersionForm):
    service = forms.TypedChoiceField(label=_("Provider"), widget=forms.RadioSelect, coerce=int)
    note = forms.CharField(label=_("Note for the record"), required=False, max_length=5000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("Required when you choose another provider than the first suggestion."))
    override_reason = forms.CharField(
        label=_("Share without consent: reason"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only with the dedicated permission, when no consent is in force. Shown to the auditors."),
    )

    def __init__(self, *args: Any, suggestions: list[Suggestion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["service"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (item.service.pk, f"{item.service.name} ({item.service.provider.name}): {'; '.join(item.reasons)}")
            for item in suggestions
        ]


class SkipForm(ReferralVersionForm):
    reason = forms.CharField(label=_("Why is this service not offered?"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(ReferralVersionForm):
    reason = forms.CharField(label=_("Why do you decline?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class DeliveryForm(ReferralVersionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was delivered"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))


class AddServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=ANY + [(s.value, s.label) for s in ReferralStatus if s not in (
                                   ReferralStatus.PROPOSED, ReferralStatus.SKIPPED)])
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=DEADLINES)


class ScopeFilterForm(forms.Form):
    deadline = forms.ChoiceField(label=_("Deadline"), required=False, choices=DEADLINES)
    awaiting = forms.BooleanField(label=_("Awaiting a move only"), required=False)


class CaseManagerField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} ({obj.agency})"


class TransferForm(forms.Form):
    to_user = CaseManagerField(label=_("Receiving case manager"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason for the transfer"), max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    override_reason = forms.CharField(
        label=_("Transfer without consent: reason"), required=False, max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only with the dedicated permission, when no consent is in force. Shown to the auditors."),
    )

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to_user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = User.objects.filter(pk__in=[user.pk for user in candidates]).select_related("agency")


class TransferResponseForm(forms.Form):
    accept = forms.TypedChoiceField(label=_("Your answer"), widget=forms.RadioSelect,
                                    coerce=lambda value: value == "accept",
                                    choices=[("accept", _("Accept: I become the case manager")),
                                             ("decline", _("Decline"))])
    reason = forms.CharField(label=_("Reason (required to decline)"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 2}))
