"""The services directory: searched by anyone who refers; free places kept current by the provider."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.access import policy
from masarat.directory import services
from masarat.directory.forms import CapacityForm, DirectoryFilterForm, ServiceForm
from masarat.directory.models import Service
from masarat.directory.selectors import ServiceFilters, service_search
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import page_of, query_without_page


def _require_directory(request: AuthenticatedRequest) -> None:
    if not policy.can_search_directory(request.user):
        raise Http404


@login_required
def directory(request: AuthenticatedRequest) -> HttpResponse:
    _require_directory(request)
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = ServiceFilters(kind=data.get("kind", ""), region=data.get("region", ""), city=data.get("city", ""),
                             language=data.get("language", ""), age=data.get("age"),
                             with_free_places=bool(data.get("free")), search=data.get("q", ""))
    page = page_of(Paginator(service_search(filters), 25), request)
    return render(request, "directory/directory.html", {"form": form, "page": page,
                                                        "query": query_without_page(request)})


@login_required
@require_http_methods(["GET", "POST"])
def service_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_directory(request)
    service = get_object_or_404(service_search(ServiceFilters()), pk=pk)
    can_edit = policy.can_edit_service(request.user, service)
    form = CapacityForm(initial={"free": service.capacity_free}) if can_edit else None
    status = 200
    if request.method == "POST":
        policy.require(can_edit)
        form = CapacityForm(request.POST)
        if form.is_valid():
            try:
                services.service_capacity_update(service=service, free=form.cleaned_data["free"], by=request.user)
            except services.CapacityRefused as exc:
                form.add_error("free", str(exc))
            else:
                messages.success(request, _("Free places updated."))
                return redirect("directory-service", pk=service.pk)
        status = 400
    return render(request, "directory/service.html", {"service": service, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A provider's own user keeps its entry current."""
    _require_directory(request)
    service = get_object_or_404(service_search(ServiceFilters()), pk=pk)
    policy.require(policy.can_edit_service(request.user, service))
    # The form gets its own copy: validating a model form writes into its instance, and the service
    # compares with the entry as stored to record which fields changed.
    form = ServiceForm(request.POST or None, instance=Service.objects.get(pk=service.pk))
    if request.method == "POST":
        if form.is_valid():
            services.service_update(service=service, data={**form.cleaned_data}, by=request.user)
            messages.success(request, _("Service updated."))
            return redirect("directory-service", pk=service.pk)
        return render(request, "directory/service_edit.html", {"service": service, "form": form}, status=400)
    return render(request, "directory/service_edit.html", {"service": service, "form": form})
