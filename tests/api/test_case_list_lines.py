"""The case-list API builds its lines from values (``case_queue_lines`` and ``CaseSummaryLines``),
not through ``CaseSummarySerializer``: both must give the same JSON, and the page the same queries
whatever its length. Its paginator reads the page first and counts only full pages."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.paginator import InvalidPage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import override

from masarat.api.pagination import PageFirstPaginator
from masarat.api.serializers import CaseSummaryLines, CaseSummarySerializer
from masarat.cases.models import Case
from masarat.cases.selectors import CaseFilters, case_queue, case_queue_lines
from masarat.people.models import Person
from masarat.referrals.vocabulary import Consent
from masarat.web.pagination import CappedPaginator
from tests.api import CASES, client_for
from tests.factories import make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_cases(alice, alice_case):
    """Cases that differ in every way a line shows: no person, a child with two forms, a name in
    Arabic script only, a past deadline, no deadline, a nationality left empty."""
    make_case(by=alice, consent=Consent.REFUSED)
    make_case(by=alice, birth_year=timezone.localdate().year - 10, consent=Consent.NOT_REQUIRED_CHILD,
              consent_informed_by="", consent_language="", exploitation_forms=["ForcedLabour", "ForcedBegging"])
    arabic = make_case(by=alice, given_name_latin="", family_name_latin="", given_name_arabic="أمينة",
                       family_name_arabic="ديالو", nationalities=[])
    Case.objects.filter(pk=alice_case.pk).update(due_on=timezone.localdate() - timedelta(days=2))
    Case.objects.filter(pk=arabic.pk).update(due_on=None, due_step="")
    only_family = make_case(by=alice, given_name_latin="", family_name_latin="Diallo")
    Person.objects.filter(pk=only_family.person_id).update(given_name_arabic="", family_name_arabic="")


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_the_lines_are_those_of_the_serializer(bob, varied_cases, language):
    cases = case_queue(viewer=bob, filters=CaseFilters())
    with override(language):
        expected = CaseSummarySerializer(list(cases), many=True).data
        line = CaseSummaryLines()
        lines = [line(each) for each in case_queue_lines(cases)]
    assert len(lines) == 5
    assert [list(each) for each in lines] == [list(each) for each in expected]  # the fields, in order
    assert lines == [dict(each) for each in expected]
    assert {each["display_name"] for each in lines} >= {None, "أمينة ديالو", "Diallo", "Aminata Diallo"}
    assert any(each["overdue"] for each in lines) and any(each["due_on"] is None for each in lines)


def test_the_api_serves_the_lines_of_the_serializer(bob, varied_cases):
    body = client_for(bob).get(CASES).json()
    with override("fr"):
        expected = CaseSummarySerializer(list(case_queue(viewer=bob, filters=CaseFilters())), many=True).data
    assert body["results"] == [dict(each) for each in expected]


def test_no_filter_and_default_filters_give_the_same_page(bob, varied_cases):
    client = client_for(bob)
    defaults = {"status": "", "region": "", "exploitation": "", "overdue": "false", "q": "", "mine": "false"}
    assert client.get(CASES).json() == client.get(CASES, defaults).json()


def _queries(client, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(CASES, params or {}).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def test_the_page_costs_the_same_queries_whatever_its_length(bob, alice):
    client = client_for(bob)
    make_case(by=alice)
    client.get(CASES)  # the first use of a token records it
    one = _queries(client)
    for _ in range(4):
        make_case(by=alice, consent=Consent.REFUSED)
        make_case(by=alice, exploitation_forms=["ForcedLabour", "ForcedBegging"])
    assert client.get(CASES).json()["count"] == 9
    assert len(_queries(client)) == len(one)
    # A full page is counted: one query more, still not one per line.
    assert len(_queries(client, {"page_size": 3})) == len(one) + 1


def test_a_page_that_is_not_full_is_not_counted(bob, alice):
    for _ in range(3):
        make_case(by=alice)
    client = client_for(bob)
    client.get(CASES)
    counts = [sql for sql in _queries(client) if "COUNT(" in sql.upper()]
    assert counts == []
    assert [sql for sql in _queries(client, {"page_size": 2}) if "COUNT(" in sql.upper()]
    page_2 = client.get(CASES, {"page_size": 2, "page": 2}).json()
    assert page_2["count"] == 3 and page_2["next"] is None and len(page_2["results"]) == 1


def _outcome(paginator, number):
    try:
        page = paginator.page(number)
    except InvalidPage as exc:
        return type(exc).__name__, str(exc)
    return list(page.object_list), page.number, paginator.count, paginator.num_pages, page.has_next()


@pytest.mark.parametrize("length", [0, 1, 4, 5, 6, 9, 10, 11, 14])
@pytest.mark.parametrize("number", [1, 2, 3, 4, 5, "2", "x", 0, -1, 2.5, None, 10**30])
def test_reading_the_page_first_changes_no_page_and_no_error(length, number):
    """Against the capped paginator it replaces (cap 10 here, pages of 3 lines), page by page."""
    items = list(range(length))
    expected = _outcome(CappedPaginator(items, 3, cap=10), number)
    assert _outcome(PageFirstPaginator(items, 3, cap=10), number) == expected


def test_the_last_page_is_found_as_before(bob, alice):
    for _ in range(3):
        make_case(by=alice)
    body = client_for(bob).get(CASES, {"page_size": 2, "page": "last"}).json()
    assert body["count"] == 3 and len(body["results"]) == 1 and body["previous"]
    assert client_for(bob).get(CASES, {"page_size": 2, "page": 3}).status_code == 404


def test_a_page_number_past_every_count_is_404_without_reading_it(bob, alice_case):
    with CaptureQueriesContext(connection) as captured:
        response = client_for(bob).get(CASES, {"page": str(10**30)})
    assert response.status_code == 404
    assert not [query for query in captured.captured_queries if "OFFSET" in query["sql"].upper()]
