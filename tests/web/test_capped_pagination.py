"""Queues count at most a cap of rows: beyond it, the page says "more than" instead of counting all."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from masarat.audit.models import AuditEvent
from masarat.audit.services import record_event
from masarat.web.pagination import CappedPaginator


@pytest.fixture
def events(db):
    for index in range(7):
        record_event(actor=None, action=f"test.{index}", target_type="test")
    return AuditEvent.objects.filter(action__startswith="test.").order_by("pk")


def test_the_count_stops_past_the_cap(events, django_assert_num_queries):
    paginator = CappedPaginator(events, 2, cap=4)
    with django_assert_num_queries(1):
        assert paginator.count == 5
    assert paginator.capped and paginator.num_pages == 3
    assert [e.action for e in paginator.page(3).object_list] == ["test.4"]  # the last page reached
    page = paginator.page(1)
    with translation.override("en"):
        html = render_to_string("includes/pagination.html", {"page": page, "query": ""})
    assert "more than 4 results" in html and 'rel="next"' in html and "of 3" not in html


def test_under_the_cap_the_count_is_exact(events):
    paginator = CappedPaginator(events, 2, cap=100)
    assert paginator.count == 7 and not paginator.capped and paginator.num_pages == 4
    with translation.override("en"):
        html = render_to_string("includes/pagination.html", {"page": paginator.page(1), "query": ""})
    assert "Page 1 of 4 (7 results)" in html
