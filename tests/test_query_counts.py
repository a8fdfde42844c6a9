"""Lists cost the same number of queries for 2 rows as for 12: an N+1 query fails here."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from masarat.accounts.services import api_token_create
from masarat.cases.selectors import case_file
from masarat.cases.services import case_break_glass
from tests.factories import make_case

WEB_LISTS = [
    ("queue", "nadia"),
    ("referral-list", "alice"),
    ("audit-log", "auditor"),
    ("audit-emergency-accesses", "auditor"),
]
API_LISTS = [("api-case-list", "nadia"), ("api-referral-list", "alice")]


def queries_for(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured)


def add_cases(alice, nadia, dana, count: int) -> None:
    for _ in range(count):
        case = make_case(by=alice)
        case_file(viewer=nadia, reference=case.reference)  # audit events to list, too
        case_break_glass(user=dana, reference=case.reference, reason="Arrived at the Tanger shelter tonight.")


@pytest.mark.parametrize(("name", "viewer"), WEB_LISTS)
def test_web_lists_do_not_query_per_row(client, request, alice, nadia, dana, name, viewer):
    client.force_login(request.getfixturevalue(viewer))
    add_cases(alice, nadia, dana, 2)
    client.get(reverse(name))  # warm caches (sessions, content types) before counting
    few = queries_for(lambda: client.get(reverse(name)))
    add_cases(alice, nadia, dana, 10)
    assert queries_for(lambda: client.get(reverse(name))) == few


@pytest.mark.parametrize(("name", "viewer"), API_LISTS)
def test_api_lists_do_not_query_per_row(request, alice, nadia, dana, name, viewer):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=request.getfixturevalue(viewer), name='q')}")
    add_cases(alice, nadia, dana, 2)
    api.get(reverse(name))
    few = queries_for(lambda: api.get(reverse(name)))
    add_cases(alice, nadia, dana, 10)
    assert queries_for(lambda: api.get(reverse(name))) == few
