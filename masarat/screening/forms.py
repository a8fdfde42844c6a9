from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.people.vocabulary import Language
from masarat.screening.definition import Element
from masarat.screening.models import Answer, IndicatorSet


class StartForm(forms.Form):
    indicator_set = forms.ModelChoiceField(label=_("Which situation?"), queryset=IndicatorSet.objects.none(),
                                           widget=forms.RadioSelect, empty_label=None)
    interview_language = forms.ChoiceField(
        label=_("Language of the interview"), required=False, choices=[("", _("— choose —")), *Language.choices],
        help_text=_("If it is French, Arabic or English, each question is also shown in that language, to read "
                    "it out as written."),
    )
    draft = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args: Any, sets: list[IndicatorSet], language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["indicator_set"]
        field.queryset = IndicatorSet.objects.filter(pk__in=[item.pk for item in sets])  # type: ignore[attr-defined]
        field.label_from_instance = lambda item: item.title(language)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Question:
    answer: forms.BoundField
    observation: forms.BoundField
    guidance: str
    read_aloud: str


class ElementForm(forms.Form):
    """The questions of one element: an answer and an optional observation for each indicator."""

    def __init__(self, *args: Any, element: Element, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.element = element
        for indicator in element.indicators:
            self.fields[indicator.code] = forms.ChoiceField(
                label=indicator.question.get(language), choices=Answer.choices, widget=forms.RadioSelect,
                required=False, help_text=indicator.observation.get(language),
            )
            self.fields[f"{indicator.code}__observation"] = forms.CharField(
                label=_("What you observed or what the person said"), required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def questions(self, language: str, interview_language: str) -> list[Question]:
        """Each indicator's fields, with its guidance, and the question as written in the interview's
        language when it differs from the interviewer's."""
        return [
            Question(
                answer=self[indicator.code], observation=self[f"{indicator.code}__observation"],
                guidance=indicator.guidance.get(language),
                read_aloud=indicator.question.get(interview_language)
                if interview_language and interview_language != language else "",
            )
            for indicator in self.element.indicators
        ]

    def answers(self) -> dict[str, str]:
        return {indicator.code: self.cleaned_data[indicator.code] for indicator in self.element.indicators
                if self.cleaned_data.get(indicator.code)}

    def observations(self) -> dict[str, str]:
        return {indicator.code: self.cleaned_data.get(f"{indicator.code}__observation", "")
                for indicator in self.element.indicators}


class CompleteForm(forms.Form):
    notes = forms.CharField(label=_("Notes for the coordinator"), required=False, max_length=10000,
                            widget=forms.Textarea(attrs={"rows": 3}))
