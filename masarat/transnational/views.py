"""Sending a case abroad from the case page, receiving a package, uploading an acknowledgement."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.access import policy
from masarat.cases.selectors import case_file
from masarat.consent.services import ConsentMissing, ConsentRefused, consent_in_force
from masarat.consent.vocabulary import ConsentPurpose
from masarat.transnational import services
from masarat.transnational.forms import PackageForm, UploadForm
from masarat.transnational.models import IncomingPackage
from masarat.transnational.selectors import allowed_countries
from masarat.web.http import AuthenticatedRequest


@login_required
@require_http_methods(["GET", "POST"])
def package_new(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    user = request.user
    case = case_file(viewer=user, reference=reference)
    policy.require(policy.can_send_case_abroad(user, case))
    may_override = policy.can_override_consent(user, case)
    form = PackageForm(request.POST or None, may_override=may_override)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                package, raw = services.package_create(
                    case=case, partner=form.cleaned_data["partner"], by=user,
                    override_reason=form.cleaned_data.get("override_reason", ""))
            except (services.PackageNotAllowed, ConsentMissing, ConsentRefused) as refusal:
                form.add_error(None, str(refusal))
                status = 409
            else:
                response = HttpResponse(raw, content_type="application/json")
                response["Content-Disposition"] = (
                    f'attachment; filename="masarat-package-{case.reference}-{str(package.id)[:8]}.json"')
                return response
        else:
            status = 400
    return render(request, "transnational/package_form.html", {
        "case": case, "form": form, "title": _("Send the case abroad"),
        "consent": consent_in_force(case, ConsentPurpose.TRANSFER_ABROAD),
        "countries": sorted(allowed_countries()), "may_override": may_override,
    }, status=status)


def _upload_page(request: AuthenticatedRequest, *, title: str, receiving: bool,
                 handle: Callable[[bytes], HttpResponse]) -> HttpResponse:
    """An upload form whose file ``handle`` records; a refusal (nothing written) is shown on the form."""
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        else:
            try:
                return handle(form.cleaned_data["file"])
            except services.PackageRefused as refusal:
                form.add_error(None, refusal.message)
                status = 409
    return render(request, "transnational/upload_form.html", {"form": form, "title": title, "receiving": receiving},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def package_receive(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_receive_packages(request.user):
        raise Http404

    def receive(raw: bytes) -> HttpResponse:
        incoming = services.package_receive(raw=raw, by=request.user)
        messages.success(request, _("Package received and recorded as %(reference)s. Send the "
                                    "acknowledgement back to the sender.") % {"reference": incoming.case.reference})
        return redirect("package-received", pk=incoming.pk)

    return _upload_page(request, title=_("Receive a case package from abroad"), receiving=True, handle=receive)


def _received(request: AuthenticatedRequest, pk: uuid.UUID) -> IncomingPackage:
    incoming = IncomingPackage.objects.select_related("partner", "case").filter(pk=pk).first()
    if incoming is None or not policy.can_see_received_package(request.user, incoming):
        raise Http404
    return incoming


@login_required
def package_received(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    incoming = _received(request, pk)
    return render(request, "transnational/received.html", {
        "incoming": incoming, "can_open_case": policy.can_open_case_file(request.user, incoming.case)})


@login_required
def package_acknowledgement(request: AuthenticatedRequest, pk: uuid.UUID) -> HttpResponse:
    incoming = _received(request, pk)
    response = HttpResponse(incoming.acknowledgement.encode("ascii"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="masarat-acknowledgement-{str(incoming.pk)[:8]}.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def acknowledgement_upload(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_acknowledge_packages(request.user):
        raise Http404

    def acknowledge(raw: bytes) -> HttpResponse:
        package = services.acknowledgement_receive(raw=raw, by=request.user)
        messages.success(request, _("Acknowledgement recorded: %(partner)s received the package as "
                                    "%(reference)s.") % {"partner": package.partner.name,
                                                         "reference": package.remote_reference})
        return redirect("case", reference=package.case.reference)

    return _upload_page(request, title=_("Record a partner's acknowledgement"), receiving=False, handle=acknowledge)
