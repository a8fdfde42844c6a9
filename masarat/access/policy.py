"""The one place that decides who may see or do what.

Every view, API endpoint, export and admin page asks this module. A refusal to reach an
object is reported as "not found" (:class:`django.http.Http404`), so that a curious insider
cannot even learn that a case exists outside their scope.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from masarat.accounts.models import Role, User
from masarat.cases.lifecycle import Action, Status
from masarat.cases.lifecycle import allowed_actions as lifecycle_actions
from masarat.cases.schedule import reflection_period_running

if TYPE_CHECKING:
    from masarat.actionplan.models import Measure
    from masarat.cases.models import Case, Decision
    from masarat.directory.models import Service
    from masarat.imports.models import ImportJob
    from masarat.pathways.models import CaseTransfer, ServiceReferral
    from masarat.transnational.models import IncomingPackage

REFERRING_ROLES = frozenset({Role.FRONTLINE_RESPONDER, Role.COORDINATOR})


def _active(user: User) -> bool:
    """A signed-in, active account of an active agency; anything else may do nothing."""
    return bool(user.is_authenticated and user.is_active and user.agency is not None and user.agency.is_active)


def is_coordinator(user: User) -> bool:
    return _active(user) and user.role == Role.COORDINATOR


# --- What a user may reach -------------------------------------------------------------------

def case_file_filter(user: User) -> Q | None:
    """Cases whose full file the user may open, as a filter; ``None`` means none at all."""
    if not _active(user):
        return None
    if user.role == Role.COORDINATOR:
        if user.is_national_coordinator:
            return Q()
        return Q(region=user.region) | _emergency_access(user)
    if user.role == Role.CASE_MANAGER:
        return Q(assigned_case_manager=user)
    return None


def _emergency_access(user: User) -> Q:
    """Cases this user opened by "breaking the glass", while that access lasts."""
    from masarat.cases.models import EmergencyAccess

    # Read as a list (a handful of cases at most), so that "region or one of these" goes through two
    # indexes; a correlated subquery would make the database test every case of the table.
    return Q(pk__in=list(EmergencyAccess.objects.filter(user=user, expires_at__gt=timezone.now())
                         .values_list("case_id", flat=True)))


class AccessBasis:
    """Why a user could open a case file, recorded with every read for the access reports."""

    NATIONAL = "national_scope"
    REGIONAL = "regional_scope"
    EMERGENCY = "emergency_access"
    ASSIGNED = "assigned_case_manager"


def access_basis(user: User, case: Case) -> str:
    """The ground on which ``user`` opens ``case`` (call only once the access was granted)."""
    if user.role == Role.CASE_MANAGER:
        return AccessBasis.ASSIGNED
    if user.is_national_coordinator:
        return AccessBasis.NATIONAL
    return AccessBasis.REGIONAL if case.region == user.region else AccessBasis.EMERGENCY


def can_break_glass(user: User) -> bool:
    """Regional coordinators may open a case of another region in an emergency, with a reason."""
    return is_coordinator(user) and not user.is_national_coordinator


def referral_status_filter(user: User) -> Q | None:
    """Cases whose referral status the user may follow (a frontline responder's own agency's)."""
    if not _active(user):
        return None
    if user.role == Role.FRONTLINE_RESPONDER:
        return Q(referring_agency_id=user.agency_id)
    in_scope = case_file_filter(user)
    if user.role in REFERRING_ROLES:
        # A coordinator who referred someone met outside their region still follows that referral.
        # (An empty Q means "every case"; OR-ing it would wrongly narrow the scope.)
        if in_scope is None:
            return Q(referred_by=user)
        return in_scope if not in_scope else in_scope | Q(referred_by=user)
    return in_scope


def scope_cases(user: User, cases: QuerySet[Case], *, full_file: bool = True) -> QuerySet[Case]:
    rule = case_file_filter(user) if full_file else referral_status_filter(user)
    return cases.none() if rule is None else cases.filter(rule)


def get_case_or_404(user: User, cases: QuerySet[Case], reference: str, *, full_file: bool = True) -> Case:
    try:
        return scope_cases(user, cases, full_file=full_file).get(reference=reference)
    except cases.model.DoesNotExist as exc:
        raise Http404 from exc


def can_open_case_file(user: User, case: Case) -> bool:
    """Whether ``case`` is in the user's scope (``case_file_filter``).

    A page asks this for each of its sections. The grounds that the loaded case shows by itself (the
    whole country, the coordinator's region, the assigned case manager) are read from it; any other
    (an emergency access) is asked of the database.
    """
    if not _active(user):
        return False
    if user.role == Role.COORDINATOR and (user.is_national_coordinator or case.region == user.region):
        return True
    if user.role == Role.CASE_MANAGER and case.assigned_case_manager_id == user.pk:
        return True
    rule = case_file_filter(user)
    return rule is not None and type(case).objects.filter(rule, pk=case.pk).exists()


# --- What a user may do ----------------------------------------------------------------------

def can_refer(user: User) -> bool:
    return _active(user) and user.role in REFERRING_ROLES


SCREENING_ROLES = frozenset({Role.FRONTLINE_RESPONDER, Role.COORDINATOR, Role.CASE_MANAGER})


def can_screen(user: User) -> bool:
    """Who may interview a person with the screening tool (before or without a referral)."""
    return _active(user) and user.role in SCREENING_ROLES


def can_decide(user: User, case: Case) -> bool:
    return is_coordinator(user) and can_open_case_file(user, case)


def can_review(user: User, decision: Decision) -> bool:
    """The second reviewer of a negative decision must be another coordinator."""
    return (
        decision.awaits_review
        and decision.decided_by_id != user.pk
        and can_decide(user, decision.case)
    )


def can_assign(user: User, case: Case) -> bool:
    return can_decide(user, case) and case.status != Status.ANONYMOUS_NOTIFICATION


def can_request_reconsideration(user: User, case: Case) -> bool:
    if not _active(user) or case.status not in (Status.NOT_PRESUMED, Status.NOT_IDENTIFIED):
        return False
    if user.role == Role.FRONTLINE_RESPONDER:
        return case.referring_agency_id == user.agency_id
    return can_open_case_file(user, case)


def can_close(user: User, case: Case) -> bool:
    return can_decide(user, case)


REVIEW_ACTIONS = frozenset({
    Action.PRELIMINARY_REVIEW_CONFIRM, Action.PRELIMINARY_REVIEW_OVERTURN,
    Action.FORMAL_REVIEW_CONFIRM, Action.FORMAL_REVIEW_OVERTURN,
})
FINAL_FORMAL_OUTCOMES = frozenset({Action.FORMAL_POSITIVE, Action.FORMAL_NEGATIVE})


def allowed_actions(user: User, case: Case, *, today: date | None = None) -> list[Action]:
    """What ``user`` may do to ``case`` now: the lifecycle's moves that the policy allows them."""
    today = today or timezone.localdate()
    may_decide = can_decide(user, case)

    def allowed(action: Action) -> bool:
        if action == Action.REQUEST_RECONSIDERATION:
            return can_request_reconsideration(user, case)
        if action in REVIEW_ACTIONS:
            return any(can_review(user, decision) for decision in case.decisions.all())
        if action in FINAL_FORMAL_OUTCOMES and reflection_period_running(case, today):
            return False
        return may_decide

    return [action for action in lifecycle_actions(case.status) if allowed(action)]


def can_review_duplicates(user: User, case: Case) -> bool:
    """Possible duplicates of a case's person: coordinators who may open the case file."""
    return is_coordinator(user) and case.person_id is not None and can_open_case_file(user, case)


def persons_in_scope(user: User, person_ids: Iterable[int]) -> set[int]:
    """The persons among ``person_ids`` all of whose cases a coordinator may open (and who have one).

    A possible duplicate outside this set is not shown at all, and cannot be linked.
    """
    from masarat.cases.models import Case

    ids = set(person_ids)
    if not is_coordinator(user) or not ids:
        return set()
    cases = Case.objects.filter(person_id__in=ids)
    all_cases = set(cases.values_list("person_id", "pk"))
    rule = case_file_filter(user)
    whole_country = rule is not None and not rule
    in_scope = all_cases if whole_country else set(scope_cases(user, cases).values_list("person_id", "pk"))
    out_of_scope = {person_id for person_id, _pk in all_cases - in_scope}
    return {person_id for person_id, _pk in all_cases} - out_of_scope


def can_exchange_case(user: User, case: Case) -> bool:
    """An HTCDS export of a case: coordinators who may open its file."""
    return is_coordinator(user) and can_open_case_file(user, case)
# --- Case management, proceedings and documents -------------------------------------------------

def can_manage_case(user: User, case: Case) -> bool:
    """The assistance plan, child protection, return and documents: those who hold the file."""
    return can_open_case_file(user, case)


def is_justice(user: User) -> bool:
    return _active(user) and user.role == Role.JUSTICE


def can_follow_proceedings(user: User, case: Case) -> bool:
    """Proceedings: those who hold the file, and the justice users (prosecutors, judicial police) of
    the case's region, who see the proceedings and the offenders but not the person's file."""
    return can_open_case_file(user, case) or (is_justice(user) and case.region == user.region)


def can_see_offenders(user: User, case: Case) -> bool:
    """Suspected offenders are for the justice users of the case's region only."""
    return is_justice(user) and case.region == user.region


def can_count_offenders(user: User) -> bool:
    """Counts of offenders by status and year (no identities) for national and UNODC reports."""
    return can_view_aggregates(user) or is_justice(user)


def can_browse_audit(user: User) -> bool:
    return _active(user) and user.role == Role.AUDITOR


def can_administer(user: User) -> bool:
    return _active(user) and user.role == Role.ADMINISTRATOR


def can_manage_data_rights(user: User) -> bool:
    """Access-request exports, erasure on request and legal holds: the national coordination only."""
    return is_coordinator(user) and user.is_national_coordinator


def can_import_cases(user: User) -> bool:
    """Imports of existing case lists: NRM coordinators, each for their scope (administrators never,
    since they never see a victim's data; frontline responders refer one person at a time)."""
    return is_coordinator(user)


def can_import_into_region(user: User, region: str) -> bool:
    """A national coordinator imports cases of any region; a regional coordinator, of their own region."""
    return can_import_cases(user) and (user.is_national_coordinator or region == user.region)


def can_see_import(user: User, job: ImportJob) -> bool:
    """An import holds the identities of its file: only the coordinator who started it sees it."""
    return can_import_cases(user) and job.created_by_id == user.pk


def can_view_aggregates(user: User) -> bool:
    return _active(user) and user.role in (Role.ANALYST, Role.COORDINATOR)


# --- Action plan monitoring -------------------------------------------------------------------

# Roles that read and report on the plan for their agency; analysts and auditors only read.
_PROGRESS_ROLES = frozenset({Role.FRONTLINE_RESPONDER, Role.COORDINATOR, Role.CASE_MANAGER, Role.SERVICE_PROVIDER,
                             Role.JUSTICE})


def is_action_plan_secretariat(user: User) -> bool:
    """The commission's secretariat: the coordinators of national scope."""
    return is_coordinator(user) and user.is_national_coordinator


def _responsible_for_a_measure(user: User) -> bool:
    from masarat.actionplan.models import Measure

    return Measure.objects.filter(agencies=user.agency_id).exists()


def can_view_action_plan(user: User) -> bool:
    """The plan holds no personal data: analysts and coordinators read all of it, and so do the users
    of an agency responsible for one of its measures."""
    if not _active(user):
        return False
    if user.role in (Role.ANALYST, Role.COORDINATOR):
        return True
    return user.role in _PROGRESS_ROLES and _responsible_for_a_measure(user)


def can_post_progress(user: User, measure: Measure) -> bool:
    """The users of a responsible agency report on its measures; the secretariat on every measure."""
    if is_action_plan_secretariat(user):
        return True
    # Read through .all() so that agencies fetched with the measures serve (no query per measure).
    return (_active(user) and user.role in _PROGRESS_ROLES
            and any(agency.pk == user.agency_id for agency in measure.agencies.all()))


def get_measure_for_progress_or_404(user: User, measures: QuerySet[Measure], code: str) -> Measure:
    try:
        measure = measures.get(code=code)
    except measures.model.DoesNotExist as exc:
        raise Http404 from exc
    if not can_post_progress(user, measure):
        raise Http404
    return measure


def can_edit_action_plan(user: User) -> bool:
    """Plans, axes, measures, indicators and targets are edited in the administration site by an
    administrator or the secretariat."""
    return can_administer(user) or is_action_plan_secretariat(user)


def can_enter_admin(user: User) -> bool:
    """The administration site: administrators, and the secretariat for the action plan alone."""
    return can_administer(user) or can_edit_action_plan(user)


def require(allowed: bool) -> None:
    """Refuse an action on an object the user can see, with a plain 403."""
    if not allowed:
        raise PermissionDenied


# --- Services directory, consent and protection pathways ---------------------------------------

DIRECTORY_ROLES = frozenset({Role.FRONTLINE_RESPONDER, Role.COORDINATOR, Role.CASE_MANAGER, Role.SERVICE_PROVIDER})
PATHWAY_ROLES = frozenset({Role.COORDINATOR, Role.CASE_MANAGER})
CONSENT_OVERRIDE_PERMISSION = "consent.override_consent"


def can_search_directory(user: User) -> bool:
    """Anyone who refers (or receives referrals) may search the services directory."""
    return _active(user) and user.role in DIRECTORY_ROLES


def can_edit_service(user: User, service: Service) -> bool:
    """A provider's own users keep its entries (and their free places) current."""
    return _active(user) and user.role == Role.SERVICE_PROVIDER and service.provider_id == user.agency_id


def can_manage_pathway(user: User, case: Case) -> bool:
    """Coordinators and the case manager who hold the file refer to services and record consent."""
    return _active(user) and user.role in PATHWAY_ROLES and can_open_case_file(user, case)


def can_override_consent(user: User, case: Case) -> bool:
    """Sharing without recorded consent: a dedicated permission, granted to few, always with a reason."""
    return can_manage_pathway(user, case) and user.has_perm(CONSENT_OVERRIDE_PERMISSION)


def can_transfer_case(user: User, case: Case) -> bool:
    return can_manage_pathway(user, case) and case.person_id is not None


def case_transfer_filter(user: User) -> Q | None:
    """Transfers of case management offered to this case manager (the receiver decides)."""
    if not _active(user) or user.role != Role.CASE_MANAGER:
        return None
    return Q(to_user=user)


def service_referral_filter(user: User) -> Q | None:
    """Service referrals a provider's users may open: those sent to their agency, never proposals."""
    if not _active(user) or user.role != Role.SERVICE_PROVIDER:
        return None
    from masarat.pathways.vocabulary import SHARED_STATUSES

    return Q(service__provider_id=user.agency_id, status__in=SHARED_STATUSES)


def scope_service_referrals(user: User, referrals: QuerySet[ServiceReferral]) -> QuerySet[ServiceReferral]:
    rule = service_referral_filter(user)
    return referrals.none() if rule is None else referrals.filter(rule)


def get_service_referral_or_404(user: User, referrals: QuerySet[ServiceReferral], pk: int) -> ServiceReferral:
    try:
        return scope_service_referrals(user, referrals).get(pk=pk)
    except referrals.model.DoesNotExist as exc:
        raise Http404 from exc


def can_respond_to_referral(user: User, referral: ServiceReferral) -> bool:
    from masarat.pathways.vocabulary import ReferralStatus

    return (referral.status == ReferralStatus.SENT and _active(user) and user.role == Role.SERVICE_PROVIDER
            and referral.service is not None and referral.service.provider_id == user.agency_id)


def can_record_delivery(user: User, referral: ServiceReferral) -> bool:
    """The provider records what it delivered; so may the case's coordinator or case manager."""
    from masarat.pathways.vocabulary import ReferralStatus

    if referral.status != ReferralStatus.ACCEPTED or not _active(user):
        return False
    if user.role == Role.SERVICE_PROVIDER:
        return referral.service is not None and referral.service.provider_id == user.agency_id
    return can_manage_pathway(user, referral.case)



# --- Transnational referrals --------------------------------------------------------------------

def can_send_case_abroad(user: User, case: Case) -> bool:
    """A case package for a partner abroad: those who manage the case (consent is checked by the service)."""
    return can_manage_pathway(user, case) and case.person_id is not None


def can_receive_packages(user: User) -> bool:
    """Receiving a package from abroad makes it a referral: coordinators only."""
    return is_coordinator(user)


def can_acknowledge_packages(user: User) -> bool:
    """Uploading a partner's acknowledgement: those who may send; each package is checked with its case."""
    return _active(user) and user.role in PATHWAY_ROLES


def can_see_received_package(user: User, package: IncomingPackage) -> bool:
    """A received package and its acknowledgement: the coordinator who received it, or one who holds the file."""
    return is_coordinator(user) and (package.received_by_id == user.pk or can_open_case_file(user, package.case))


class SharedField(StrEnum):
    """What of a case a service provider may be shown; anything not listed is never shown to one."""

    GIVEN_NAME = "given_name"
    FAMILY_NAME = "family_name"
    SEX = "sex"
    AGE = "age"
    DATE_OF_BIRTH = "date_of_birth"
    NATIONALITY = "nationality"
    LANGUAGES = "languages"
    URGENT_NEEDS = "urgent_needs"
    EXPLOITATION_FORMS = "exploitation_forms"
    DOCUMENTS = "documents"


_F = SharedField
_NAMES = frozenset({_F.GIVEN_NAME, _F.FAMILY_NAME})
# Minimum necessary per service (the reference and the case manager's contact are always given).
# Never given to a provider: the circumstances, indicators, screenings, decisions, places, phone.
PROVIDER_FIELDS: dict[str, frozenset[SharedField]] = {
    "emergency_shelter": frozenset({_F.GIVEN_NAME, _F.SEX, _F.AGE, _F.LANGUAGES, _F.URGENT_NEEDS}),
    "long_term_shelter": _NAMES | {_F.SEX, _F.AGE, _F.NATIONALITY, _F.LANGUAGES},
    "medical": _NAMES | {_F.SEX, _F.DATE_OF_BIRTH, _F.LANGUAGES, _F.URGENT_NEEDS},
    "psychological": frozenset({_F.GIVEN_NAME, _F.SEX, _F.AGE, _F.LANGUAGES, _F.EXPLOITATION_FORMS}),
    "legal_aid": _NAMES | {_F.SEX, _F.DATE_OF_BIRTH, _F.NATIONALITY, _F.LANGUAGES, _F.EXPLOITATION_FORMS,
                           _F.DOCUMENTS},
    "interpretation": frozenset({_F.GIVEN_NAME, _F.SEX, _F.LANGUAGES}),
    "education": _NAMES | {_F.SEX, _F.DATE_OF_BIRTH, _F.LANGUAGES},
    "vocational_training": _NAMES | {_F.SEX, _F.AGE, _F.LANGUAGES},
    "financial_assistance": _NAMES | {_F.SEX, _F.AGE},
    "family_tracing": _NAMES | {_F.SEX, _F.DATE_OF_BIRTH, _F.NATIONALITY, _F.LANGUAGES},
    "voluntary_return": _NAMES | {_F.SEX, _F.DATE_OF_BIRTH, _F.NATIONALITY, _F.LANGUAGES, _F.DOCUMENTS},
    "consular_assistance": _NAMES | {_F.SEX, _F.DATE_OF_BIRTH, _F.NATIONALITY, _F.DOCUMENTS},
}


def provider_fields(kind: str) -> frozenset[SharedField]:
    """The fields a provider of this kind of service is shown (nothing for an unknown kind)."""
    return PROVIDER_FIELDS.get(kind, frozenset())


# --- Notifications -------------------------------------------------------------------------------

def can_use_inbox(user: User) -> bool:
    """Every active account has an inbox of notifications (its own, nobody else's)."""
    return _active(user)


def can_follow_referral(user: User, case: Case) -> bool:
    """The status page of a referral: the referring agency, and those who may open the file."""
    rule = referral_status_filter(user)
    return rule is not None and type(case).objects.filter(rule, pk=case.pk).exists()


def can_open_service_referral(user: User, referral: ServiceReferral) -> bool:
    """A provider's user may open a referral sent to their agency (the provider's inbox)."""
    rule = service_referral_filter(user)
    return rule is not None and type(referral).objects.filter(rule, pk=referral.pk).exists()


def can_answer_transfer(user: User, transfer: CaseTransfer) -> bool:
    rule = case_transfer_filter(user)
    return rule is not None and type(transfer).objects.filter(rule, pk=transfer.pk).exists()
# --- Rectification of identities ----------------------------------------------------------------

def can_rectify_identity(user: User, case: Case) -> bool:
    """Correcting the identity of a case's person (Law 09-08), and reading the corrections made: those
    who hold the file in their own scope (national coordinators, who also answer the persons' data-rights
    requests; the regional coordinators of the case's region; the assigned case manager). Not on an
    emergency access ("break the glass" is for reading), never for an anonymous notification."""
    if not _active(user) or case.person_id is None:
        return False
    if can_manage_data_rights(user):
        return True
    if user.role == Role.COORDINATOR:
        return case.region == user.region
    if user.role == Role.CASE_MANAGER:
        return case.assigned_case_manager_id == user.pk
    return False


# --- Sensitive categories inside the case file ---------------------------------------------------

class SensitiveCategory(StrEnum):
    """Special categories of data (health; sexual exploitation and violence), shown by role."""

    HEALTH = "health"
    SEXUAL_VIOLENCE = "sexual_violence"


SENSITIVE_PERMISSIONS: dict[SensitiveCategory, str] = {
    SensitiveCategory.HEALTH: "sensitive.view_health",
    SensitiveCategory.SEXUAL_VIOLENCE: "sensitive.view_sexual_violence",
}
MEDICAL_SERVICES = frozenset({"medical", "psychological"})
SEXUAL_SCREENING = "sexual"


def visible_sensitive_categories(user: User, case: Case) -> frozenset[SensitiveCategory]:
    """The sensitive categories of ``case`` that ``user`` may read, among those who may open the file.

    Both categories: the assigned case manager, national coordinators and the coordinator assigned to the
    case. Any other coordinator who opens the file (their region, or an emergency access) reads a
    category only with its permission (``sensitive.view_health``, ``sensitive.view_sexual_violence``,
    granted in the administration site). Everyone else sees "restricted" in place of the content.
    """
    if not can_open_case_file(user, case):
        return frozenset()
    if user.role == Role.CASE_MANAGER or user.is_national_coordinator or case.assigned_coordinator_id == user.pk:
        return frozenset(SensitiveCategory)
    return frozenset(category for category, permission in SENSITIVE_PERMISSIONS.items() if user.has_perm(permission))


def _sexual_case(case: Case) -> bool:
    from masarat.cases.vocabulary import ExploitationForm
    from masarat.referrals.vocabulary import Indicator

    forms = {row.form for row in case.exploitation_forms.all()}
    referral = getattr(case, "referral", None)
    indicators = {row.indicator for row in referral.indicators.all()} if referral is not None else set()
    # An indicator already masked for this reader ("restricted") was the violence indicator.
    masked = any(getattr(value, "category", None) == SensitiveCategory.SEXUAL_VIOLENCE for value in indicators)
    return ExploitationForm.SEXUAL_EXPLOITATION in forms or Indicator.VIOLENCE in indicators or masked


def sensitive_fields(row: object, case: Case) -> dict[str, SensitiveCategory]:
    """Which fields of a record of ``case`` hold a sensitive category (the one list of them).

    The account of the circumstances when the exploitation is sexual or violence was observed, and the
    violence indicator itself; a screening with an indicator set on sexual exploitation (its notes and
    answers); health needs of the assistance plan; notes of a medical age assessment; medical
    certificates (their name and file); notes and delivery records of medical and psychological services.
    """
    label = row._meta.label  # type: ignore[attr-defined]
    health, sexual = SensitiveCategory.HEALTH, SensitiveCategory.SEXUAL_VIOLENCE
    if label == "referrals.Referral":
        return {"circumstances": sexual} if _sexual_case(case) else {}
    if label == "referrals.ReferralIndicator":
        from masarat.referrals.vocabulary import Indicator

        return {"indicator": sexual} if row.indicator == Indicator.VIOLENCE else {}  # type: ignore[attr-defined]
    if label == "screening.Assessment":
        return {"notes": sexual} if row.indicator_set.exploitation == SEXUAL_SCREENING else {}  # type: ignore[attr-defined]
    if label == "care.AssistancePlan":
        return {"health_needs": health}
    if label == "care.AgeAssessment":
        return {"notes": health} if row.method == "medical" else {}  # type: ignore[attr-defined]
    if label == "documents.CaseDocument":
        return {"filename": health} if row.kind == "medical_certificate" else {}  # type: ignore[attr-defined]
    if label == "pathways.ServiceReferral":
        return {"note": health, "delivery_note": health} if row.kind in MEDICAL_SERVICES else {}  # type: ignore[attr-defined]
    return {}
