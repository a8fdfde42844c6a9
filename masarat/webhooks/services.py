"""The outbox of webhook deliveries: written with each change, posted by ``masarat worker``.

Claiming is safe with several workers: each delivery is taken with ``SELECT … FOR UPDATE SKIP
LOCKED`` (PostgreSQL) in its own transaction, which lasts while it is posted. A worker killed
mid-delivery leaves its transaction unfinished: the row is released, still pending, and sent
again with the same delivery id, so a receiver that deduplicates on ``Masarat-Delivery`` sees
each event exactly once. (On SQLite, run a single worker.)
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.operations.outbox import drain, record_attempt
from masarat.webhooks.models import Delivery, DeliveryStatus, Event, Subscription
from masarat.webhooks.signing import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign


def emit(*, event: Event, reference: str, at: datetime | None = None) -> int:
    """Queue an event for every active subscription to it. Call it inside the change's transaction."""
    moment = at or timezone.now()
    subscriptions = [row for row in Subscription.objects.filter(is_active=True).only("id", "events")
                     if event.value in row.events]
    Delivery.objects.bulk_create(
        Delivery(subscription=row, event=event.value, case_reference=reference, occurred_at=moment,
                 next_attempt_at=moment)
        for row in subscriptions
    )
    return len(subscriptions)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    error: str = ""


Post = Callable[[str, bytes, dict[str, str]], Outcome]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: the delivery goes to the address the administrator entered, nowhere else."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def http_post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)  # noqa: S310 (http(s) only)
    try:
        with _opener.open(request, timeout=settings.MASARAT_WEBHOOK_TIMEOUT_SECONDS) as response:
            return Outcome(200 <= response.status < 300, f"HTTP {response.status}")
    except urllib.error.HTTPError as error:
        return Outcome(False, f"HTTP {error.code}")
    except (urllib.error.URLError, OSError, ValueError) as error:
        return Outcome(False, str(getattr(error, "reason", error))[:300])


def deliver_next(*, post: Post = http_post, now: datetime | None = None) -> Delivery | None:
    """Claim one due delivery, post it, record the outcome; ``None`` when nothing is due."""
    with transaction.atomic():
        moment = now or timezone.now()
        delivery = (Delivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=moment)
                    .select_related("subscription").order_by("next_attempt_at", "occurred_at").first())
        if delivery is None:
            return None
        body = json.dumps(delivery.payload, separators=(",", ":")).encode()
        subscription = delivery.subscription
        outcome = post(subscription.url, body, {
            "Content-Type": "application/json", SIGNATURE_HEADER: sign(subscription.secret, body),
            DELIVERY_HEADER: str(delivery.id), EVENT_HEADER: delivery.event, "User-Agent": "Masarat-Webhooks",
        }) if subscription.is_active else Outcome(False, "subscription inactive")
        record_attempt(delivery, ok=outcome.ok, error=outcome.error, max_attempts=settings.MASARAT_WEBHOOK_MAX_ATTEMPTS,
                       done=DeliveryStatus.DELIVERED, dead=DeliveryStatus.DEAD, done_at="delivered_at")
        return delivery


def deliver_due(*, limit: int = 100, post: Post = http_post) -> int:
    """Deliver what is due, up to ``limit`` deliveries; returns how many were attempted."""
    return drain(lambda: deliver_next(post=post), limit=limit)


@transaction.atomic
def replay(*, deliveries: list[Delivery], by: User | None) -> int:
    """Send dead letters again (after the receiver is fixed): same delivery ids, attempts from zero."""
    ids = [row.pk for row in deliveries if row.status == DeliveryStatus.DEAD]
    count = Delivery.objects.filter(pk__in=ids).update(
        status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error="")
    record_event(actor=by, action="webhook.replay", target_type="webhook_delivery",
                 details={"deliveries": [str(pk) for pk in ids]})
    return count
