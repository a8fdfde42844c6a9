"""Who is acting and from where, for the audit trail of the current request or command."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    ip_address: str | None = None
    channel: str = "command"  # "web", "api" or "command"


# RequestContext is frozen, so sharing the default instance is safe.
current_request: ContextVar[RequestContext] = ContextVar("masarat_request", default=RequestContext())  # noqa: B039
