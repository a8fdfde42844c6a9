from __future__ import annotations

from typing import TYPE_CHECKING, Any

from masarat.audit.context import current_request
from masarat.audit.models import AuditEvent

if TYPE_CHECKING:
    from masarat.accounts.models import User


def record_event(
    *,
    actor: User | None,
    action: str,
    target_type: str,
    target_id: str = "",
    case_reference: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the audit trail. Call it inside the transaction of the change."""
    context = current_request.get()
    return AuditEvent.objects.create(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        case_reference=case_reference,
        ip_address=context.ip_address,
        channel=context.channel,
        details=details or {},
    )
