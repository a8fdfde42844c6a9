"""Every change of a case. Each service checks the policy, checks the version the user saw,
moves the state machine, writes the timeline and the audit event, all in one transaction."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import CoordinationScope, Role, User
from masarat.audit.services import record_event
from masarat.cases.lifecycle import (
    AWAITING_FORMAL,
    AWAITING_PRELIMINARY,
    Action,
    IllegalTransition,
    Status,
    next_status,
)
from masarat.cases.models import Case, CaseClosure, CaseEvent, Decision, EmergencyAccess, ReferenceCounter
from masarat.cases.schedule import apply_deadline, local_date, reflection_period_end, reflection_period_running
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage, ReviewOutcome
from masarat.deadlines.calendar import working_calendar
from masarat.notifications.models import Kind
from masarat.notifications.services import notify
from masarat.webhooks import services as webhooks
from masarat.webhooks.models import Event


class CaseChanged(Exception):
    """The case was changed by someone else since the user opened it."""

    def __init__(self) -> None:
        super().__init__(_("This case changed since you opened it. Reload it to see the changes."))


class DecisionRefused(Exception):
    """A decision that the rules of the mechanism do not allow now."""


def next_reference(year: int) -> str:
    """Take the next number of ``year`` under a row lock (must run inside a transaction)."""
    ReferenceCounter.objects.get_or_create(year=year)
    counter = ReferenceCounter.objects.select_for_update().get(year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{settings.MASARAT_REFERENCE_PREFIX}-{year}-{counter.last_number:06d}"


def _claim_version(case: Case, expected_version: int | None) -> None:
    """Bump the version, refusing if it moved since the user read it (no silent overwrite)."""
    rows = Case.objects.filter(pk=case.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if rows.update(version=F("version") + 1) != 1:
        raise CaseChanged
    case.refresh_from_db()


def claim_case_version(case: Case, expected_version: int | None) -> None:
    """For the records kept beside the lifecycle (plan, proceedings, documents): the same check."""
    _claim_version(case, expected_version)


def _transition(case: Case, action: Action, *, by: User, note: str = "", today: date | None = None) -> None:
    previous = case.status
    case.status = next_status(case.status, action, status_before_close=case.status_before_close)
    today = today or timezone.localdate()
    case.waiting_since = today
    apply_deadline(case, working_calendar())
    CaseEvent.objects.create(case=case, actor=by, action=action, from_status=previous,
                             to_status=case.status, note=note)


def case_deadlines_recompute(*, batch_size: int = 1000) -> int:
    """Recompute every open deadline (after a public holiday or a deadline setting changed).

    Works in batches by primary key, so it runs in bounded memory on a national database and can be
    interrupted and run again safely. Returns how many cases got a new deadline.
    """
    calendar = working_calendar()
    changed_total, last_pk = 0, 0
    while True:
        batch = list(Case.objects.filter(pk__gt=last_pk, waiting_since__isnull=False)
                     .exclude(status__in=(Status.CLOSED, Status.ANONYMOUS_NOTIFICATION))
                     .order_by("pk")[:batch_size])
        if not batch:
            return changed_total
        changed = [case for case in batch if apply_deadline(case, calendar)]
        Case.objects.bulk_update(changed, ["due_step", "due_on"])
        changed_total += len(changed)
        last_pk = batch[-1].pk


def _save(case: Case, by: User, action: str, details: dict[str, object] | None = None) -> None:
    case.save()
    record_event(actor=by, action=f"case.{action}", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference, details=details or {})


@transaction.atomic
def case_acknowledge(*, case: Case, by: User, expected_version: int | None) -> Case:
    policy.require(policy.can_decide(by, case))
    _claim_version(case, expected_version)
    if case.status != Status.REFERRED:
        raise IllegalTransition(case.status, Action.ACKNOWLEDGE)
    _acknowledge_if_needed(case, by)
    _save(case, by, Action.ACKNOWLEDGE)
    return case


def _acknowledge_if_needed(case: Case, by: User) -> None:
    if case.status == Status.REFERRED:
        # Deadlines of the preliminary decision run from the referral, not from the acknowledgement.
        _transition(case, Action.ACKNOWLEDGE, by=by, today=local_date(case.referred_at))
        case.acknowledged_at = timezone.now()
        if case.assigned_coordinator_id is None:
            _set_coordinator(case, by, by)


DECISION_ACTIONS = {
    (DecisionStage.PRELIMINARY, DecisionOutcome.POSITIVE): Action.PRELIMINARY_POSITIVE,
    (DecisionStage.PRELIMINARY, DecisionOutcome.NEGATIVE): Action.PRELIMINARY_NEGATIVE,
    (DecisionStage.PRELIMINARY, DecisionOutcome.MORE_INFORMATION): Action.PRELIMINARY_MORE_INFORMATION,
    (DecisionStage.FORMAL, DecisionOutcome.POSITIVE): Action.FORMAL_POSITIVE,
    (DecisionStage.FORMAL, DecisionOutcome.NEGATIVE): Action.FORMAL_NEGATIVE,
    (DecisionStage.FORMAL, DecisionOutcome.MORE_INFORMATION): Action.FORMAL_MORE_INFORMATION,
}


def decision_stage_due(case: Case) -> DecisionStage | None:
    """Which decision the case waits for now, if any."""
    if case.status in AWAITING_PRELIMINARY:
        return DecisionStage.PRELIMINARY
    if case.status in AWAITING_FORMAL:
        return DecisionStage.FORMAL
    return None


@transaction.atomic
def decision_record(
    *, case: Case, stage: str, outcome: str, reasons: str, by: User, expected_version: int | None,
) -> Decision:
    policy.require(policy.can_decide(by, case))
    if (stage, outcome) not in DECISION_ACTIONS:
        raise DecisionRefused(_("Unknown decision or outcome."))
    reasons = reasons.strip()
    if not reasons:
        raise DecisionRefused(_("Give the reasons for the decision."))
    _claim_version(case, expected_version)
    if stage != decision_stage_due(case):
        raise IllegalTransition(case.status, DECISION_ACTIONS[(DecisionStage(stage), DecisionOutcome(outcome))])
    today = timezone.localdate()
    if stage == DecisionStage.FORMAL and outcome != DecisionOutcome.MORE_INFORMATION \
            and case.reflection_ends_on and reflection_period_running(case, today):
        raise DecisionRefused(
            _("The recovery and reflection period runs until %(date)s; the formal decision can be recorded "
              "from that day.") % {"date": formats.date_format(case.reflection_ends_on, "SHORT_DATE_FORMAT")}
        )
    if stage == DecisionStage.FORMAL and outcome != DecisionOutcome.MORE_INFORMATION:
        from masarat.care.selectors import child_case_blockers  # care builds on cases

        blockers = child_case_blockers(case, today)
        if blockers:
            raise DecisionRefused(" ".join(blockers))
    _acknowledge_if_needed(case, by)
    decision = Decision.objects.create(case=case, stage=stage, outcome=outcome, reasons=reasons, decided_by=by)
    if stage == DecisionStage.PRELIMINARY and outcome == DecisionOutcome.POSITIVE:
        case.reflection_ends_on = reflection_period_end(today)
    _transition(case, DECISION_ACTIONS[(DecisionStage(stage), DecisionOutcome(outcome))], by=by,
                note=reasons, today=today)
    if stage == DecisionStage.PRELIMINARY and outcome != DecisionOutcome.MORE_INFORMATION:
        case.preliminary_decided_at = decision.decided_at
    if stage == DecisionStage.FORMAL and outcome != DecisionOutcome.MORE_INFORMATION:
        case.formal_decided_at = decision.decided_at
    _save(case, by, "decision", {"stage": stage, "outcome": outcome, "decision": decision.pk})
    webhooks.emit(event=Event.DECISION_RECORDED, reference=case.reference)
    notify(Kind.DECISION_RECORDED, case=case, by=by, params={"stage": stage, "outcome": outcome})
    if stage == DecisionStage.PRELIMINARY and outcome == DecisionOutcome.POSITIVE:
        _on_presumed_victim(case, by)
    return decision


def _on_presumed_victim(case: Case, by: User) -> None:
    """A presumed victim gets the service referrals of their protection pathway, to confirm or skip."""
    from masarat.pathways.services import pathway_propose  # the pathways app builds on the cases app

    pathway_propose(case=case, by=by)


@transaction.atomic
def decision_review(
    *, decision: Decision, confirm: bool, reasons: str, by: User, expected_version: int | None,
) -> Decision:
    case = decision.case
    policy.require(policy.can_decide(by, case))
    if decision.decided_by_id == by.pk:
        raise DecisionRefused(_("A negative decision must be reviewed by another decision maker."))
    if not decision.awaits_review:
        raise DecisionRefused(_("This decision does not await a second review."))
    reasons = reasons.strip()
    if not reasons:
        raise DecisionRefused(_("Give the reasons for the review."))
    _claim_version(case, expected_version)
    preliminary = decision.stage == DecisionStage.PRELIMINARY
    if confirm:
        action = Action.PRELIMINARY_REVIEW_CONFIRM if preliminary else Action.FORMAL_REVIEW_CONFIRM
    else:
        action = Action.PRELIMINARY_REVIEW_OVERTURN if preliminary else Action.FORMAL_REVIEW_OVERTURN
    today = timezone.localdate()
    if preliminary and not confirm:
        case.reflection_ends_on = reflection_period_end(today)
    _transition(case, action, by=by, note=reasons, today=today)
    decision.review_outcome = ReviewOutcome.CONFIRMED if confirm else ReviewOutcome.OVERTURNED
    decision.review_reasons = reasons
    decision.reviewed_by = by
    decision.reviewed_at = timezone.now()
    decision.save()
    _save(case, by, "review", {"decision": decision.pk, "review": decision.review_outcome})
    webhooks.emit(event=Event.DECISION_RECORDED, reference=case.reference)
    notify(Kind.DECISION_RECORDED, case=case, by=by,
           params={"stage": decision.stage, "review": decision.review_outcome})
    if preliminary and not confirm:
        _on_presumed_victim(case, by)
    return decision


@transaction.atomic
def case_request_reconsideration(*, case: Case, reason: str, by: User, expected_version: int | None) -> Case:
    policy.require(policy.can_request_reconsideration(by, case))
    if not reason.strip():
        raise DecisionRefused(_("Explain why the decision should be reconsidered."))
    _claim_version(case, expected_version)
    _transition(case, Action.REQUEST_RECONSIDERATION, by=by, note=reason.strip())
    _save(case, by, "reconsideration")
    return case


@transaction.atomic
def case_close(*, case: Case, reason: str, follow_up_plan: str, by: User, expected_version: int | None,
               follow_up_on: date | None = None) -> Case:
    policy.require(policy.can_close(by, case))
    if not reason.strip():
        raise DecisionRefused(_("Give the reason for closing the case."))
    if not follow_up_plan.strip():
        raise DecisionRefused(_("Give the follow-up plan: who checks on the person after closure, and how."))
    _claim_version(case, expected_version)
    previous = case.status
    _transition(case, Action.CLOSE, by=by, note=reason.strip())
    case.status_before_close = previous
    case.closed_at = timezone.now()
    CaseClosure.objects.create(case=case, closed_by=by, reason=reason.strip(),
                               follow_up_plan=follow_up_plan.strip(), follow_up_on=follow_up_on)
    _save(case, by, "close")
    webhooks.emit(event=Event.CASE_CLOSED, reference=case.reference)
    return case


@transaction.atomic
def case_reopen(*, case: Case, reason: str, by: User, expected_version: int | None) -> Case:
    """Reopen a closed case: its closures, with their reasons and follow-up plans, stay in its history."""
    policy.require(policy.can_close(by, case))
    if not reason.strip():
        raise DecisionRefused(_("Give the reason for reopening the case."))
    _claim_version(case, expected_version)
    _transition(case, Action.REOPEN, by=by, note=reason.strip())
    case.status_before_close = ""
    case.closed_at = None
    for closure in CaseClosure.objects.filter(case=case, reopened_at__isnull=True):
        closure.reopened_at, closure.reopened_by, closure.reopen_reason = timezone.now(), by, reason.strip()
        closure.save(update_fields=["reopened_at", "reopened_by", "reopen_reason"])
    _save(case, by, "reopen")
    return case


MINIMUM_EMERGENCY_REASON = 20


@transaction.atomic
def case_break_glass(*, user: User, reference: str, reason: str) -> EmergencyAccess:
    """Open a case outside one's scope for a few hours, for a written reason, flagged to the auditors."""
    policy.require(policy.can_break_glass(user))
    reason = " ".join(reason.split())
    if len(reason) < MINIMUM_EMERGENCY_REASON:
        raise DecisionRefused(_("Explain the emergency in a full sentence (%(count)s characters at least).")
                              % {"count": MINIMUM_EMERGENCY_REASON})
    case = Case.objects.filter(reference__iexact=reference.strip()).first()
    if case is None:
        raise DecisionRefused(_("No case has this reference."))
    hours = settings.MASARAT_EMERGENCY_ACCESS_HOURS
    access = EmergencyAccess.objects.create(user=user, case=case, reason=reason,
                                            expires_at=timezone.now() + timedelta(hours=hours))
    record_event(actor=user, action="case.break_glass", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference,
                 # The reason may describe the person: it stays encrypted on the access, out of the trail.
                 details={"emergency_access": access.pk, "hours": hours, "flagged": True})
    return access


def active_emergency_access(*, user: User, case: Case) -> EmergencyAccess | None:
    return EmergencyAccess.objects.filter(user=user, case=case, expires_at__gt=timezone.now()).first()


def assignable_coordinators(case: Case) -> list[User]:
    """Active coordinators who can decide on the case: national ones and those of its region."""
    return list(User.objects.filter(role=Role.COORDINATOR, is_active=True, agency__is_active=True)
                .filter(Q(coordination_scope=CoordinationScope.NATIONAL) | Q(agency__region=case.region))
                .select_related("agency").order_by("last_name", "first_name"))


@transaction.atomic
def case_assign_coordinator(*, case: Case, coordinator: User | None, by: User,
                            expected_version: int | None) -> Case:
    policy.require(policy.can_assign(by, case))
    if coordinator is not None and coordinator not in assignable_coordinators(case):
        raise DecisionRefused(_("Only an active coordinator of the case's region, or a national one, can be "
                                "assigned."))
    _claim_version(case, expected_version)
    _set_coordinator(case, coordinator, by)
    _save(case, by, "assign_coordinator", {"coordinator": coordinator.pk if coordinator else None})
    notify(Kind.CASE_ASSIGNED, case=case, by=by, assignee=coordinator)
    return case


def _set_coordinator(case: Case, coordinator: User | None, by: User) -> None:
    case.assigned_coordinator = coordinator
    CaseEvent.objects.create(case=case, actor=by, action="assign_coordinator", from_status=case.status,
                             to_status=case.status, note=str(coordinator) if coordinator else "")


def assignable_case_managers(case: Case) -> list[User]:
    return list(User.objects.filter(role=Role.CASE_MANAGER, is_active=True, agency__is_active=True,
                                    agency__region=case.region)
                .select_related("agency").order_by("last_name", "first_name"))


@transaction.atomic
def case_assign_case_manager(*, case: Case, case_manager: User | None, by: User,
                             expected_version: int | None) -> Case:
    policy.require(policy.can_assign(by, case))
    if case_manager is not None and case_manager not in assignable_case_managers(case):
        raise DecisionRefused(_("Only an active case manager of the case's region can be assigned."))
    _claim_version(case, expected_version)
    case.assigned_case_manager = case_manager
    CaseEvent.objects.create(case=case, actor=by, action="assign_case_manager",
                             from_status=case.status, to_status=case.status,
                             note=str(case_manager) if case_manager else "")
    _save(case, by, "assign_case_manager", {"case_manager": case_manager.pk if case_manager else None})
    notify(Kind.CASE_ASSIGNED, case=case, by=by, assignee=case_manager)
    return case
