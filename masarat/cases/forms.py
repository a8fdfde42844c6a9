from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.accounts.models import User
from masarat.cases.lifecycle import Status
from masarat.cases.vocabulary import DecisionOutcome, ExploitationForm
from masarat.organisations.regions import Region
from masarat.web.forms import ReasonForm, VersionedForm

ANY = [("", _("All"))]


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("Reference or name"), required=False, max_length=100,
                        help_text=_("Whole words of the name, in either script; or a phone or document number."))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + list(Status.choices))
    region = forms.ChoiceField(label=_("Region"), required=False, choices=ANY + list(Region.choices))
    exploitation = forms.ChoiceField(label=_("Form of exploitation"), required=False,
                                     choices=ANY + list(ExploitationForm.choices))
    child = forms.ChoiceField(label=_("Age"), required=False,
                              choices=[*ANY, ("yes", _("Children")), ("no", _("Adults"))])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


class EmergencyAccessForm(forms.Form):
    reference = forms.CharField(label=_("Case reference"), max_length=32)
    reason = forms.CharField(
        label=_("Why do you need this case now?"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
        help_text=_("Your reason, your name and the time are shown to the auditors. Misuse is a disciplinary "
                    "matter."),
    )


class DecisionForm(VersionedForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=DecisionOutcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000,
        help_text=_("The facts and indicators the decision rests on. The person may ask to see them."),
    )


class ReviewForm(VersionedForm):
    confirm = forms.TypedChoiceField(
        label=_("Your review"), widget=forms.RadioSelect, coerce=lambda value: value == "confirm",
        choices=[("confirm", _("Confirm the negative decision")),
                 ("overturn", _("Overturn it: the decision becomes positive"))],
    )
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000)


class AssignForm(VersionedForm):
    """Choose who is assigned, among the people the service allows for this case."""

    assignee = forms.ModelChoiceField(label=_("Case manager"), queryset=User.objects.none(), required=False,
                                      empty_label=_("Nobody"))

    def __init__(self, *args: Any, candidates: list[User], label: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.label = label
        # In the candidates' order, with their agencies read at once (the label shows each one's agency).
        field.queryset = (User.objects.filter(pk__in=[user.pk for user in candidates])  # type: ignore[attr-defined]
                          .select_related("agency").order_by("last_name", "first_name"))
        field.label_from_instance = lambda user: f"{user.get_full_name()} ({user.agency})"  # type: ignore[attr-defined]


class CloseForm(ReasonForm):
    follow_up_plan = forms.CharField(
        label=_("Follow-up plan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
        help_text=_("Who checks on the person after closure, how and when."),
    )
    follow_up_on = forms.DateField(label=_("First follow-up due on"), required=False,
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
