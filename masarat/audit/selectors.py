from __future__ import annotations

from datetime import date

from django.db.models import QuerySet

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
