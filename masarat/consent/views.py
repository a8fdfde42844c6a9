"""Consent of a case, from the case page: record it, withdraw it (at once, visibly)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.access import policy
from masarat.cases.selectors import case_file
from masarat.consent import services
from masarat.consent.forms import ConsentForm, WithdrawForm
from masarat.consent.models import ConsentRecord
from masarat.web.form_pages import form_page
from masarat.web.http import AuthenticatedRequest


def _page(request: AuthenticatedRequest, template: str, context: dict[str, Any], form: Any, perform: Any,
          success: str) -> HttpResponse:
    case = context["case"]
    return form_page(request, form=form, template=template, context=context, perform=perform, success=success,
                     done=lambda: redirect("case", reference=case.reference), refusals=(services.ConsentRefused,))


@login_required
@require_http_methods(["GET", "POST"])
def consent_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = case_file(viewer=request.user, reference=reference)
    policy.require(policy.can_manage_pathway(request.user, case))
    return _page(request, "consent/consent_form.html", {"case": case, "title": _("Record consent")},
                 ConsentForm(request.POST or None),
                 lambda data: services.consent_record(case=case, by=request.user, **data),
                 _("Consent recorded."))


@login_required
@require_http_methods(["GET", "POST"])
def consent_withdraw(request: AuthenticatedRequest, reference: str, pk: int) -> HttpResponse:
    case = case_file(viewer=request.user, reference=reference)
    policy.require(policy.can_manage_pathway(request.user, case))
    record: ConsentRecord = get_object_or_404(case.consents.all(), pk=pk)
    return _page(request, "consent/consent_form.html",
                 {"case": case, "record": record, "title": _("Withdraw consent")},
                 WithdrawForm(request.POST or None),
                 lambda data: services.consent_withdraw(record=record, reason=data["reason"], by=request.user),
                 _("Consent withdrawn: nothing more is shared for this purpose."))
