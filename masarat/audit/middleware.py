from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from masarat.audit.context import RequestContext, current_request


class RequestContextMiddleware:
    """Makes the client address available to the audit trail of every service call."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        token = current_request.set(RequestContext(ip_address=request.META.get("REMOTE_ADDR"), channel=channel))
        try:
            return self.get_response(request)
        finally:
            current_request.reset(token)
