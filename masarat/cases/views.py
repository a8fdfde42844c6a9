"""Coordinator and case manager pages. Views only translate HTTP into service calls."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases import services
from masarat.cases.forms import AssignForm, CloseForm, DecisionForm, EmergencyAccessForm, QueueFilterForm, ReviewForm
from masarat.cases.lifecycle import Action, IllegalTransition
from masarat.cases.models import Case
from masarat.cases.schedule import is_overdue
from masarat.cases.sections import case_sections
from masarat.cases.selectors import CaseFilters, case_file, case_queue, places_by_role, record_list_read
from masarat.cases.vocabulary import DecisionStage
from masarat.duplicates.services import case_page_context as duplicates_context
from masarat.pathways.selectors import case_section
from masarat.screening.selectors import explain
from masarat.sensitive.shield import shield_for
from masarat.transnational.selectors import case_page_context as transnational_context
from masarat.web.forms import ReasonForm, VersionedForm
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import CappedPaginator, page_of, query_without_page

REFUSALS = (services.CaseChanged, IllegalTransition, services.DecisionRefused)
DECISION_ACTIONS = frozenset(services.DECISION_ACTIONS.values())


def _user(request: AuthenticatedRequest) -> User:
    return request.user


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    user = _user(request)
    if policy.case_file_filter(user) is None:
        raise Http404
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    child = {"yes": True, "no": False}.get(data.get("child") or "")
    filters = CaseFilters(
        status=data.get("status", ""), region=data.get("region", ""), exploitation=data.get("exploitation", ""),
        child=child, overdue=bool(data.get("overdue")), search=data.get("q", ""), mine=bool(data.get("mine")),
    )
    page = page_of(CappedPaginator(case_queue(viewer=user, filters=filters), 25), request)
    record_list_read(viewer=user, cases=page.object_list, filters=data)
    return render(request, "cases/queue.html", {
        "form": form, "page": page, "query": query_without_page(request),
        "show_region": user.is_national_coordinator, "can_break_glass": policy.can_break_glass(user),
    })


def _case_context(user: User, case: Case) -> dict[str, Any]:
    decisions = list(case.decisions.all())
    actions = set(policy.allowed_actions(user, case))
    language = (get_language() or "fr")[:2]
    # Sensitive categories the user may not read are replaced by "restricted" before anything is shown.
    shield = shield_for(user, case)
    referral = getattr(case, "referral", None)
    shield.apply([referral, *(referral.indicators.all() if referral is not None else [])])
    assessments = shield.apply(case.assessments.all())
    return {
        "case": case,
        "shield": shield,
        "decisions": decisions,
        "screenings": [(assessment, None if shield.restricts(assessment) else explain(assessment, language))
                       for assessment in assessments],
        "places": places_by_role(case),
        "overdue": is_overdue(case),
        "referral": referral,
        "stage_due": services.decision_stage_due(case),
        "can_decide": bool(actions & DECISION_ACTIONS),
        "can_acknowledge": Action.ACKNOWLEDGE in actions,
        "pending_review": next((decision for decision in decisions if decision.awaits_review), None),
        "can_review": bool(actions & policy.REVIEW_ACTIONS),
        "can_reconsider": Action.REQUEST_RECONSIDERATION in actions,
        "can_close": Action.CLOSE in actions,
        "can_manage_data_rights": policy.can_manage_data_rights(user),
        "can_exchange": policy.can_exchange_case(user, case),
        "can_reopen": Action.REOPEN in actions,
        "can_assign": policy.can_assign(user, case),
        "emergency": services.active_emergency_access(user=user, case=case),
        "version_form": VersionedForm(initial={"version": case.version}),
        **case_section(user, case),
    }


@login_required
def case_page(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    user = _user(request)
    case = case_file(viewer=user, reference=reference)
    context = {**_case_context(user, case), **case_sections(user, case),
               **duplicates_context(case=case, viewer=user), **transnational_context(case=case, viewer=user)}
    _shield_case_page(user, case, context)
    if context["can_assign"]:
        context["assign_coordinator_form"] = _coordinator_form(case, initial={
            "version": case.version, "assignee": case.assigned_coordinator_id})
        context["assign_form"] = _case_manager_form(case, initial={
            "version": case.version, "assignee": case.assigned_case_manager_id})
    return render(request, "cases/case.html", context)


def _shield_case_page(user: User, case: Case, context: dict[str, Any]) -> None:
    """Sensitive categories the user may not read are replaced by "restricted" before rendering."""
    shield = context["shield"]
    if care := context.get("care"):
        shield.apply([*care.plans, *care.age_assessments])
    shield.apply(context.get("documents") or [])
    shield.apply(context.get("pathway_referrals") or [])
    context["can_rectify"] = policy.can_rectify_identity(user, case)
    shield.audit()


def _action_page(
    request: AuthenticatedRequest, reference: str, *, template: str, form_class: type, allowed: Any, perform: Any,
    success: str, form_kwargs: dict[str, Any] | None = None, extra: dict[str, Any] | None = None,
    case: Case | None = None,
) -> HttpResponse:
    """The shape of every case action: check, show the form, perform, refuse a stale save.

    A refused save re-displays what the user typed with the reason, so nothing is lost.
    """
    user = _user(request)
    case = case or case_file(viewer=user, reference=reference)
    policy.require(allowed(user, case))
    kwargs = form_kwargs or {}
    status = 200
    if request.method == "POST":
        form = form_class(request.POST, **kwargs)
        if form.is_valid():
            try:
                perform(user, case, form.cleaned_data)
            except REFUSALS as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, success)
                return redirect("case", reference=case.reference)
        else:
            status = 400
    else:
        form = form_class(initial={"version": case.version}, **kwargs)
    context = {**_case_context(user, case), "form": form, **(extra or {})}
    context["shield"].audit()
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def record_decision(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    def perform(user: User, case: Case, data: dict[str, Any]) -> None:
        stage = services.decision_stage_due(case)
        if stage is None:
            raise services.DecisionRefused(_("No identification decision is due at this stage."))
        services.decision_record(case=case, stage=stage, outcome=data["outcome"], reasons=data["reasons"], by=user,
                                 expected_version=data["version"])

    return _action_page(request, reference, template="cases/decision.html", form_class=DecisionForm,
                        allowed=policy.can_decide, perform=perform, success=_("Decision recorded."),
                        extra={"stage_labels": dict(DecisionStage.choices)})


@login_required
@require_http_methods(["GET", "POST"])
def review_decision(request: AuthenticatedRequest, reference: str, decision_id: int) -> HttpResponse:
    user = _user(request)
    case = case_file(viewer=user, reference=reference)
    decision = get_object_or_404(case.decisions.all(), pk=decision_id)

    def perform(user: User, case: Case, data: dict[str, Any]) -> None:
        services.decision_review(decision=decision, confirm=data["confirm"], reasons=data["reasons"], by=user,
                                 expected_version=data["version"])

    return _action_page(request, reference, template="cases/review.html", form_class=ReviewForm,
                        allowed=policy.can_decide, perform=perform, case=case,
                        success=_("Second review recorded."), extra={"decision": decision})


StrOrPromise = str | Promise


@dataclass(frozen=True)
class ReasonAction:
    """A change of a case that needs only a written reason."""

    allowed: Callable[[User, Case], bool]
    service: Callable[..., Case]
    title: StrOrPromise
    label: StrOrPromise
    success: StrOrPromise
    form_class: type[ReasonForm] = ReasonForm


REASON_ACTIONS = {
    "close": ReasonAction(policy.can_close, services.case_close, gettext_lazy("Close the case"),
                          gettext_lazy("Why is the case closed?"), gettext_lazy("Case closed."), CloseForm),
    "reopen": ReasonAction(policy.can_close, services.case_reopen, gettext_lazy("Reopen the case"),
                           gettext_lazy("Why is the case reopened?"), gettext_lazy("Case reopened.")),
    "reconsideration": ReasonAction(
        policy.can_request_reconsideration, services.case_request_reconsideration,
        gettext_lazy("Request reconsideration"), gettext_lazy("Why should the decision be reconsidered?"),
        gettext_lazy("Reconsideration requested."),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def reason_action(request: AuthenticatedRequest, reference: str, kind: str) -> HttpResponse:
    action = REASON_ACTIONS[kind]
    return _action_page(
        request, reference, template="cases/reason.html", form_class=action.form_class, allowed=action.allowed,
        success=str(action.success), form_kwargs={"reason_label": str(action.label)},
        extra={"title": action.title},
        perform=lambda user, case, data: action.service(
            case=case, by=user, expected_version=data["version"],
            **{name: value for name, value in data.items() if name != "version"}),
    )


def _post_action(request: AuthenticatedRequest, reference: str, *, make_form: Any, allowed: Any, perform: Any,
                 success: str) -> HttpResponse:
    """A one-click action from the case page; a refusal comes back to the case page with its reason."""
    user = _user(request)
    case = case_file(viewer=user, reference=reference)
    policy.require(allowed(user, case))
    form = make_form(case)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("case", reference=case.reference)
    try:
        perform(user, case, form.cleaned_data)
    except REFUSALS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("case", reference=case.reference)


@login_required
@require_http_methods(["POST"])
def acknowledge(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    return _post_action(
        request, reference, make_form=lambda case: VersionedForm(request.POST), allowed=policy.can_decide,
        success=_("Referral acknowledged."),
        perform=lambda user, case, data: services.case_acknowledge(
            case=case, by=user, expected_version=data["version"]),
    )


def _case_manager_form(case: Case, data: Any = None, initial: dict[str, Any] | None = None) -> AssignForm:
    return AssignForm(data, initial=initial, prefix="manager", label=_("Case manager"),
                      candidates=services.assignable_case_managers(case))


def _coordinator_form(case: Case, data: Any = None, initial: dict[str, Any] | None = None) -> AssignForm:
    return AssignForm(data, initial=initial, prefix="coordinator", label=_("Coordinator"),
                      candidates=services.assignable_coordinators(case))


@login_required
@require_http_methods(["POST"])
def assign_case_manager(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    return _post_action(
        request, reference, allowed=policy.can_assign, success=_("Case manager assignment saved."),
        make_form=lambda case: _case_manager_form(case, request.POST),
        perform=lambda user, case, data: services.case_assign_case_manager(
            case=case, case_manager=data["assignee"], by=user, expected_version=data["version"]),
    )


@login_required
@require_http_methods(["POST"])
def assign_coordinator(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    return _post_action(
        request, reference, allowed=policy.can_assign, success=_("Coordinator assignment saved."),
        make_form=lambda case: _coordinator_form(case, request.POST),
        perform=lambda user, case, data: services.case_assign_coordinator(
            case=case, coordinator=data["assignee"], by=user, expected_version=data["version"]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def emergency_access(request: AuthenticatedRequest) -> HttpResponse:
    """"Break the glass": open a case of another region, for a written reason, for a few hours."""
    if not policy.can_break_glass(request.user):
        raise Http404
    form = EmergencyAccessForm(request.POST or None, initial={"reference": request.GET.get("reference", "")})
    if request.method == "POST" and form.is_valid():
        try:
            access = services.case_break_glass(user=request.user, reference=form.cleaned_data["reference"],
                                               reason=form.cleaned_data["reason"])
        except services.DecisionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.warning(request, _("Emergency access granted until %(time)s. It is shown to the auditors.")
                             % {"time": formats.date_format(timezone.localtime(access.expires_at),
                                                            "SHORT_DATETIME_FORMAT")})
            return redirect("case", reference=access.case.reference)
    return render(request, "cases/emergency.html", {"form": form,
                                                    "hours": settings.MASARAT_EMERGENCY_ACCESS_HOURS})
