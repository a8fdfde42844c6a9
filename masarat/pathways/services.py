"""Protection pathways: proposing a case's service referrals, sending them, the provider's answer,
escalation of refusals and silences, delivery, and transfer of case management.

Each function checks the policy, changes the data and writes the audit event in one transaction.
They are the hooks for notifications: ``pathway_propose`` (new proposals), ``referral_send`` (a
provider has a new referral), ``referral_accept`` / ``referral_decline`` (the sender has an answer),
``referrals_escalate_overdue`` (a coordinator has an escalation), ``transfer_request`` /
``transfer_respond``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import Role, User
from masarat.audit.services import record_event
from masarat.cases.models import Case, CaseEvent
from masarat.consent.services import require_consent
from masarat.consent.vocabulary import ConsentPurpose
from masarat.deadlines.calendar import working_calendar
from masarat.directory.eligibility import refusals
from masarat.directory.models import Service
from masarat.directory.vocabulary import ServiceKind
from masarat.notifications.models import Kind
from masarat.notifications.services import notify
from masarat.pathways.models import CaseTransfer, PathwayTemplate, ServiceReferral
from masarat.pathways.ranking import profile_of, suggest
from masarat.pathways.vocabulary import (
    AWAITING_SENDING,
    NationalityScope,
    Outcome,
    ReferralStatus,
    TransferStatus,
    consent_purpose,
)
from masarat.webhooks import services as webhooks
from masarat.webhooks.models import Event

MOROCCO = "MA"


class PathwayRefused(Exception):
    """A pathway move that the rules do not allow."""


class ReferralChanged(Exception):
    def __init__(self) -> None:
        super().__init__(_("This referral changed since you opened it. Reload it to see the changes."))


def _audit(by: User | None, action: str, referral: ServiceReferral, **details: object) -> None:
    record_event(actor=by, action=f"service_referral.{action}", target_type="service_referral",
                 target_id=str(referral.pk), case_reference=referral.case.reference,
                 details={"kind": referral.kind, **details})


def _claim(referral: ServiceReferral, expected_version: int | None) -> None:
    rows = ServiceReferral.objects.filter(pk=referral.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) != 1:
        raise ReferralChanged
    referral.refresh_from_db()


def response_hours(kind: str) -> int:
    """How long a provider has to accept or decline a referral of this kind."""
    if kind == ServiceKind.EMERGENCY_SHELTER:
        return int(settings.MASARAT_EMERGENCY_SHELTER_RESPONSE_HOURS)
    return int(settings.MASARAT_REFERRAL_RESPONSE_HOURS)


# --- Pathways ---------------------------------------------------------------------------------

def _fits(template: PathwayTemplate, case: Case, forms: set[str]) -> bool:
    national = str(case.nationality or "") == MOROCCO
    if template.nationality == NationalityScope.NATIONAL and not national:
        return False
    if template.nationality == NationalityScope.FOREIGN and (national or not case.nationality):
        return False
    return not template.exploitation_form or template.exploitation_form in forms


def pathway_for_case(case: Case) -> PathwayTemplate | None:
    """The most specific active pathway for the case's profile; a child only ever gets a child pathway."""
    forms = {item.form for item in case.exploitation_forms.all()}
    fitting = [template for template in PathwayTemplate.objects.filter(is_active=True, for_child=case.is_child)
               if _fits(template, case, forms)]
    if not fitting:
        return None

    def specificity(template: PathwayTemplate) -> tuple[int, str]:
        return (-((template.nationality != NationalityScope.ANY) + bool(template.exploitation_form)), template.code)

    return min(fitting, key=specificity)


@transaction.atomic
def pathway_propose(*, case: Case, by: User, template: PathwayTemplate | None = None,
                    today: date | None = None) -> list[ServiceReferral]:
    """Propose the referrals of the case's pathway (called when a case gets a positive preliminary
    decision). Proposing twice adds only the services not yet proposed."""
    template = template or pathway_for_case(case)
    if template is None:
        return []
    if template.for_child != case.is_child:
        raise PathwayRefused(_("A child's case cannot follow an adult pathway.") if case.is_child
                             else _("An adult's case cannot follow a child pathway."))
    today = today or timezone.localdate()
    calendar = working_calendar()
    already = set(case.service_referrals.values_list("kind", flat=True))
    proposed = [
        ServiceReferral.objects.create(
            case=case, kind=step.kind, template=template, status=ReferralStatus.PROPOSED, created_by=by,
            due_on=calendar.add_working_days(today, step.due_working_days),
        )
        for step in template.steps.all() if step.kind not in already
    ]
    record_event(actor=by, action="pathway.propose", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference, details={"pathway": template.code,
                                                         "services": [item.kind for item in proposed]})
    if proposed:
        notify(Kind.PATHWAY_PROPOSED, case=case, by=by, params={"count": len(proposed)})
    return proposed


@transaction.atomic
def pathway_add_service(*, case: Case, kind: str, by: User, due_on: date | None = None) -> ServiceReferral:
    """Add a service that the pathway did not list (a change of the proposal)."""
    policy.require(policy.can_manage_pathway(by, case))
    referral = ServiceReferral.objects.create(case=case, kind=ServiceKind(kind), status=ReferralStatus.PROPOSED,
                                              created_by=by, due_on=due_on or timezone.localdate())
    _audit(by, "add", referral)
    return referral


def providers_tried(case: Case, kind: str) -> set[int]:
    """Providers already asked for this service for this case (not to be suggested again)."""
    return set(ServiceReferral.objects.filter(case=case, kind=kind, service__isnull=False)
               .values_list("service__provider_id", flat=True))


def _follow_up_target(referral: ServiceReferral, by: User) -> ServiceReferral:
    """The row that carries the next move: the proposal itself, or a new row after a refusal."""
    if referral.status == ReferralStatus.PROPOSED:
        return referral
    follow_up = ServiceReferral.objects.create(case=referral.case, kind=referral.kind, template=referral.template,
                                               status=ReferralStatus.PROPOSED, created_by=by, due_on=referral.due_on)
    referral.followed_up_by = follow_up
    referral.save(update_fields=["followed_up_by"])
    return follow_up


def _check_awaits_sending(referral: ServiceReferral) -> None:
    if referral.status not in AWAITING_SENDING or referral.followed_up_by_id is not None:
        raise PathwayRefused(_("This referral was already dealt with."))


@transaction.atomic
def referral_send(*, referral: ServiceReferral, service: Service, by: User, note: str = "",
                  override_reason: str = "", expected_version: int | None = None,
                  now: datetime | None = None) -> ServiceReferral:
    """Send a proposed (or declined, or unanswered) referral to a provider, once consent is checked."""
    case = referral.case
    policy.require(policy.can_manage_pathway(by, case))
    _claim(referral, expected_version)
    _check_awaits_sending(referral)
    if service.kind != referral.kind or not service.is_active:
        raise PathwayRefused(_("This provider does not offer this service."))
    refused = refusals(service, profile_of(case))
    if refused:
        raise PathwayRefused(_("This provider cannot take the person: %(reasons)s.") % {"reasons": "; ".join(refused)})
    suggestions = suggest(case, referral.kind, exclude_providers=providers_tried(case, referral.kind))
    if suggestions and suggestions[0].service.pk != service.pk and not note.strip():
        raise PathwayRefused(_("Say why you chose another provider than the first suggestion."))
    override = require_consent(case, consent_purpose(referral.kind), by=by, override_reason=override_reason)
    target = _follow_up_target(referral, by)
    now = now or timezone.now()
    target.status = ReferralStatus.SENT
    target.service = service
    target.sent_at, target.sent_by = now, by
    target.response_due_at = now + timedelta(hours=response_hours(target.kind))
    target.note = note.strip()
    target.consent_override = override
    target.save()
    _audit(by, "send", target, provider=service.provider_id, service=service.pk,
           override=override.pk if override else None)
    notify(Kind.SERVICE_REFERRAL_RECEIVED, case=case, by=by, referral=target, params={"service": target.kind})
    return target


@transaction.atomic
def referral_skip(*, referral: ServiceReferral, reason: str, by: User,
                  expected_version: int | None = None) -> ServiceReferral:
    """Do not offer this service (or no other provider after a refusal), for a reason."""
    policy.require(policy.can_manage_pathway(by, referral.case))
    if not reason.strip():
        raise PathwayRefused(_("Give the reason for skipping this service."))
    _claim(referral, expected_version)
    _check_awaits_sending(referral)
    target = _follow_up_target(referral, by)
    target.status = ReferralStatus.SKIPPED
    target.skip_reason = reason.strip()
    target.save()
    _audit(by, "skip", target)
    return target


def _begin_answer(referral: ServiceReferral, by: User, expected_version: int | None,
                  allowed: Callable[[User, ServiceReferral], bool], *, text: str | None = None,
                  missing: str = "") -> None:
    """Check who answers (again once the row is claimed, as it is now) and that a required text is given."""
    policy.require(allowed(by, referral))
    if text is not None and not text.strip():
        raise PathwayRefused(missing)
    _claim(referral, expected_version)
    policy.require(allowed(by, referral))


@transaction.atomic
def referral_accept(*, referral: ServiceReferral, by: User, expected_version: int | None = None) -> ServiceReferral:
    _begin_answer(referral, by, expected_version, policy.can_respond_to_referral)
    referral.status = ReferralStatus.ACCEPTED
    referral.responded_at, referral.responded_by = timezone.now(), by
    referral.save()
    _audit(by, "accept", referral)
    webhooks.emit(event=Event.SERVICE_REFERRAL_ANSWERED, reference=referral.case.reference)
    notify(Kind.SERVICE_REFERRAL_ACCEPTED, case=referral.case, by=by, referral=referral,
           params={"service": referral.kind})
    return referral


@transaction.atomic
def referral_decline(*, referral: ServiceReferral, reason: str, by: User,
                     expected_version: int | None = None) -> ServiceReferral:
    """The provider declines, with a reason; the coordinator gets it with the next suggestion."""
    _begin_answer(referral, by, expected_version, policy.can_respond_to_referral, text=reason,
                  missing=_("Give the reason for declining."))
    referral.status = ReferralStatus.DECLINED
    referral.responded_at, referral.responded_by = timezone.now(), by
    referral.decline_reason = reason.strip()
    _escalate(referral, timezone.now())
    _audit(by, "decline", referral, next_suggestion=referral.next_suggestion_id)
    webhooks.emit(event=Event.SERVICE_REFERRAL_ANSWERED, reference=referral.case.reference)
    notify(Kind.SERVICE_REFERRAL_DECLINED, case=referral.case, by=by, referral=referral,
           params={"service": referral.kind})
    return referral


def _escalate(referral: ServiceReferral, now: datetime) -> None:
    case = referral.case
    tried = providers_tried(case, referral.kind)
    suggestions = suggest(case, referral.kind, exclude_providers=tried)
    referral.escalated_at = now
    referral.escalated_to = case.assigned_coordinator
    referral.next_suggestion = suggestions[0].service if suggestions else None
    referral.save()


def referrals_escalate_overdue(*, now: datetime | None = None, batch_size: int = 200) -> int:
    """Referrals without an answer in time: marked unanswered and escalated to the case's coordinator.

    Run by a timer (``masarat pathways escalate``); each referral is handled in its own transaction,
    so an interruption loses nothing and running it again escalates nothing twice.
    """
    now = now or timezone.now()
    done = 0
    while True:
        pks = list(ServiceReferral.objects.filter(status=ReferralStatus.SENT, response_due_at__lt=now)
                   .order_by("pk").values_list("pk", flat=True)[:batch_size])
        if not pks:
            return done
        for pk in pks:
            with transaction.atomic():
                referral = (ServiceReferral.objects.select_for_update().select_related("case")
                            .filter(pk=pk, status=ReferralStatus.SENT).first())
                if referral is None:
                    continue
                referral.status = ReferralStatus.EXPIRED
                referral.version += 1
                _escalate(referral, now)
                _audit(None, "expire", referral, next_suggestion=referral.next_suggestion_id)
                notify(Kind.SERVICE_REFERRAL_ESCALATED, case=referral.case, by=None, referral=referral,
                       params={"service": referral.kind})
                done += 1


@transaction.atomic
def referral_record_delivery(*, referral: ServiceReferral, note: str, outcome: str, by: User,
                             expected_version: int | None = None) -> ServiceReferral:
    """What was delivered and its outcome, by the provider or the case's coordinator or case manager."""
    _begin_answer(referral, by, expected_version, policy.can_record_delivery, text=note,
                  missing=_("Say what was delivered."))
    referral.status = ReferralStatus.DELIVERED
    referral.delivered_at, referral.delivered_by = timezone.now(), by
    referral.delivery_note = note.strip()
    referral.outcome = Outcome(outcome)
    referral.save()
    _audit(by, "deliver", referral, outcome=outcome)
    notify(Kind.SERVICE_DELIVERED, case=referral.case, by=by, referral=referral, params={"service": referral.kind})
    return referral


# --- Transfer of case management -------------------------------------------------------------

def transfer_candidates(case: Case) -> list[User]:
    """Active case managers of another agency than the current owner's (inside the agency, assign instead)."""
    users = User.objects.filter(role=Role.CASE_MANAGER, is_active=True, agency__is_active=True)
    if case.assigned_case_manager_id is not None:
        users = users.exclude(Q(pk=case.assigned_case_manager_id)
                              | Q(agency_id=case.assigned_case_manager.agency_id))  # type: ignore[union-attr]
    return list(users.select_related("agency").order_by("agency__name", "last_name", "first_name"))


@transaction.atomic
def transfer_request(*, case: Case, to_user: User, reason: str, by: User, override_reason: str = "") -> CaseTransfer:
    policy.require(policy.can_transfer_case(by, case))
    if to_user not in transfer_candidates(case):
        raise PathwayRefused(_("Case management can move only to an active case manager of another agency."))
    if not reason.strip():
        raise PathwayRefused(_("Give the reason for the transfer."))
    if case.transfers.filter(status=TransferStatus.PENDING).exists():
        raise PathwayRefused(_("A transfer of this case already awaits an answer."))
    override = require_consent(case, ConsentPurpose.CASE_TRANSFER, by=by, override_reason=override_reason)
    transfer = CaseTransfer.objects.create(case=case, from_user=case.assigned_case_manager, to_user=to_user,
                                           reason=reason.strip(), requested_by=by)
    record_event(actor=by, action="case_transfer.request", target_type="case_transfer", target_id=str(transfer.pk),
                 case_reference=case.reference,
                 details={"to": to_user.pk, "override": override.pk if override else None})
    notify(Kind.TRANSFER_REQUESTED, case=case, by=by, transfer=transfer)
    return transfer


@transaction.atomic
def transfer_respond(*, transfer: CaseTransfer, accept: bool, by: User, reason: str = "") -> CaseTransfer:
    """The receiver accepts (and becomes the case manager) or declines with a reason."""
    if transfer.to_user_id != by.pk or transfer.status != TransferStatus.PENDING:
        raise PathwayRefused(_("This transfer does not await your answer."))
    if not accept and not reason.strip():
        raise PathwayRefused(_("Give the reason for declining."))
    case = transfer.case
    if accept:
        Case.objects.filter(pk=case.pk).update(assigned_case_manager=by, version=F("version") + 1)
        CaseEvent.objects.create(case=case, actor=by, action="assign_case_manager", from_status=case.status,
                                 to_status=case.status, note=_("Transfer of case management accepted"))
    transfer.status = TransferStatus.ACCEPTED if accept else TransferStatus.DECLINED
    transfer.responded_at = timezone.now()
    transfer.response_reason = reason.strip()
    transfer.save()
    record_event(actor=by, action=f"case_transfer.{'accept' if accept else 'decline'}", target_type="case_transfer",
                 target_id=str(transfer.pk), case_reference=case.reference)
    case.refresh_from_db()
    notify(Kind.TRANSFER_ANSWERED, case=case, by=by, transfer=transfer, params={"accepted": accept})
    return transfer


def pending_sending(referrals: Iterable[ServiceReferral]) -> list[ServiceReferral]:
    return [referral for referral in referrals
            if referral.status == ReferralStatus.PROPOSED or referral.awaits_follow_up]
