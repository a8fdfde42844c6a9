"""Signatures of webhook deliveries: HMAC-SHA256 over the timestamp and the body.

Header ``Masarat-Signature: t=<unix time>,v1=<hex digest>`` where the digest is
``HMAC-SHA256(secret, "<t>.<body>")``. A receiver recomputes it, compares in constant time and
refuses a timestamp older than a few minutes (a replayed request).
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Masarat-Signature"
DELIVERY_HEADER = "Masarat-Delivery"
EVENT_HEADER = "Masarat-Event"
TOLERANCE_SECONDS = 300


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    moment = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={moment},v1={digest}"


def verify(secret: str, header: str, body: bytes, *, now: int | None = None,
           tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does: True only for a signature of this body, made with this secret, recently."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        moment = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs((int(time.time()) if now is None else now) - moment) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)
