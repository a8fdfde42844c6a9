"""Shapes of the REST API. Input serializers check types only: the rules of the mechanism stay in
the services (``validate_referral``, the decision services), whose errors ``api/errors.py`` turns
into responses. Output serializers read the objects the selectors return, without extra queries
in lists (everything they touch is selected or prefetched by the selectors)."""

from __future__ import annotations

from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, Decision
from masarat.cases.schedule import is_overdue
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage, ExploitationForm
from masarat.organisations.regions import Region
from masarat.people.vocabulary import BirthDatePrecision, DocumentKind, Language, Sex
from masarat.referrals.models import Referral
from masarat.referrals.validation import DocumentInput, ReferralInput
from masarat.referrals.vocabulary import Consent, Indicator, UrgentNeed
from masarat.sensitive.shield import is_restricted

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    HelpText = StrPromise | str | None

# --- Small building blocks ----------------------------------------------------------------------


def one_of(choices: type[models.TextChoices]) -> StrPromise | str:
    """A help text listing the codes of a vocabulary (the rules themselves stay in the services)."""
    return format_lazy(_("One of: {codes}."), codes=", ".join(choices.values))


COUNTRY_CODES = _("ISO 3166-1 alpha-2 country codes.")


def optional_text(help_text: HelpText = None, **kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, default="", help_text=help_text, **kwargs)


def optional_integer(help_text: HelpText = None) -> serializers.IntegerField:
    return serializers.IntegerField(required=False, allow_null=True, default=None, help_text=help_text)


def optional_date(help_text: HelpText = None) -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, default=None, help_text=help_text)


def code_list(help_text: HelpText = None) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text=help_text
    )


class RelatedCodesField(serializers.ListField):
    """The codes held by a to-many relation (nationalities, languages...), as a list of strings."""

    def __init__(self, attribute: str, **kwargs: Any) -> None:
        self.attribute = attribute
        super().__init__(child=serializers.CharField(), read_only=True, **kwargs)

    def to_representation(self, data: Any) -> list[str]:  # a related manager
        # A code the reader may not see (a sensitive category) is left out; the case says what was restricted.
        return [str(value) for item in data.all() if not is_restricted(value := getattr(item, self.attribute))]


class DetailSerializer(serializers.Serializer):
    """An error: a message in the user's language."""

    detail = serializers.CharField()


# --- Referral input -----------------------------------------------------------------------------


class DocumentSerializer(serializers.Serializer):
    """An identity document of the person (in a referral and in a case file)."""

    kind = serializers.CharField(allow_blank=True, help_text=one_of(DocumentKind))
    number = serializers.CharField(allow_blank=True)
    issuing_country = optional_text(_("ISO 3166-1 alpha-2 country code."))
    is_held_by_person = serializers.BooleanField(
        required=False, default=True,
        help_text=_("False when the document is withheld by someone else (a common method of control)."),
    )


class ReferralInputSerializer(serializers.Serializer):
    """The referral form. Types only: the rules (names, phone, consent, ages...) are checked by the
    referral service, which answers with field errors."""

    given_name_latin = optional_text()
    family_name_latin = optional_text()
    given_name_arabic = optional_text()
    family_name_arabic = optional_text()
    sex = serializers.CharField(allow_blank=True, help_text=one_of(Sex))
    birth_precision = serializers.CharField(allow_blank=True, help_text=one_of(BirthDatePrecision))
    birth_date = optional_date(_("When the date of birth is known (birth_precision “full”)."))
    birth_year = optional_integer()
    birth_month = optional_integer()
    estimated_age = optional_integer()
    nationalities = code_list(COUNTRY_CODES)
    languages = code_list(one_of(Language))
    phone = optional_text(_("International form (+212 6…) or a Moroccan number (06…)."))
    documents = DocumentSerializer(many=True, required=False, default=list)
    region = serializers.CharField(allow_blank=True, help_text=one_of(Region))
    encountered_on = optional_date(_("Date of first contact."))
    circumstances = optional_text(trim_whitespace=False)
    exploitation_forms = code_list(one_of(ExploitationForm))
    recruitment_countries = code_list(COUNTRY_CODES)
    exploitation_countries = code_list(COUNTRY_CODES)
    exploitation_regions = code_list(one_of(Region))
    indicators = code_list(one_of(Indicator))
    consent = serializers.CharField(allow_blank=True, help_text=one_of(Consent))
    # The database column holds 150 characters; the referral rules do not check this length.
    consent_informed_by = optional_text(max_length=150)
    consent_language = optional_text(one_of(Language))
    urgent_needs = code_list(one_of(UrgentNeed))

    def to_input(self) -> ReferralInput:
        """The validated data as the referral service takes it."""
        data = {field.name: self.validated_data[field.name] for field in dataclass_fields(ReferralInput)}
        data["documents"] = [DocumentInput(**document) for document in data["documents"]]
        return ReferralInput(**data)


# --- Case status, from the frontline view to the full file ------------------------------------


class CaseStatusSerializer(serializers.Serializer):
    """Which case, and where it stands."""

    reference = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text=one_of(Status))
    status_label = serializers.SerializerMethodField()

    def get_status_label(self, case: Case) -> str:
        # The enumeration's label, not get_status_display(): that one rebuilds the table of every
        # status, translating each, for every row of a list.
        return str(Status(case.status).label)


class ReferralCreatedSerializer(CaseStatusSerializer):
    url = serializers.SerializerMethodField(help_text=_("Where to follow the status of the referral."))

    def get_url(self, case: Case) -> str:
        return reverse("api-referral-detail", kwargs={"reference": case.reference},
                       request=self.context.get("request"))


class CaseStateSerializer(CaseStatusSerializer):
    """What a change of the case gives back: its status, version and next deadline."""

    version = serializers.IntegerField(
        read_only=True, help_text=_("Send it back with a change: a change made meanwhile is then refused."),
    )
    due_step = serializers.CharField(read_only=True, help_text=_("The next step with a deadline, if any."))
    due_on = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()

    def get_overdue(self, case: Case) -> bool:
        return is_overdue(case)


class StatusChangeSerializer(serializers.Serializer):
    """A step of the status history, without the reasons (what a referring agency may see)."""

    at = serializers.DateTimeField(read_only=True)
    action = serializers.CharField(read_only=True)
    action_label = serializers.CharField(read_only=True)
    from_status = serializers.CharField(read_only=True, help_text=_("Empty for the first event."))
    to_status = serializers.CharField(read_only=True)
    to_status_label = serializers.SerializerMethodField()

    def get_to_status_label(self, event: Any) -> str:
        return str(Status(event.to_status).label)


class CaseEventSerializer(StatusChangeSerializer):
    """An event of the case timeline, with who and why (case file only)."""

    actor: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    note = serializers.CharField(read_only=True)


class ReferralStatusSerializer(CaseStatusSerializer):
    """A referral as its referring agency follows it."""

    referred_at = serializers.DateTimeField(read_only=True)
    region = serializers.CharField(read_only=True, help_text=one_of(Region))
    display_name = serializers.CharField(
        source="person.display_name", read_only=True, allow_null=True,
        help_text=_("Null for an anonymous notification."),
    )


class ReferralStatusDetailSerializer(ReferralStatusSerializer):
    """A referral and its status history, without the reasons: what its referring agency may see."""

    history = serializers.SerializerMethodField()

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_history(self, case: Case) -> list[Any]:
        changes = [event for event in case.events.all() if event.from_status != event.to_status]
        return list(StatusChangeSerializer(changes, many=True, context=self.context).data)


class CaseSummarySerializer(ReferralStatusSerializer, CaseStateSerializer):
    """A line of the case queue."""

    sex = serializers.CharField(read_only=True, help_text=one_of(Sex))
    is_child = serializers.BooleanField(read_only=True)
    age_band = serializers.CharField(read_only=True)
    nationality = serializers.CharField(source="nationality.code", read_only=True,
                                        help_text=_("ISO 3166-1 alpha-2 country code; empty when unknown."))
    exploitation_forms = RelatedCodesField("form", help_text=one_of(ExploitationForm))
    referring_agency = serializers.CharField(source="referring_agency.name", read_only=True)


class CaseSummaryLines:
    """Lines of the case queue in the shape of ``CaseSummarySerializer`` (same fields, order and
    values), built from the plain values of ``case_queue_lines`` rather than through DRF's fields:
    the list is the most read page of the API, and the field machinery cost more CPU than the rest
    of the request. The serializer stays the contract (and the schema); the tests compare both.

    Make one per request: it keeps the day and the status labels in the request's language.
    """

    def __init__(self) -> None:
        self.moment = serializers.DateTimeField().to_representation
        self.today = timezone.localdate()
        self.labels: dict[str, str] = {}

    def __call__(self, line: dict[str, Any]) -> dict[str, Any]:
        status, due_on = line["status"], line["due_on"]
        if (label := self.labels.get(status)) is None:
            label = self.labels[status] = str(Status(status).label)
        return {
            "reference": line["reference"],
            "status": status,
            "status_label": label,
            "referred_at": self.moment(line["referred_at"]),
            "region": line["region"],
            "display_name": line["display_name"],
            "version": line["version"],
            "due_step": line["due_step"],
            "due_on": None if due_on is None else due_on.isoformat(),
            "overdue": due_on is not None and due_on < self.today,  # as schedule.is_overdue
            "sex": line["sex"],
            "is_child": line["is_child"],
            "age_band": line["age_band"],
            "nationality": line["nationality"],
            # Codes read from the database are never restricted (only a shielded case file holds those).
            "exploitation_forms": [str(form) for form in line["exploitation_forms"]],
            "referring_agency": line["referring_agency__name"],
        }


# --- The full case file -------------------------------------------------------------------------


class PersonSerializer(serializers.Serializer):
    given_name_latin = serializers.CharField(read_only=True)
    family_name_latin = serializers.CharField(read_only=True)
    given_name_arabic = serializers.CharField(read_only=True)
    family_name_arabic = serializers.CharField(read_only=True)
    display_name = serializers.CharField(read_only=True)
    sex = serializers.CharField(read_only=True)
    birth_precision = serializers.CharField(read_only=True, help_text=one_of(BirthDatePrecision))
    birth_year = serializers.IntegerField(read_only=True, allow_null=True)
    birth_month = serializers.IntegerField(read_only=True, allow_null=True)
    birth_day = serializers.IntegerField(read_only=True, allow_null=True)
    estimated_age = serializers.IntegerField(read_only=True, allow_null=True)
    estimated_on = serializers.DateField(read_only=True, allow_null=True)
    nationalities = RelatedCodesField("country", help_text=COUNTRY_CODES)
    languages = RelatedCodesField("language", help_text=one_of(Language))
    phone = serializers.CharField(read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)


class ReferralDetailsSerializer(serializers.Serializer):
    """What the frontline responder reported."""

    circumstances = serializers.CharField(read_only=True)
    consent = serializers.CharField(read_only=True, help_text=one_of(Consent))
    consent_informed_by = serializers.CharField(read_only=True)
    consent_language = serializers.CharField(read_only=True)
    indicators = RelatedCodesField("indicator", help_text=one_of(Indicator))
    urgent_needs = serializers.SerializerMethodField(help_text=one_of(UrgentNeed))

    def get_urgent_needs(self, referral: Referral) -> list[str]:
        # Each need is stored as the flag ``urgent_<code>``.
        return [need.value for need in UrgentNeed if getattr(referral, f"urgent_{need.value}")]


class PlaceSerializer(serializers.Serializer):
    role = serializers.CharField(read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    region = serializers.CharField(read_only=True)


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    stage = serializers.CharField(read_only=True, help_text=one_of(DecisionStage))
    outcome = serializers.CharField(read_only=True, help_text=one_of(DecisionOutcome))
    reasons = serializers.CharField(read_only=True)
    decided_by: serializers.StringRelatedField[User] = serializers.StringRelatedField()
    decided_at = serializers.DateTimeField(read_only=True)
    awaits_review = serializers.BooleanField(read_only=True)
    review_outcome = serializers.CharField(read_only=True)
    review_reasons = serializers.CharField(read_only=True)
    reviewed_by: serializers.StringRelatedField[User] = serializers.StringRelatedField(allow_null=True)
    reviewed_at = serializers.DateTimeField(read_only=True, allow_null=True)


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField(source="value", read_only=True)
    action_label = serializers.CharField(source="label", read_only=True)


class CaseDetailSerializer(CaseSummarySerializer):
    """A case file: identities, the referral, places, decisions with their reasons, the timeline."""

    person = PersonSerializer(
        read_only=True, allow_null=True, help_text=_("Null for an anonymous notification.")
    )
    referral = ReferralDetailsSerializer(read_only=True)
    places = PlaceSerializer(many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    events = CaseEventSerializer(many=True, read_only=True)
    allowed_actions = serializers.SerializerMethodField(help_text=_("What the requesting user may do now."))
    restricted_categories = serializers.SerializerMethodField(
        help_text=_("Sensitive categories (health, sexual_violence) of this case the requesting user may not read: "
                    "their texts are replaced by a notice and their codes left out."))

    def get_restricted_categories(self, case: Case) -> list[str]:
        return sorted(getattr(case, "hidden_categories", ()))

    @extend_schema_field(ActionSerializer(many=True))
    def get_allowed_actions(self, case: Case) -> list[Any]:
        return list(ActionSerializer(policy.allowed_actions(self.context["request"].user, case), many=True).data)


# --- Decisions ----------------------------------------------------------------------------------


class VersionedInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1,
        help_text=_("The version of the case you read (required); if the case changed since, "
                    "the change is refused (409), never silently applied."),
    )
    reasons = serializers.CharField()


class DecisionInputSerializer(VersionedInputSerializer):
    stage = serializers.ChoiceField(choices=DecisionStage.choices)
    outcome = serializers.ChoiceField(choices=DecisionOutcome.choices)


class ReviewInputSerializer(VersionedInputSerializer):
    confirm = serializers.BooleanField(
        help_text=_("True confirms the negative decision; false overturns it (positive)."),
    )


class DecisionResultSerializer(serializers.Serializer):
    decision = DecisionSerializer(read_only=True)
    case = CaseStateSerializer(read_only=True)

    def to_representation(self, instance: Decision) -> dict[str, Any]:
        return super().to_representation({"decision": instance, "case": instance.case})


# --- Query parameters ---------------------------------------------------------------------------


class CaseFiltersSerializer(serializers.Serializer):
    """Filters of the case queue (query parameters)."""

    status = serializers.ChoiceField(choices=Status.choices, required=False, allow_blank=True, default="")
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True, default="")
    exploitation = serializers.ChoiceField(choices=ExploitationForm.choices, required=False, allow_blank=True,
                                           default="")
    child = serializers.BooleanField(required=False, allow_null=True, default=None,
                                     help_text=_("true: children only; false: adults only."))
    overdue = serializers.BooleanField(required=False, default=False,
                                       help_text=_("true: only cases past their deadline."))
    q = serializers.CharField(source="search", required=False, allow_blank=True, default="",
                              help_text=_("A reference, a case number, whole words of the name in either "
                                          "script (all must match), a phone or a document number."))
    mine = serializers.BooleanField(required=False, default=False,
                                    help_text=_("true: only cases assigned to me."))
