from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.access import policy
from masarat.referrals.models import ReferralDraft
from masarat.referrals.services import draft_for_author
from masarat.screening import services
from masarat.screening.forms import CompleteForm, ElementForm, StartForm
from masarat.screening.models import Assessment
from masarat.screening.selectors import explain, screenings_of
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import page_of


def _language() -> str:
    return (get_language() or "fr")[:2]


@login_required
@require_http_methods(["GET", "POST"])
def screening_home(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_screen(request.user):
        raise Http404
    form = StartForm(request.POST or None, sets=services.offered_sets(), language=_language(),
                     initial={"draft": request.GET.get("draft")})
    if request.method == "POST" and form.is_valid():
        draft_id = form.cleaned_data["draft"]
        if draft_id:
            draft_for_author(author=request.user, draft_id=draft_id)  # someone else's draft does not exist
        assessment = services.assessment_start(indicator_set=form.cleaned_data["indicator_set"], by=request.user,
                                               interview_language=form.cleaned_data["interview_language"],
                                               for_draft_id=draft_id)
        return redirect("screening-element", assessment_id=assessment.pk, index=1)
    page = page_of(Paginator(screenings_of(assessor=request.user), 20), request)
    for assessment in page.object_list:
        assessment.title = assessment.indicator_set.title(_language())
    return render(request, "screening/home.html", {"form": form, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def screening_element(request: AuthenticatedRequest, assessment_id: int, index: int) -> HttpResponse:
    assessment = services.assessment_for(viewer=request.user, assessment_id=assessment_id, editing=True)
    if assessment.completed_at is not None:
        # A completed screening is what the coordinator will see: its answers no longer change.
        return redirect("screening-result", assessment_id=assessment.pk)
    elements = assessment.indicator_set.parsed.elements
    if not 1 <= index <= len(elements):
        raise Http404
    element = elements[index - 1]
    language = _language()
    answers, observations = assessment.answers_by_code(), assessment.observations_by_code()
    initial = {**answers, **{f"{code}__observation": text for code, text in observations.items()}}
    form = ElementForm(request.POST or None, initial=initial, element=element, language=language)
    if request.method == "POST" and form.is_valid():
        services.assessment_record_answers(assessment=assessment, by=request.user, answers=form.answers(),
                                           observations=form.observations())
        move = request.POST.get("move")
        if move == "previous" and index > 1:
            return redirect("screening-element", assessment_id=assessment.pk, index=index - 1)
        if move == "next" and index < len(elements):
            return redirect("screening-element", assessment_id=assessment.pk, index=index + 1)
        return redirect("screening-result", assessment_id=assessment.pk)
    interview = assessment.interview_language if assessment.interview_language in ("fr", "ar", "en") else ""
    return render(request, "screening/element.html", {
        "assessment": assessment, "element_title": element.title.get(language), "index": index,
        "count": len(elements), "form": form, "questions": form.questions(language, interview),
        "interview_language": interview, "set_title": assessment.indicator_set.title(language),
    })


def _referral_url(assessment: Assessment) -> str:
    """Back to the draft the responder left to screen, if it still exists, or to a new referral."""
    if assessment.for_draft_id and ReferralDraft.objects.filter(pk=assessment.for_draft_id,
                                                                 author_id=assessment.assessor_id).exists():
        return f"{reverse('referral-draft', args=[assessment.for_draft_id])}?screening={assessment.pk}"
    return f"{reverse('referral-new')}?screening={assessment.pk}"


@login_required
@require_http_methods(["GET", "POST"])
def screening_result(request: AuthenticatedRequest, assessment_id: int) -> HttpResponse:
    editing = request.method == "POST"
    assessment = services.assessment_for(viewer=request.user, assessment_id=assessment_id, editing=editing)
    form = CompleteForm(request.POST or None, initial={"notes": assessment.notes})
    if editing and form.is_valid():
        services.assessment_complete(assessment=assessment, by=request.user, notes=form.cleaned_data["notes"])
        messages.success(request, _("Screening completed. It supports your decision; it does not take it."))
        return redirect("screening-result", assessment_id=assessment.pk)
    language = _language()
    return render(request, "screening/result.html", {
        "assessment": assessment, "explanation": explain(assessment, language), "form": form,
        "set_title": assessment.indicator_set.title(language),
        "can_edit": assessment.assessor_id == request.user.pk and assessment.case_id is None
        and assessment.completed_at is None,
        "can_refer": policy.can_refer(request.user) and assessment.completed_at is not None
        and assessment.case_id is None and assessment.assessor_id == request.user.pk,
        "refer_url": _referral_url(assessment),
        "element_count": len(assessment.indicator_set.parsed.elements),
    })
