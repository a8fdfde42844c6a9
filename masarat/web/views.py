from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from masarat.access import policy
from masarat.accounts import services as account_services
from masarat.accounts.models import Role
from masarat.web.http import AuthenticatedRequest


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    """Each role starts where its work is."""
    user = request.user
    if policy.case_file_filter(user) is not None:
        return redirect("queue")
    if user.role == Role.FRONTLINE_RESPONDER:
        return redirect("referral-list")
    if policy.service_referral_filter(user) is not None:
        return redirect("provider-inbox")
    if policy.is_justice(user):
        return redirect("hearings")
    if policy.can_browse_audit(user):
        return redirect("audit-log")
    if policy.can_administer(user):
        return redirect("admin:index")
    if policy.can_view_aggregates(user):
        return redirect("overview")
    return _account_page(request)


@login_required
def account(request: AuthenticatedRequest) -> HttpResponse:
    return _account_page(request)


def _account_page(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    return render(request, "web/account.html", {
        "mfa_on": account_services.mfa_is_set_up(user=user),
        "mfa_required": account_services.mfa_required(),
        "recovery_codes_left": account_services.recovery_codes_left(user=user),
        "idle_minutes": settings.MASARAT_IDLE_TIMEOUT_MINUTES,
    })


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def not_found(request: AuthenticatedRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):  # an address outside the API's routes answers like the API does
        return JsonResponse({"detail": gettext("Not found.")}, status=404)
    return render(request, "web/not_found.html", status=404)


def forbidden(request: AuthenticatedRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": gettext("You do not have permission to perform this action.")}, status=403)
    return render(request, "web/forbidden.html", status=403)
