from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from masarat.access import policy
from masarat.cases.lifecycle import IllegalTransition
from masarat.cases.selectors import record_list_read, referral_status, referrals_of_agency
from masarat.cases.services import CaseChanged, DecisionRefused, case_request_reconsideration
from masarat.referrals.forms import ReferralForm
from masarat.referrals.models import ReferralDraft
from masarat.referrals.services import (
    case_submitted_with,
    draft_data_from_post,
    draft_delete,
    draft_for_author,
    draft_save,
    referral_submit,
)
from masarat.screening.models import Assessment
from masarat.screening.selectors import explain
from masarat.screening.services import ScreeningRefused, assessment_for
from masarat.web.forms import ReasonForm
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import CappedPaginator, page_of


def _require_referrer(request: AuthenticatedRequest) -> None:
    if not policy.can_refer(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def referral_form(request: AuthenticatedRequest, draft_id: int | None = None) -> HttpResponse:
    _require_referrer(request)
    user = request.user
    if request.method == "POST" and (earlier := case_submitted_with(request.POST.get("submission_key", ""), user)):
        # A repeated submission (double click, retry): show what the first one recorded.
        return redirect("referral-status", reference=earlier.reference)
    draft = draft_for_author(author=user, draft_id=draft_id) if draft_id else None
    screening_id = request.POST.get("screening") or request.GET.get("screening") or (
        (draft.data.get("screening") or [""])[0] if draft else "")
    assessment = _screening_to_carry(request, screening_id)
    if request.method == "POST":
        form = ReferralForm(request.POST)
        if request.POST.get("action") in ("save_draft", "screen"):
            draft = draft_save(author=user, data=draft_data_from_post(request.POST), draft=draft)
            messages.success(request, _("Draft saved. Only you can see it; finish it from “My referrals”."))
            if request.POST.get("action") == "screen":
                return redirect(f"{reverse('screening-home')}?draft={draft.pk}")
            return redirect("referral-draft", draft_id=draft.pk)
        if form.is_valid():
            try:
                case = referral_submit(data=form.referral_input, by=user, draft=draft, assessment=assessment,
                                       submission_key=form.cleaned_data.get("submission_key") or "")
            except ScreeningRefused as exc:
                form.add_error(None, str(exc))
                return render(request, "referrals/form.html", {"form": form, "draft": draft, "screening": None})
            if case.is_anonymous:
                messages.success(request, _("Anonymous notification %(reference)s recorded. No identifying data "
                                            "was kept.") % {"reference": case.reference})
            else:
                messages.success(request, _("Referral %(reference)s submitted. The coordinator has been "
                                            "notified through the queue.") % {"reference": case.reference})
            return redirect("referral-status", reference=case.reference)
    elif draft is not None:
        form = ReferralForm(initial={**_initial_from_draft(draft), "screening": assessment.pk if assessment else None})
    else:
        form = ReferralForm(initial={"consent_informed_by": user.get_full_name(), "region": user.region,
                                     "screening": assessment.pk if assessment else None})
    screening = explain(assessment, (get_language() or "fr")[:2]) if assessment else None
    return render(request, "referrals/form.html", {"form": form, "draft": draft, "screening": screening})


def _screening_to_carry(request: AuthenticatedRequest, screening_id: str) -> Assessment | None:
    """A completed screening of the responder's own, not yet sent, travels with the referral."""
    if not screening_id or not str(screening_id).isdigit():
        return None
    try:
        assessment = assessment_for(viewer=request.user, assessment_id=int(screening_id), editing=True)
    except Http404:
        return None  # already sent with another referral, or not one's own: the referral goes without it
    return assessment if assessment.completed_at else None


def _initial_from_draft(draft: ReferralDraft) -> dict[str, object]:
    multiple = {name for name, field in ReferralForm.base_fields.items()
                if hasattr(field, "choices") and field.widget.allow_multiple_selected}
    return {key: values if key in multiple else (values[0] if values else "")
            for key, values in draft.data.items()}


@login_required
@require_POST
def referral_draft_delete(request: AuthenticatedRequest, draft_id: int) -> HttpResponse:
    _require_referrer(request)
    draft = draft_for_author(author=request.user, draft_id=draft_id)
    draft_delete(author=request.user, draft=draft)
    messages.success(request, _("Draft deleted."))
    return redirect("referral-list")


@login_required
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    if policy.referral_status_filter(request.user) is None:
        raise Http404
    cases = referrals_of_agency(viewer=request.user)
    page = page_of(CappedPaginator(cases, 25), request)
    record_list_read(viewer=request.user, cases=page.object_list, kind="referral.list")
    drafts = ReferralDraft.objects.filter(author=request.user) if policy.can_refer(request.user) else []
    return render(request, "referrals/list.html", {"page": page, "drafts": drafts})


@login_required
@require_http_methods(["GET", "POST"])
def referral_status_page(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = referral_status(viewer=request.user, reference=reference)
    can_reconsider = policy.can_request_reconsideration(request.user, case)
    form = ReasonForm(initial={"version": case.version}, reason_label=_("Why should the decision be reconsidered?"))
    status = 200
    if request.method == "POST":
        policy.require(can_reconsider)
        form = ReasonForm(request.POST, reason_label=_("Why should the decision be reconsidered?"))
        if form.is_valid():
            try:
                case_request_reconsideration(case=case, reason=form.cleaned_data["reason"], by=request.user,
                                             expected_version=form.cleaned_data["version"])
            except (CaseChanged, IllegalTransition, DecisionRefused) as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, _("Reconsideration requested."))
                return redirect("referral-status", reference=case.reference)
    return render(request, "referrals/status.html",
                  {"case": case, "can_reconsider": can_reconsider, "form": form}, status=status)
