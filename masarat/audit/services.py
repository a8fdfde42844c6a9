from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from masarat.audit.chain import CHAIN_LOCK_KEY, GENESIS_HASH, canonical_parts, event_hash, lock_chain
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
    that concurrent transactions append one after the other instead of forking it. On PostgreSQL
    the append is one statement (``_append_in_database``); called outside a transaction (a read),
    that statement is its own transaction, so the chain is locked for the append and its commit only.
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
    if connection.vendor == "postgresql":
        return _append_in_database(event)
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


def _append_in_database(event: AuditEvent) -> AuditEvent:
    """Append ``event`` with the function of migration 0006: the database takes the chain's lock,
    reads its head, stamps the moment, hashes the canonical form (its pieces computed here by
    ``canonical_parts``, the same bytes as ``canonical``) and inserts the event, in one round trip."""
    head, middle, tail = canonical_parts(vars(event))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM audit_auditevent_append(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [CHAIN_LOCK_KEY, event.actor_id, event.actor_username, event.action, event.target_type, event.target_id,
             event.case_reference, event.ip_address, event.channel, json.dumps(event.details), head, middle, tail],
        )
        event.pk, event.sequence, event.at, event.previous_hash, event.hash = cursor.fetchone()
    event._state.adding = False
    return event
