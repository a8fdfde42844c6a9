from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from rest_framework.pagination import PageNumberPagination

from masarat.cases.selectors import case_queue_lines
from masarat.web.pagination import QUEUE_COUNT_CAP, CappedPaginator


class CasePagination(PageNumberPagination):
    """Pages of 50 cases. As in the web queue, ``count`` stops at 10,001 ("more than 10,000"): an exact
    count would read every case in scope at each page, on a national table; narrow the filters instead."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    django_paginator_class = CappedPaginator

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            f"Cases found, counted up to {QUEUE_COUNT_CAP + 1}: that value means more than {QUEUE_COUNT_CAP}."
        )
        return response


class PageFirstPaginator(CappedPaginator):
    """A capped paginator that reads the page before counting it, through ``read``.

    A page that is not full is the last one: its number and length give the count, and the count
    query is not run (the first page of a small scope, the last page of any list). Full pages are
    counted as by ``CappedPaginator``; the page numbers and the errors are the same.
    """

    def read(self, page: Any) -> Sequence[Any]:
        """What the page holds, from its slice of the queryset (or of the list)."""
        return list(page)

    def page(self, number: Any) -> Page:
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        bottom = (number - 1) * self.per_page
        if bottom > self.cap:  # past the last page the capped count allows: refused without reading it
            self.validate_number(number)
        rows = self.read(self.object_list[bottom:bottom + self.per_page])
        known = "count" in self.__dict__  # a cached_property, already computed for page="last"
        if (not known and not self.orphans and len(rows) < self.per_page and (rows or number == 1)
                and bottom + len(rows) <= self.cap):
            self.__dict__["count"] = bottom + len(rows)
        self.validate_number(number)  # counts, unless the page told
        if bottom + self.per_page + self.orphans >= self.count:  # as Paginator.page: the last page ends at the count
            rows = rows[:self.count - bottom]
        return Page(rows, number, self)


class CaseQueuePaginator(PageFirstPaginator):
    """Pages of the case queue as lines of values (``case_queue_lines``), not model objects."""

    def read(self, page: Any) -> Sequence[Any]:
        return case_queue_lines(page)


class CaseQueuePagination(CasePagination):
    django_paginator_class = CaseQueuePaginator
