"""Pathway pages: the case's service referrals (coordinator, case manager), the provider's inbox
and transfers of case management. Views only translate HTTP into service calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases.models import Case
from masarat.cases.selectors import case_file
from masarat.consent.services import ConsentMissing, ConsentRefused
from masarat.directory.models import Service
from masarat.pathways import selectors, services
from masarat.pathways.forms import (
    AddServiceForm,
    DeclineForm,
    DeliveryForm,
    InboxFilterForm,
    ReferralVersionForm,
    ScopeFilterForm,
    SendForm,
    SkipForm,
    TransferForm,
    TransferResponseForm,
)
from masarat.pathways.models import CaseTransfer, ServiceReferral
from masarat.pathways.ranking import suggest
from masarat.pathways.vocabulary import TransferStatus
from masarat.web.form_pages import form_page
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import page_of, query_without_page

REFUSALS = (services.PathwayRefused, services.ReferralChanged, ConsentMissing, ConsentRefused)


def _form_page(request: AuthenticatedRequest, **kwargs: Any) -> HttpResponse:
    return form_page(request, refusals=REFUSALS, **kwargs)


def _case_referral(request: AuthenticatedRequest, reference: str, pk: int) -> tuple[Case, ServiceReferral]:
    case = case_file(viewer=request.user, reference=reference)
    policy.require(policy.can_manage_pathway(request.user, case))
    referral = get_object_or_404(case.service_referrals.select_related("service__provider"), pk=pk)
    return case, referral


@login_required
@require_http_methods(["GET", "POST"])
def referral_send(request: AuthenticatedRequest, reference: str, pk: int) -> HttpResponse:
    case, referral = _case_referral(request, reference, pk)
    suggestions = suggest(case, referral.kind, exclude_providers=services.providers_tried(case, referral.kind))
    form = SendForm(request.POST or None, suggestions=suggestions, initial={
        "version": referral.version, "service": suggestions[0].service.pk if suggestions else None})

    def perform(data: dict[str, Any]) -> None:
        service = get_object_or_404(Service, pk=data["service"])
        services.referral_send(referral=referral, service=service, by=request.user, note=data["note"],
                               override_reason=data["override_reason"], expected_version=data["version"])

    return _form_page(request, form=form, template="pathways/send.html", perform=perform,
                      context={"case": case, "referral": referral, "suggestions": suggestions,
                               "title": _("Send the referral"),
                               "can_override": policy.can_override_consent(request.user, case),
                               "hours": services.response_hours(referral.kind)},
                      success=_("Referral sent to the provider."),
                      done=lambda: redirect("case", reference=case.reference))


@login_required
@require_http_methods(["GET", "POST"])
def referral_skip(request: AuthenticatedRequest, reference: str, pk: int) -> HttpResponse:
    case, referral = _case_referral(request, reference, pk)
    return _form_page(
        request, form=SkipForm(request.POST or None, initial={"version": referral.version}),
        template="pathways/referral_form.html",
        context={"case": case, "referral": referral, "title": _("Skip this service")},
        perform=lambda data: services.referral_skip(referral=referral, reason=data["reason"], by=request.user,
                                                    expected_version=data["version"]),
        success=_("Service skipped."), done=lambda: redirect("case", reference=case.reference))


@login_required
@require_http_methods(["GET", "POST"])
def referral_delivery(request: AuthenticatedRequest, reference: str, pk: int) -> HttpResponse:
    case, referral = _case_referral(request, reference, pk)
    policy.require(policy.can_record_delivery(request.user, referral))
    return _form_page(
        request, form=DeliveryForm(request.POST or None, initial={"version": referral.version}),
        template="pathways/referral_form.html",
        context={"case": case, "referral": referral, "title": _("Record the service delivered")},
        perform=lambda data: services.referral_record_delivery(
            referral=referral, note=data["note"], outcome=data["outcome"], by=request.user,
            expected_version=data["version"]),
        success=_("Service delivery recorded."), done=lambda: redirect("case", reference=case.reference))


@login_required
@require_http_methods(["POST"])
def referral_add(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = case_file(viewer=request.user, reference=reference)
    policy.require(policy.can_manage_pathway(request.user, case))
    form = AddServiceForm(request.POST)
    if form.is_valid():
        services.pathway_add_service(case=case, kind=form.cleaned_data["kind"], by=request.user)
        messages.success(request, _("Service added to the pathway."))
    else:
        messages.error(request, _("The form was incomplete; nothing was changed."))
    return redirect("case", reference=case.reference)


@login_required
def referrals_in_scope(request: AuthenticatedRequest) -> HttpResponse:
    """Service referrals of the cases one works on: what is overdue, due this week, awaiting a move."""
    if policy.case_file_filter(request.user) is None:
        raise Http404
    form = ScopeFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    referrals = selectors.referrals_in_scope(viewer=request.user, flag=data.get("deadline", ""),
                                             awaiting=bool(data.get("awaiting")))
    page = page_of(Paginator(referrals, 25), request)
    return render(request, "pathways/referrals.html", {"form": form, "page": page,
                                                       "query": query_without_page(request)})


# --- The provider's side ----------------------------------------------------------------------

@login_required
def provider_inbox(request: AuthenticatedRequest) -> HttpResponse:
    if policy.service_referral_filter(request.user) is None:
        raise Http404
    form = InboxFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    referrals = selectors.provider_inbox(viewer=request.user, status=data.get("status", ""),
                                         flag=data.get("deadline", ""))
    page = page_of(Paginator(referrals, 25), request)
    return render(request, "pathways/inbox.html", {"form": form, "page": page, "query": query_without_page(request)})


def _provider_context(request: AuthenticatedRequest, referral: ServiceReferral) -> dict[str, Any]:
    return {"referral": referral, "shared": selectors.shared_record(referral),
            "sharing_allowed": selectors.sharing_allowed(referral),
            "can_respond": policy.can_respond_to_referral(request.user, referral),
            "can_deliver": policy.can_record_delivery(request.user, referral),
            "version": referral.version}


@login_required
def provider_referral(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = selectors.provider_referral(viewer=request.user, pk=pk)
    return render(request, "pathways/provider_referral.html", _provider_context(request, referral))


@login_required
@require_http_methods(["POST"])
def provider_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = selectors.provider_referral(viewer=request.user, pk=pk)
    policy.require(policy.can_respond_to_referral(request.user, referral))
    form = ReferralVersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form was incomplete; nothing was changed."))
        return redirect("provider-referral", pk=referral.pk)
    try:
        services.referral_accept(referral=referral, by=request.user, expected_version=form.cleaned_data["version"])
    except REFUSALS as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Referral accepted."))
    return redirect("provider-referral", pk=referral.pk)


def _provider_form(request: AuthenticatedRequest, pk: int, *, allowed: Callable[[User, ServiceReferral], bool],
                   form_class: type[forms.Form], title: str, perform: Callable[..., object], success: str
                   ) -> HttpResponse:
    referral = selectors.provider_referral(viewer=request.user, pk=pk)
    policy.require(allowed(request.user, referral))
    return _form_page(request, form=form_class(request.POST or None, initial={"version": referral.version}),
                      template="pathways/provider_form.html",
                      context={**_provider_context(request, referral), "title": title},
                      perform=lambda data: perform(referral, data), success=success,
                      done=lambda: redirect("provider-referral", pk=referral.pk))


@login_required
@require_http_methods(["GET", "POST"])
def provider_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _provider_form(
        request, pk, allowed=policy.can_respond_to_referral, form_class=DeclineForm, title=_("Decline the referral"),
        perform=lambda referral, data: services.referral_decline(
            referral=referral, reason=data["reason"], by=request.user, expected_version=data["version"]),
        success=_("Referral declined; the coordinator is told."))


@login_required
@require_http_methods(["GET", "POST"])
def provider_delivery(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _provider_form(
        request, pk, allowed=policy.can_record_delivery, form_class=DeliveryForm,
        title=_("Record the service delivered"),
        perform=lambda referral, data: services.referral_record_delivery(
            referral=referral, note=data["note"], outcome=data["outcome"], by=request.user,
            expected_version=data["version"]),
        success=_("Service delivery recorded."))


# --- Transfer of case management --------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def case_transfer(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = case_file(viewer=request.user, reference=reference)
    policy.require(policy.can_transfer_case(request.user, case))
    form = TransferForm(request.POST or None, candidates=services.transfer_candidates(case))
    return _form_page(
        request, form=form, template="pathways/transfer.html",
        context={"case": case, "can_override": policy.can_override_consent(request.user, case)},
        perform=lambda data: services.transfer_request(case=case, to_user=data["to_user"], reason=data["reason"],
                                                       by=request.user, override_reason=data["override_reason"]),
        success=_("Transfer requested; the receiver decides."), done=lambda: redirect("case", reference=case.reference))


def _transfers(request: AuthenticatedRequest) -> Any:
    rule = policy.case_transfer_filter(request.user)
    if rule is None:
        raise Http404
    return CaseTransfer.objects.filter(rule).select_related("case", "requested_by__agency", "from_user__agency")


@login_required
def transfers(request: AuthenticatedRequest) -> HttpResponse:
    page = page_of(Paginator(_transfers(request), 25), request)
    return render(request, "pathways/transfers.html", {"page": page, "query": query_without_page(request)})


@login_required
@require_http_methods(["GET", "POST"])
def transfer_respond(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(_transfers(request), pk=pk)
    form = TransferResponseForm(request.POST or None)

    def done() -> HttpResponse:
        transfer.refresh_from_db()
        if transfer.status == TransferStatus.ACCEPTED:
            return redirect("case", reference=transfer.case.reference)
        return redirect("transfers")

    return _form_page(
        request, form=form, template="pathways/transfer_respond.html", context={"transfer": transfer},
        perform=lambda data: services.transfer_respond(transfer=transfer, accept=data["accept"], by=request.user,
                                                       reason=data["reason"]),
        success=_("Answer recorded."), done=done)
