from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def page_of(paginator: Paginator, request: HttpRequest) -> Page:
    """The requested page; a wrong or out-of-range number gives the nearest real page."""
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
