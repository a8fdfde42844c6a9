"""The proceedings of a case: for those who hold the file and for the justice users of its region."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from masarat.access import policy
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.proceedings.selectors import hearings_awaited, proceedings_file
from masarat.web.http import AuthenticatedRequest


@login_required
def case_proceedings(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    user = request.user
    case = Case.objects.filter(reference=reference).first()
    if case is None or not policy.can_follow_proceedings(user, case):
        raise Http404
    record_event(actor=user, action="case.proceedings.read", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference)
    return render(request, "proceedings/case_proceedings.html", {
        "case": case, "proceedings": proceedings_file(viewer=user, case=case),
        "can_open_file": policy.can_open_case_file(user, case),
    })


@login_required
def hearings(request: AuthenticatedRequest) -> HttpResponse:
    """Hearing dates are deadlines: the person must be prepared, accompanied and protected."""
    awaited = hearings_awaited(viewer=request.user)
    if awaited is None:
        raise Http404
    return render(request, "proceedings/hearings.html", {"hearings": awaited})
