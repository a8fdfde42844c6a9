from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max, Min, Q, QuerySet

from masarat.audit.models import AuditEvent


def audit_event_list(
    *, username: str = "", action: str = "", case_reference: str = "", since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.all()
    if username:
        events = events.filter(actor_username__iexact=username.strip())
    if action:
        events = events.filter(action__startswith=action.strip())
    if case_reference:
        events = events.filter(case_reference__iexact=case_reference.strip())
    if since:
        events = events.filter(at__date__gte=since)
    if until:
        events = events.filter(at__date__lte=until)
    return events


# --- Access reports, for the data protection officer ----------------------------------------

@dataclass(frozen=True)
class AccessLine:
    event: AuditEvent
    basis: str
    emergency_reason: str


def person_access_events(references: Iterable[str]) -> QuerySet[AuditEvent]:
    """Every event about these cases: reads, changes, and lists on which they appeared."""
    references = list(references)
    about = Q(case_reference__in=references)
    for reference in references:
        # A list's event names the cases it showed in its details; references are unique strings.
        about |= Q(details__icontains=f'"{reference}"')
    return AuditEvent.objects.filter(about).select_related("actor", "actor__agency")


def explain_access(events: Iterable[AuditEvent], case_ids: Iterable[int]) -> list[AccessLine]:
    """Attach to each read the ground it was allowed on, and an emergency access's written reason."""
    from masarat.cases.models import EmergencyAccess

    events = list(events)
    actors = {event.actor_id for event in events if event.actor_id}
    accesses = list(EmergencyAccess.objects.filter(case_id__in=list(case_ids), user_id__in=actors))
    lines = []
    for event in events:
        basis = str(event.details.get("basis", "")) if isinstance(event.details, dict) else ""
        reason = next((access.reason for access in accesses
                       if access.user_id == event.actor_id and access.granted_at <= event.at <= access.expires_at
                       and str(access.case_id) == event.target_id), "")
        lines.append(AccessLine(event, basis, reason))
    return lines


def user_case_reads(username: str) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor_username__iexact=username, action__endswith=".read")


def user_access_summary(username: str) -> QuerySet[AuditEvent, dict[str, Any]]:
    """Which case files a user read, how often, first and last time; most recent first.

    Rows are dictionaries: ``case_reference``, ``reads``, ``first``, ``last``.
    """
    return (
        user_case_reads(username).exclude(case_reference="").values("case_reference")
        .annotate(reads=Count("id"), first=Min("at"), last=Max("at")).order_by("-last", "case_reference")
    )
