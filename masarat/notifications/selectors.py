"""Who is told of what (recipients, always checked against the access policy), and the reads of
the inbox. The text of a notification is written here, at display time, in the reader's language."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import CoordinationScope, Role, User
from masarat.cases.models import Case, DeadlineStep
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage, ReviewOutcome
from masarat.directory.vocabulary import ServiceKind
from masarat.notifications.models import Kind, Notification, Target

if TYPE_CHECKING:
    from masarat.pathways.models import CaseTransfer, ServiceReferral


def _active_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True, agency__is_active=True).select_related("agency")


def _only(users: Iterable[User | None], allowed: Callable[[User], bool], by: User | None) -> list[User]:
    """Distinct users, never the one who made the change, and only those the policy lets open the thing."""
    seen: dict[int, User] = {}
    for user in users:
        if user is None or user.pk in seen or (by is not None and user.pk == by.pk):
            continue
        if allowed(user):
            seen[user.pk] = user
    return list(seen.values())


def coordinators_of(case: Case) -> QuerySet[User]:
    """Active coordinators whose scope covers the case: its region's, and the national ones."""
    return _active_users().filter(role=Role.COORDINATOR).filter(
        Q(coordination_scope=CoordinationScope.NATIONAL) | Q(agency__region=case.region))


def holders_of(case: Case) -> list[User | None]:
    """Who works on the case now: its coordinator and its case manager (either may be unset)."""
    return [case.assigned_coordinator, case.assigned_case_manager]


@dataclass(frozen=True)
class Audience:
    users: list[User]
    target: str
    object_id: int | None = None


def audience(kind: Kind, *, case: Case, by: User | None, referral: ServiceReferral | None = None,
             transfer: CaseTransfer | None = None, assignee: User | None = None) -> Audience:
    """The recipients of one event and what their notification opens. Nobody is told of something
    they could not open: every recipient passes the policy function of the page the item links to."""
    def file_open(user: User) -> bool:
        return policy.can_open_case_file(user, case)

    if kind == Kind.NEW_REFERRAL:
        return Audience(_only(coordinators_of(case), lambda user: policy.can_decide(user, case), by), Target.CASE)
    if kind == Kind.DECISION_RECORDED:
        agency_users = _active_users().filter(agency_id=case.referring_agency_id,
                                              role__in=policy.REFERRING_ROLES)
        return Audience(_only(agency_users, lambda user: policy.can_follow_referral(user, case), by),
                        Target.REFERRAL_STATUS)
    if kind == Kind.CASE_ASSIGNED:
        return Audience(_only([assignee], file_open, by), Target.CASE)
    if kind == Kind.SERVICE_REFERRAL_RECEIVED:
        assert referral is not None and referral.service is not None
        provider_users = _active_users().filter(agency_id=referral.service.provider_id, role=Role.SERVICE_PROVIDER)
        return Audience(_only(provider_users, lambda user: policy.can_open_service_referral(user, referral), by),
                        Target.PROVIDER_REFERRAL, referral.pk)
    if kind in (Kind.SERVICE_REFERRAL_ACCEPTED, Kind.SERVICE_REFERRAL_DECLINED, Kind.SERVICE_REFERRAL_ESCALATED,
                Kind.SERVICE_DELIVERED):
        assert referral is not None
        people: list[User | None] = [*holders_of(case), referral.sent_by]
        if not any(holders_of(case)):
            people += list(coordinators_of(case).exclude(coordination_scope=CoordinationScope.NATIONAL))
        return Audience(_only(people, lambda user: policy.can_manage_pathway(user, case), by), Target.CASE)
    if kind == Kind.PATHWAY_PROPOSED:
        return Audience(_only(holders_of(case), lambda user: policy.can_manage_pathway(user, case), by), Target.CASE)
    if kind == Kind.TRANSFER_REQUESTED:
        assert transfer is not None
        return Audience(_only([transfer.to_user], lambda user: policy.can_answer_transfer(user, transfer), by),
                        Target.TRANSFER, transfer.pk)
    if kind == Kind.TRANSFER_ANSWERED:
        assert transfer is not None
        return Audience(_only([transfer.requested_by, transfer.from_user, case.assigned_coordinator], file_open, by),
                        Target.CASE)
    if kind == Kind.HEARING_SOON:
        people = holders_of(case)
        if case.assigned_coordinator is None:
            people += list(coordinators_of(case).exclude(coordination_scope=CoordinationScope.NATIONAL))
        return Audience(_only(people, lambda user: policy.can_follow_proceedings(user, case), by), Target.PROCEEDINGS)
    if kind == Kind.DEADLINE_OVERDUE:
        people = holders_of(case)
        if case.assigned_coordinator is None:
            people += list(coordinators_of(case).exclude(coordination_scope=CoordinationScope.NATIONAL))
        return Audience(_only(people, lambda user: policy.can_decide(user, case), by), Target.CASE)
    raise ValueError(kind)


# --- Reading the inbox ---------------------------------------------------------------------------

def inbox(*, viewer: User, unread_only: bool = False) -> QuerySet[Notification]:
    """The viewer's own notifications, unread first, newest first."""
    items = Notification.objects.filter(recipient=viewer) if policy.can_use_inbox(viewer) \
        else Notification.objects.none()
    if unread_only:
        items = items.filter(read_at__isnull=True)
    return items.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")


def unread_count(*, viewer: User) -> int:
    if not policy.can_use_inbox(viewer):
        return 0
    return Notification.objects.filter(recipient=viewer, read_at__isnull=True).count()


def link_to_open(notification: Notification) -> str:
    """The inbox's own link: it marks the notification read, then opens what it points to."""
    return reverse("inbox-open", args=[notification.pk])


def link(notification: Notification) -> str:
    if notification.target == Target.REFERRAL_STATUS:
        return reverse("referral-status", args=[notification.reference])
    if notification.target == Target.PROVIDER_REFERRAL:
        return reverse("provider-referral", args=[notification.object_id])
    if notification.target == Target.TRANSFER:
        return reverse("transfer-respond", args=[notification.object_id])
    if notification.target == Target.PROCEEDINGS:
        return reverse("case-proceedings", args=[notification.reference])
    return reverse("case", args=[notification.reference])


def _label(choices: Any, value: object) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value)


def _date(value: object) -> str:
    return formats.date_format(date.fromisoformat(str(value)), "SHORT_DATE_FORMAT") if value else ""


def describe(notification: Notification) -> str:
    """The sentence shown for a notification, in the active language (codes only, never a name)."""
    params = notification.params
    values: dict[str, object] = {"reference": notification.reference}
    if "service" in params:
        values["service"] = _label(ServiceKind, params["service"])
    kind = notification.kind
    if kind == Kind.NEW_REFERRAL:
        return _("New referral %(reference)s: acknowledge it and take the preliminary decision.") % values
    if kind == Kind.DECISION_RECORDED:
        values["stage"] = _label(DecisionStage, params.get("stage", ""))
        if "review" in params:
            values["review"] = _label(ReviewOutcome, params["review"])
            return _("Referral %(reference)s, second review (%(stage)s): %(review)s.") % values
        values["outcome"] = _label(DecisionOutcome, params.get("outcome", ""))
        return _("Referral %(reference)s, %(stage)s: %(outcome)s.") % values
    if kind == Kind.CASE_ASSIGNED:
        return _("Case %(reference)s was assigned to you.") % values
    if kind == Kind.PATHWAY_PROPOSED:
        values["count"] = params.get("count", 0)
        return _("Case %(reference)s: %(count)s service referrals of the protection pathway await sending.") % values
    if kind == Kind.SERVICE_REFERRAL_RECEIVED:
        return _("New service referral (%(service)s) for case %(reference)s: accept or decline it.") % values
    if kind == Kind.SERVICE_REFERRAL_ACCEPTED:
        return _("Case %(reference)s: the provider accepted the service referral (%(service)s).") % values
    if kind == Kind.SERVICE_REFERRAL_DECLINED:
        return _("Case %(reference)s: the provider declined the service referral (%(service)s); "
                 "choose another provider.") % values
    if kind == Kind.SERVICE_REFERRAL_ESCALATED:
        return _("Case %(reference)s: the service referral (%(service)s) was not answered in time; "
                 "choose another provider.") % values
    if kind == Kind.SERVICE_DELIVERED:
        return _("Case %(reference)s: the service (%(service)s) was delivered.") % values
    if kind == Kind.TRANSFER_REQUESTED:
        return _("The management of case %(reference)s is offered to you: accept or decline it.") % values
    if kind == Kind.TRANSFER_ANSWERED:
        if params.get("accepted"):
            return _("Case %(reference)s: the transfer of case management was accepted.") % values
        return _("Case %(reference)s: the transfer of case management was declined.") % values
    if kind == Kind.DEADLINE_OVERDUE:
        values["step"] = _label(DeadlineStep, params.get("step", ""))
        values["date"] = _date(params.get("due_on"))
        return _("Case %(reference)s is overdue: %(step)s was due on %(date)s.") % values
    if kind == Kind.HEARING_SOON:
        values["date"] = _date(params.get("on"))
        return _("Case %(reference)s: a hearing is set for %(date)s; prepare and accompany the person.") % values
    return notification.reference
