"""The application's addresses, plus ``/bench/bare/``: a bare Django view running one indexed query.

It is the yardstick of the concurrency benchmark: what this machine serves when a request costs
the framework, its middleware and one query through an index, and nothing else.
"""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from masarat.cases.models import Case
from masarat.urls import urlpatterns as application


def bare(request: HttpRequest) -> JsonResponse:
    # The 50 latest referrals, through the index on referred_at: one query, no policy, no audit.
    references = list(Case.objects.order_by("-referred_at").values_list("reference", flat=True)[:50])
    return JsonResponse({"results": references})


urlpatterns = [path("bench/bare/", bare), *application]
