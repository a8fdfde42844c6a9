from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from masarat.cases.vocabulary import ExploitationForm
from masarat.organisations.regions import Region
from masarat.people.vocabulary import BirthDatePrecision, DocumentKind, Language, Sex
from masarat.referrals.validation import DocumentInput, ReferralErrors, ReferralInput, validate_referral
from masarat.referrals.vocabulary import Consent, Indicator, UrgentNeed


def _country_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in countries]


def _blank(choices: Any) -> list[tuple[str, str]]:
    return [("", _("— choose —")), *choices]


ARABIC_INPUT = {"dir": "rtl", "lang": "ar", "autocomplete": "off"}


class ReferralForm(forms.Form):
    """The frontline referral form. Field rules live in ``validate_referral``, shared with the API."""

    # About the person
    given_name_latin = forms.CharField(label=_("Given name (Latin script)"), required=False, max_length=120,
                                       widget=forms.TextInput(attrs={"autocomplete": "off"}))
    family_name_latin = forms.CharField(label=_("Family name (Latin script)"), required=False, max_length=120,
                                        widget=forms.TextInput(attrs={"autocomplete": "off"}))
    given_name_arabic = forms.CharField(label=_("Given name (Arabic script)"), required=False, max_length=120,
                                        widget=forms.TextInput(attrs=ARABIC_INPUT))
    family_name_arabic = forms.CharField(label=_("Family name (Arabic script)"), required=False, max_length=120,
                                         widget=forms.TextInput(attrs=ARABIC_INPUT))
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect, required=False)
    birth_precision = forms.ChoiceField(
        label=_("What is known of the age?"), choices=BirthDatePrecision.choices, widget=forms.RadioSelect,
        required=False, initial=BirthDatePrecision.FULL,
        help_text=_("Whether the person is a child is worked out from this; when in doubt, give the youngest "
                    "likely age."),
    )
    birth_date = forms.DateField(label=_("Date of birth"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1900, max_value=2100)
    birth_month = forms.IntegerField(label=_("Month of birth"), required=False, min_value=1, max_value=12)
    estimated_age = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=120)
    main_nationality = forms.ChoiceField(label=_("Nationality"), required=False,
                                         choices=lambda: _blank(_country_choices()))
    nationalities = forms.MultipleChoiceField(
        label=_("Other nationalities"), required=False, choices=_country_choices,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Only if the person has more than one. Hold Ctrl (or Cmd) to choose several."),
    )
    languages = forms.MultipleChoiceField(label=_("Languages spoken"), required=False, choices=Language.choices,
                                          widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
                            help_text=_("Only if it is safe to call this number."))
    document_kind = forms.ChoiceField(label=_("Identity document"), required=False,
                                      choices=_blank(DocumentKind.choices))
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=60)
    document_country = forms.ChoiceField(label=_("Issuing country"), required=False,
                                         choices=lambda: _blank(_country_choices()))
    document_withheld = forms.BooleanField(label=_("The document is held by someone else"), required=False)

    # Circumstances
    region = forms.ChoiceField(label=_("Region where the person was met"), choices=_blank(Region.choices),
                               required=False)
    encountered_on = forms.DateField(label=_("Date of first contact"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    circumstances = forms.CharField(
        label=_("Circumstances"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What you saw and what the person said, in their words where possible."),
    )
    exploitation_forms = forms.MultipleChoiceField(label=_("Suspected forms of exploitation"), required=False,
                                                   choices=ExploitationForm.choices,
                                                   widget=forms.CheckboxSelectMultiple)
    recruitment_countries = forms.MultipleChoiceField(label=_("Countries of recruitment"), required=False,
                                                      choices=_country_choices,
                                                      widget=forms.SelectMultiple(attrs={"size": 5}))
    exploitation_countries = forms.MultipleChoiceField(label=_("Countries of exploitation"), required=False,
                                                       choices=_country_choices,
                                                       widget=forms.SelectMultiple(attrs={"size": 5}))
    exploitation_regions = forms.MultipleChoiceField(label=_("Regions of exploitation in Morocco"), required=False,
                                                     choices=Region.choices, widget=forms.CheckboxSelectMultiple)
    indicators = forms.MultipleChoiceField(label=_("Indicators observed"), required=False,
                                           choices=Indicator.choices, widget=forms.CheckboxSelectMultiple)

    # Consent
    consent = forms.ChoiceField(
        label=_("Consent to the referral"), choices=Consent.choices, widget=forms.RadioSelect, required=False,
        help_text=_("An adult must first be told what the referral mechanism is. If they refuse, only an "
                    "anonymous notification is kept: their name and contact details are not stored."),
    )
    consent_informed_by = forms.CharField(label=_("Who informed the person"), required=False, max_length=150)
    consent_language = forms.ChoiceField(label=_("Language used to inform the person"), required=False,
                                         choices=_blank(Language.choices))
    urgent_needs = forms.MultipleChoiceField(label=_("Urgent needs"), required=False, choices=UrgentNeed.choices,
                                             widget=forms.CheckboxSelectMultiple)

    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64,
                                     initial=lambda: uuid.uuid4().hex)
    screening = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    FIELD_FOR_ERROR = {"documents": "document_number"}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.referral_input = validate_referral(self._to_input(cleaned))
        except ReferralErrors as exc:
            for name, messages in exc.errors.items():
                target = None if name == "__all__" else self.FIELD_FOR_ERROR.get(name, name)
                for message in messages:
                    self.add_error(target, message)
        return cleaned

    @staticmethod
    def _to_input(cleaned: dict[str, Any]) -> ReferralInput:
        documents = []
        if cleaned.get("document_kind") or cleaned.get("document_number"):
            documents.append(DocumentInput(
                kind=cleaned.get("document_kind") or "", number=cleaned.get("document_number") or "",
                issuing_country=cleaned.get("document_country") or "",
                is_held_by_person=not cleaned.get("document_withheld"),
            ))
        optional = ("birth_date", "birth_year", "birth_month", "estimated_age", "encountered_on")
        text = ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic", "sex",
                "birth_precision", "phone", "region", "circumstances", "consent", "consent_informed_by",
                "consent_language")
        lists = ("nationalities", "languages", "exploitation_forms", "recruitment_countries",
                 "exploitation_countries", "exploitation_regions", "indicators", "urgent_needs")
        values: dict[str, Any] = {name: cleaned.get(name) for name in optional}
        values.update({name: cleaned.get(name) or "" for name in text})
        values.update({name: list(cleaned.get(name) or []) for name in lists})
        # The main nationality comes first: statistics count it (the order of a multiple choice is not the user's).
        main = cleaned.get("main_nationality")
        values["nationalities"] = list(dict.fromkeys([main, *values["nationalities"]] if main
                                                     else values["nationalities"]))
        return ReferralInput(documents=documents, **values)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in the order of the guided form, grouped under headings."""
        groups = [
            (_("The person"), ["given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic",
                               "sex", "birth_precision", "birth_date", "birth_year", "birth_month",
                               "estimated_age", "main_nationality", "nationalities", "languages", "phone",
                               "document_kind", "document_number", "document_country", "document_withheld"]),
            (_("What happened"), ["region", "encountered_on", "circumstances", "exploitation_forms",
                                  "recruitment_countries", "exploitation_countries", "exploitation_regions",
                                  "indicators"]),
            (_("Consent"), ["consent", "consent_informed_by", "consent_language"]),
            (_("Urgent needs"), ["urgent_needs"]),
        ]
        return [(str(title), [self[name] for name in names]) for title, names in groups]
