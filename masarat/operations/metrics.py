"""Prometheus metrics: how the mechanism and the server are doing, never who is in it.

Request counts and durations are kept per process by :class:`RequestMetricsMiddleware`; with
several worker processes, set ``PROMETHEUS_MULTIPROC_DIR`` (see docs/deployment.md). Workload
gauges (cases per status, overdue steps, the oldest wait) are computed at each scrape from
indexed columns, in a registry of their own.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from django.db.models import Count, Min
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUESTS = Counter("masarat_http_requests", "HTTP requests answered", ["method", "status"])
LATENCY = Histogram("masarat_http_request_duration_seconds", "Time to answer an HTTP request", ["method"],
                    buckets=(0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5))


class WorkloadCollector(Collector):
    def collect(self) -> Iterator[GaugeMetricFamily]:
        from masarat.audit.models import AuditEvent
        from masarat.cases.models import Case

        by_status = GaugeMetricFamily("masarat_cases", "Cases per status", labels=["status"])
        for row in Case.objects.values("status").annotate(total=Count("id")).order_by():
            by_status.add_metric([row["status"]], row["total"])
        yield by_status

        today = timezone.localdate()
        overdue = GaugeMetricFamily("masarat_overdue_steps", "Open steps past their deadline", labels=["step"])
        for row in (Case.objects.filter(due_on__lt=today).exclude(due_step="")
                    .values("due_step").annotate(total=Count("id")).order_by()):
            overdue.add_metric([row["due_step"]], row["total"])
        yield overdue

        oldest = Case.objects.exclude(waiting_since=None).aggregate(oldest=Min("waiting_since"))["oldest"]
        yield GaugeMetricFamily("masarat_oldest_wait_days", "Days the longest-waiting case has waited",
                                value=(today - oldest).days if oldest else 0)
        yield GaugeMetricFamily("masarat_audit_events", "Events in the audit trail",
                                value=AuditEvent.objects.count())


def exposition() -> bytes:
    """The metrics page, in Prometheus's text format."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(WorkloadCollector())
    return generate_latest(registry)


class RequestMetricsMiddleware:
    """Counts requests by method and status class, and times them (no path: paths hold references)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in {"GET", "POST", "PUT", "PATCH", "DELETE"} else "other"
        REQUESTS.labels(method, f"{response.status_code // 100}xx").inc()
        LATENCY.labels(method).observe(time.perf_counter() - started)
        return response
