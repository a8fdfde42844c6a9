"""The one place that decides who may see or do what.

Every view, API endpoint, export and admin page asks this module. A refusal to reach an
object is reported as "not found" (:class:`django.http.Http404`), so that a curious insider
cannot even learn that a case exists outside their scope.
"""

from __future__ import annotations

from datetime import date
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
    from masarat.cases.models import Case, Decision

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


def can_browse_audit(user: User) -> bool:
    return _active(user) and user.role == Role.AUDITOR


def can_administer(user: User) -> bool:
    return _active(user) and user.role == Role.ADMINISTRATOR


def can_manage_data_rights(user: User) -> bool:
    """Access-request exports, erasure on request and legal holds: the national coordination only."""
    return is_coordinator(user) and user.is_national_coordinator


def can_view_aggregates(user: User) -> bool:
    return _active(user) and user.role in (Role.ANALYST, Role.COORDINATOR)


def require(allowed: bool) -> None:
    """Refuse an action on an object the user can see, with a plain 403."""
    if not allowed:
        raise PermissionDenied
