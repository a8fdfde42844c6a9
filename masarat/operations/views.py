from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from masarat.operations.health import readiness
from masarat.operations.metrics import exposition


@never_cache
@require_GET
def live(request: HttpRequest) -> HttpResponse:
    """The process answers: nothing more is checked (for a restart-on-failure probe)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def ready(request: HttpRequest) -> HttpResponse:
    """The server can serve: database reachable, schema up to date, keys usable (for a load balancer)."""
    results = readiness()
    healthy = all(result.ok for result in results)
    body = {"status": "ok" if healthy else "unavailable",
            "checks": {result.name: result.detail or ("ok" if result.ok else "failed") for result in results}}
    return JsonResponse(body, status=200 if healthy else 503)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for a scraper holding MASARAT_METRICS_TOKEN; without that setting, no such page."""
    token = settings.MASARAT_METRICS_TOKEN
    if not token:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise Http404
    return HttpResponse(exposition(), content_type="text/plain; version=0.0.4; charset=utf-8")
