from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from masarat.audit.chain import GENESIS_HASH, event_hash, lock_chain
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
    """Append one event to the audit trail. Call it inside the transaction of the change.

    The event is chained to the last one; the chain stays locked until the transaction ends, so
    that concurrent transactions append one after the other instead of forking it.
    """
    context = current_request.get()
    event = AuditEvent(
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        action=action,
        target_type=target_type,
        target_id=target_id,
        case_reference=case_reference,
        ip_address=context.ip_address,
        channel=context.channel,
        # As the database gives it back (tuples become lists…), since that is what is verified.
        details=json.loads(json.dumps(details or {})),
    )
    # Without an enclosing transaction (a read outside any), this one holds the lock until the event is saved.
    with transaction.atomic(savepoint=False):
        lock_chain()
        event.at = timezone.now()  # taken under the lock, so that times follow the sequence
        last = AuditEvent.objects.order_by("-sequence").values("sequence", "hash").first()
        event.sequence = last["sequence"] + 1 if last else 1
        event.previous_hash = last["hash"] if last else GENESIS_HASH
        event.hash = event_hash(vars(event), event.previous_hash)
        event.save(force_insert=True)
    return event
