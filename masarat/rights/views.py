from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from masarat.access import policy
from masarat.cases.models import Case
from masarat.rights import services
from masarat.rights.forms import ErasureForm, ReasonForm
from masarat.rights.models import Erasure, LegalHold
from masarat.web.http import AuthenticatedRequest


def _case(request: AuthenticatedRequest, reference: str) -> Case:
    if not policy.can_manage_data_rights(request.user):
        raise Http404
    return get_object_or_404(Case.objects.select_related("person"), reference=reference)


@login_required
def rights_page(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """Legal holds, retention, access request and erasure for the person of one case."""
    case = _case(request, reference)
    erasure = Erasure.objects.filter(person_id=case.person_id).first() if case.person_id else None
    holds = LegalHold.objects.filter(case__person_id=case.person_id) if case.person_id else LegalHold.objects.none()
    return render(request, "rights/page.html", {
        "case": case, "erasure": erasure, "place_form": ReasonForm(prefix="place"),
        "holds": [(hold, ReasonForm(prefix=f"lift-{hold.pk}"))
                  for hold in holds.select_related("case", "placed_by", "lifted_by")],
        "open_cases": Case.objects.filter(person_id=case.person_id, closed_at__isnull=True).count()
        if case.person_id else 0,
    })


@login_required
def export(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if case.person is None:
        raise Http404
    data = services.person_data_export(person=case.person, by=request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="access-request-{case.reference}.json"'
    return response


@login_required
@require_POST
def hold_place(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    form = ReasonForm(request.POST, prefix="place")
    if form.is_valid():
        services.legal_hold_place(case=case, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("Legal hold placed: nothing of this person will be erased while it lasts."))
    else:
        messages.error(request, _("Give the reason for the legal hold."))
    return redirect("case-rights", reference=case.reference)


@login_required
@require_POST
def hold_lift(request: AuthenticatedRequest, reference: str, hold_id: int) -> HttpResponse:
    case = _case(request, reference)
    hold = get_object_or_404(LegalHold.objects.select_related("case"), pk=hold_id, case__person_id=case.person_id)
    form = ReasonForm(request.POST, prefix=f"lift-{hold.pk}")
    try:
        if not form.is_valid():
            raise services.RightsRefused(_("Give the reason for lifting the legal hold."))
        services.legal_hold_lift(hold=hold, reason=form.cleaned_data["reason"], by=request.user)
    except services.RightsRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Legal hold lifted."))
    return redirect("case-rights", reference=case.reference)


@login_required
def erase(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if case.person is None:
        raise Http404
    form = ErasureForm(request.POST or None, reference=case.reference)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(person=case.person, ground=Erasure.Ground.REQUEST, by=request.user,
                                  reason=form.cleaned_data["reason"])
        except services.RightsRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The person's identifying data was erased. "
                                        "The cases remain, without identity."))
            return redirect("case-rights", reference=case.reference)
    return render(request, "rights/erase.html", {"case": case, "erasure_form": form})
