from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import cached_property

QUEUE_COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    """Counts at most ``cap`` + 1 rows. On a national table an exact count reads every matching row
    at each page view; beyond ``cap``, the page says "more than" and the user narrows the filters."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int = QUEUE_COUNT_CAP) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        if isinstance(self.object_list, QuerySet):
            # Counting needs neither the order nor the columns: the database stops at cap + 1 index entries.
            return self.object_list.order_by().values("pk")[: self.cap + 1].count()
        return min(len(self.object_list), self.cap + 1)

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def page_of(paginator: Paginator, request: HttpRequest) -> Page:
    """The requested page; a wrong or out-of-range number gives the nearest real page."""
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
