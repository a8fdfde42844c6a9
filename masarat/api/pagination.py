from typing import Any

from rest_framework.pagination import PageNumberPagination

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
