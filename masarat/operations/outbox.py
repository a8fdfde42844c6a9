"""What the outboxes share (webhook deliveries, e-mails): recording an attempt, and draining what is due.

Each outbox row has ``attempts``, ``status``, ``last_error`` and ``next_attempt_at``; a worker claims
one due row at a time in its own transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL),
sends it, and records the outcome in that same transaction with :func:`record_attempt`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

MAX_BACKOFF = timedelta(hours=6)


def backoff(attempts: int) -> timedelta:
    """Wait before the next attempt: the base delay, doubled after each failure, at most six hours."""
    delay = timedelta(seconds=settings.MASARAT_WEBHOOK_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))
    return min(delay, MAX_BACKOFF)


def record_attempt(row: models.Model, *, ok: bool, error: str, max_attempts: int, done: Any, dead: Any,
                   done_at: str) -> None:
    """Count one attempt of ``row``: done (status ``done``, time in ``done_at``), or failed and retried
    after the backoff, or given up (status ``dead``) after ``max_attempts``."""
    item: Any = row
    item.attempts += 1
    if ok:
        item.status, item.last_error = done, ""
        setattr(item, done_at, timezone.now())
    else:
        item.last_error = error[:300]
        if item.attempts >= max_attempts:
            item.status = dead
        else:
            item.next_attempt_at = timezone.now() + backoff(item.attempts)
    row.save(update_fields=["attempts", "status", done_at, "last_error", "next_attempt_at"])


def drain(next_one: Callable[[], object | None], *, limit: int) -> int:
    """Handle due rows one by one, up to ``limit``; returns how many were attempted."""
    done = 0
    while done < limit and next_one() is not None:
        done += 1
    return done
