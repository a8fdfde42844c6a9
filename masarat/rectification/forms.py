"""The rectification form: the identity fields of the referral form, with the same rules."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from masarat.people.vocabulary import BirthDatePrecision
from masarat.rectification.identity import Identity
from masarat.referrals.forms import ReferralForm
from masarat.referrals.validation import DocumentInput, ReferralErrors, ReferralInput, validate_identity

IDENTITY_FIELDS = ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic", "sex",
                   "birth_precision", "birth_date", "birth_year", "birth_month", "estimated_age",
                   "main_nationality", "nationalities", "languages", "phone")
DOCUMENT_FIELDS = ("document_kind", "document_number", "document_country", "document_withheld")
MAX_DOCUMENTS = 10


class ReasonFields(forms.Form):
    """What every rectification carries: the reason, who asked for it, and the identity it was made on."""

    reason = forms.CharField(label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=5000,
                             help_text=_("For example: the passport shows another spelling; the person's written "
                                         "request of 3 March."))
    requested_by_person = forms.BooleanField(label=_("The person asked for this correction"), required=False)
    version = forms.CharField(widget=forms.HiddenInput, max_length=64)


class RectificationForm(ReasonFields):
    """Names, sex, date of birth or age, nationalities, languages, phone and identity documents.

    The fields and their rules are those of the referral form (``validate_identity``); each identity
    document is a row of four fields, with one empty row to add a document; emptying a row removes it.
    """

    def __init__(self, *args: Any, documents: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.is_bound:
            documents = _posted_documents(self.data)
        self.document_rows = min(documents + 1, MAX_DOCUMENTS)
        for name in IDENTITY_FIELDS:
            self.fields[name] = copy.deepcopy(ReferralForm.base_fields[name])
        self.fields["sex"].required = True
        self.fields["birth_precision"].required = True
        for row in range(self.document_rows):
            for name in DOCUMENT_FIELDS:
                self.fields[f"{name}_{row}"] = copy.deepcopy(ReferralForm.base_fields[name])
        self.fields["documents"] = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0,
                                                      max_value=MAX_DOCUMENTS, initial=self.document_rows)
        # The reason and the confirmation come last, after the identity.
        self.order_fields([*IDENTITY_FIELDS, "documents", *self.document_field_names(), "reason",
                           "requested_by_person", "version"])

    def document_field_names(self) -> list[str]:
        return [f"{name}_{row}" for row in range(self.document_rows) for name in DOCUMENT_FIELDS]

    def document_rows_fields(self) -> list[list[forms.BoundField]]:
        return [[self[f"{name}_{row}"] for name in DOCUMENT_FIELDS] for row in range(self.document_rows)]

    def identity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in IDENTITY_FIELDS]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            self.identity_input = validate_identity(self.to_input(cleaned))
        except ReferralErrors as exc:
            for name, messages in exc.errors.items():
                target = None if name in ("__all__", "documents") else name
                for message in messages:
                    self.add_error(target, message)
        return cleaned

    def to_input(self, cleaned: dict[str, Any]) -> ReferralInput:
        documents = []
        for row in range(self.document_rows):
            kind, number = cleaned.get(f"document_kind_{row}") or "", cleaned.get(f"document_number_{row}") or ""
            if kind or number:
                documents.append(DocumentInput(kind=kind, number=number,
                                               issuing_country=cleaned.get(f"document_country_{row}") or "",
                                               is_held_by_person=not cleaned.get(f"document_withheld_{row}")))
        main = cleaned.get("main_nationality")
        others = list(cleaned.get("nationalities") or [])
        return ReferralInput(
            sex=cleaned.get("sex") or "", birth_precision=cleaned.get("birth_precision") or "", consent="", region="",
            given_name_latin=cleaned.get("given_name_latin") or "", family_name_latin=cleaned.get("family_name_latin")
            or "", given_name_arabic=cleaned.get("given_name_arabic") or "",
            family_name_arabic=cleaned.get("family_name_arabic") or "", birth_date=cleaned.get("birth_date"),
            birth_year=cleaned.get("birth_year"), birth_month=cleaned.get("birth_month"),
            estimated_age=cleaned.get("estimated_age"),
            nationalities=list(dict.fromkeys([main, *others] if main else others)),
            languages=list(cleaned.get("languages") or []), phone=cleaned.get("phone") or "", documents=documents,
        )


def _posted_documents(data: Any) -> int:
    try:
        rows = int(data.get("documents") or 0)
    except (TypeError, ValueError):
        return 0
    return max(0, min(rows, MAX_DOCUMENTS) - 1)  # the form adds the empty row back


def initial_of(identity: Identity) -> dict[str, Any]:
    """The form's initial values from the identity recorded now."""
    initial: dict[str, Any] = {name: identity[name] for name in ("given_name_latin", "family_name_latin",
                                                                 "given_name_arabic", "family_name_arabic", "sex",
                                                                 "birth_precision", "phone", "languages")}
    precision = identity["birth_precision"]
    if precision == BirthDatePrecision.FULL and identity["birth_year"] and identity["birth_month"] \
            and identity["birth_day"]:
        initial["birth_date"] = date(identity["birth_year"], identity["birth_month"], identity["birth_day"])
    initial.update(birth_year=identity["birth_year"], birth_month=identity["birth_month"],
                   estimated_age=identity["estimated_age"])
    nationalities = identity["nationalities"]
    initial["main_nationality"] = nationalities[0] if nationalities else ""
    initial["nationalities"] = nationalities[1:]
    for row, document in enumerate(identity["documents"]):
        initial.update({f"document_kind_{row}": document["kind"], f"document_number_{row}": document["number"],
                        f"document_country_{row}": document["issuing_country"],
                        f"document_withheld_{row}": not document["is_held_by_person"]})
    return initial


class RestoreForm(ReasonFields):
    """Undo a correction: the values before it come back, as a new correction with its own reason."""
