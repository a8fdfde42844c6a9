"""Reads of service referrals. A provider's users only ever get :func:`shared_record`: the fields
the policy lists for the service, while consent (or an override) allows sharing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from masarat.access import policy
from masarat.access.policy import SharedField
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.consent.models import ConsentRecord
from masarat.pathways.models import ServiceReferral
from masarat.pathways.vocabulary import ReferralStatus, consent_purpose

DUE_SOON_DAYS = 7
OVERDUE = "overdue"
DUE_THIS_WEEK = "due_this_week"
DEADLINE_LABELS = {OVERDUE: gettext_lazy("Overdue"), DUE_THIS_WEEK: gettext_lazy("Due this week")}


def deadline_flag(due: date | None, today: date | None = None) -> str:
    """``overdue`` before today, ``due_this_week`` within the next seven days, else nothing."""
    if due is None:
        return ""
    today = today or timezone.localdate()
    if due < today:
        return OVERDUE
    return DUE_THIS_WEEK if due < today + timedelta(days=DUE_SOON_DAYS) else ""


def answer_flag(referral: ServiceReferral) -> str:
    """For the provider: only an answer still awaited can be overdue or due soon."""
    return deadline_flag(referral.deadline) if referral.status == ReferralStatus.SENT else ""


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def deadline_filter(flag: str, today: date | None = None) -> Q:
    """The referrals whose next move is overdue or due this week, as one filter (for any list)."""
    today = today or timezone.localdate()
    end = _start_of(today + timedelta(days=DUE_SOON_DAYS))
    waiting_offer = Q(status=ReferralStatus.PROPOSED) | Q(
        status__in=(ReferralStatus.DECLINED, ReferralStatus.EXPIRED), followed_up_by__isnull=True)
    sent = Q(status=ReferralStatus.SENT)
    if flag == OVERDUE:
        return (sent & Q(response_due_at__lt=timezone.now())) | (waiting_offer & Q(due_on__lt=today))
    if flag == DUE_THIS_WEEK:
        return (sent & Q(response_due_at__gte=timezone.now(), response_due_at__lt=end)) | (
            waiting_offer & Q(due_on__gte=today, due_on__lt=today + timedelta(days=DUE_SOON_DAYS)))
    return Q()


def _with_relations(referrals: QuerySet[ServiceReferral]) -> QuerySet[ServiceReferral]:
    return referrals.select_related(
        "case__person", "case__referral", "service__provider", "next_suggestion__provider", "escalated_to",
        "consent_override", "sent_by", "case__assigned_case_manager",
    ).prefetch_related("case__consents", "case__person__languages", "case__person__nationalities",
                       "case__person__documents", "case__exploitation_forms")


def case_referrals(case: Case) -> list[ServiceReferral]:
    return list(_with_relations(case.service_referrals.all()).order_by("created_at", "id"))


def referrals_in_scope(*, viewer: User, flag: str = "", awaiting: bool = False) -> QuerySet[ServiceReferral]:
    """Service referrals of the cases whose file the viewer may open (coordinators, case managers)."""
    rule = policy.case_file_filter(viewer)
    if rule is None:
        return ServiceReferral.objects.none()
    cases = Case.objects.filter(rule)
    referrals = _with_relations(ServiceReferral.objects.filter(case__in=cases))
    if awaiting:
        referrals = referrals.filter(Q(status__in=(ReferralStatus.PROPOSED, ReferralStatus.SENT))
                                     | Q(status__in=(ReferralStatus.DECLINED, ReferralStatus.EXPIRED),
                                         followed_up_by__isnull=True))
    if flag:
        referrals = referrals.filter(deadline_filter(flag))
    return referrals.order_by("due_on", "response_due_at", "id")


def provider_inbox(*, viewer: User, status: str = "", flag: str = "") -> QuerySet[ServiceReferral]:
    """The referrals sent to the viewer's agency (never a proposal, never another agency's)."""
    referrals = policy.scope_service_referrals(viewer, _with_relations(ServiceReferral.objects.all()))
    if status:
        referrals = referrals.filter(status=status)
    if flag:
        referrals = referrals.filter(deadline_filter(flag), status=ReferralStatus.SENT)
    return referrals.order_by("-sent_at", "-id")


def provider_referral(*, viewer: User, pk: int) -> ServiceReferral:
    referral = policy.get_service_referral_or_404(viewer, _with_relations(ServiceReferral.objects.all()), pk)
    record_event(actor=viewer, action="service_referral.read", target_type="service_referral",
                 target_id=str(referral.pk), case_reference=referral.case.reference,
                 details={"fields": sorted(policy.provider_fields(referral.kind)) if sharing_allowed(referral) else []})
    return referral


def sharing_allowed(referral: ServiceReferral) -> bool:
    """Consent in force, checked at every read (a withdrawal stops sharing at once); or the referral was
    sent under an override and the person has not withdrawn consent since. Reads the case's consents
    as prefetched by the selectors (one query for a whole page)."""
    purpose = consent_purpose(referral.kind)
    records = [record for record in referral.case.consents.all() if record.purpose == purpose]
    if any(record.withdrawn_at is None for record in records):
        return True
    override = referral.consent_override
    return override is not None and not any(
        record.withdrawn_at is not None and record.withdrawn_at >= override.at for record in records)


@dataclass(frozen=True)
class SharedItem:
    field: str
    label: str
    value: str


def _value(field: SharedField, case: Case) -> str:
    person = case.person
    if person is None:
        return ""
    if field == SharedField.GIVEN_NAME:
        return " / ".join(name for name in (person.given_name_latin, person.given_name_arabic) if name)
    if field == SharedField.FAMILY_NAME:
        return " / ".join(name for name in (person.family_name_latin, person.family_name_arabic) if name)
    if field == SharedField.SEX:
        return str(case.get_sex_display())
    if field == SharedField.AGE:
        return "" if case.age_at_referral is None else str(case.age_at_referral)
    if field == SharedField.DATE_OF_BIRTH:
        parts = [str(part) for part in (person.birth_day, person.birth_month, person.birth_year) if part]
        return "/".join(parts) if parts else (_("about %(age)s years") % {"age": person.estimated_age}
                                              if person.estimated_age else "")
    if field == SharedField.NATIONALITY:
        return ", ".join(str(item.country.name) for item in person.nationalities.all())
    if field == SharedField.LANGUAGES:
        return ", ".join(str(item.get_language_display()) for item in person.languages.all())
    if field == SharedField.URGENT_NEEDS:
        referral = getattr(case, "referral", None)
        return ", ".join(referral.urgent_needs) if referral is not None else ""
    if field == SharedField.EXPLOITATION_FORMS:
        return ", ".join(str(item.get_form_display()) for item in case.exploitation_forms.all())
    if field == SharedField.DOCUMENTS:
        return "; ".join(f"{item.get_kind_display()} {item.number}" for item in person.documents.all())
    return ""


FIELD_LABELS: dict[SharedField, Any] = {
    SharedField.GIVEN_NAME: gettext_lazy("Given name"),
    SharedField.FAMILY_NAME: gettext_lazy("Family name"),
    SharedField.SEX: gettext_lazy("Sex"),
    SharedField.AGE: gettext_lazy("Age at referral"),
    SharedField.DATE_OF_BIRTH: gettext_lazy("Date of birth"),
    SharedField.NATIONALITY: gettext_lazy("Nationalities"),
    SharedField.LANGUAGES: gettext_lazy("Languages"),
    SharedField.URGENT_NEEDS: gettext_lazy("Urgent needs"),
    SharedField.EXPLOITATION_FORMS: gettext_lazy("Forms of exploitation"),
    SharedField.DOCUMENTS: gettext_lazy("Identity documents"),
}


def shared_record(referral: ServiceReferral) -> list[SharedItem]:
    """What the provider is shown of the case: the fields of its service, in a fixed order; nothing
    at all once consent is withdrawn (unless the referral was sent under an override)."""
    if not sharing_allowed(referral):
        return []
    allowed = policy.provider_fields(referral.kind)
    return [SharedItem(str(field), str(FIELD_LABELS[field]), _value(field, referral.case))
            for field in SharedField if field in allowed]


def case_section(viewer: User, case: Case) -> dict[str, Any]:
    """What the case page shows of the pathway: referrals with their deadlines, consent, transfers."""
    from masarat.directory.vocabulary import ServiceKind
    from masarat.pathways.services import pathway_for_case

    return {
        "pathway_referrals": case_referrals(case),
        "pathway_template": pathway_for_case(case),
        "can_manage_pathway": policy.can_manage_pathway(viewer, case),
        "can_transfer": policy.can_transfer_case(viewer, case),
        "consents": list(ConsentRecord.objects.filter(case=case).select_related("recorded_by", "withdrawn_by")),
        "transfers": list(case.transfers.select_related("to_user__agency", "requested_by")),
        "service_kinds": ServiceKind.choices,
    }
