from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from masarat.audit.context import RequestContext, current_request


def client_address(request: HttpRequest) -> str | None:
    """The client's address. Behind N trusted reverse proxies, the N-th address from the right of
    X-Forwarded-For is the one the nearest untrusted hop gave; anything further left can be forged."""
    proxies = settings.MASARAT_TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate


class RequestContextMiddleware:
    """Makes the client address available to the audit trail of every service call."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path_info.startswith("/api/") else "web"
        token = current_request.set(RequestContext(ip_address=client_address(request), channel=channel))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
