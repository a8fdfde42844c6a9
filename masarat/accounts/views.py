"""The pages of sign-in security: the second factor, recovery codes, sign out everywhere, lockout."""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from masarat.accounts import services
from masarat.accounts.forms import SetupCodeForm, VerifyCodeForm
from masarat.web.http import AuthenticatedRequest


def _next_url(request: HttpRequest) -> str:
    """Where to go once the second factor is done: the page asked for, if it is one of ours."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _is_verified(request: AuthenticatedRequest) -> bool:
    return bool(request.user.is_verified())  # type: ignore[attr-defined]  # set by django-otp's middleware


@login_required
def mfa_verify(request: AuthenticatedRequest) -> HttpResponse:
    """The second step of sign-in: a code of the authenticator app, or a recovery code."""
    user = request.user
    if _is_verified(request):
        return redirect(_next_url(request))
    if not services.mfa_is_set_up(user=user):
        return redirect("mfa-setup")
    form = VerifyCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.mfa_verify(user=user, token=form.cleaned_data["token"])
        if device is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = services.recovery_codes_left(user=user)
                messages.warning(request, _("You used a recovery code. Recovery codes left: %(count)d.")
                                 % {"count": left})
            return redirect(_next_url(request))
        form.add_error("token", _("This code is not valid. Check the time on your phone, wait for a new "
                                  "code and try again, or use a recovery code."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@login_required
def mfa_setup(request: AuthenticatedRequest) -> HttpResponse:
    """Set up (or replace) the authenticator app: the secret as text and as a QR code, then a code."""
    user = request.user
    already = services.mfa_is_set_up(user=user)
    if already and not _is_verified(request):
        # Replacing the app needs the current one: otherwise a password alone could swap it.
        return redirect("mfa-verify")
    device = services.totp_device_pending(user=user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = services.totp_device_confirm(user=user, token=form.cleaned_data["token"])
        if confirmed is not None:
            totp, codes = confirmed
            request.session.cycle_key()
            django_otp.login(request, totp)
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("This code is not the one the app shows. Check that the app was set up "
                                  "with this secret and that the time on your phone is right."))
    secret = b32encode(device.bin_key).decode("ascii")
    context: dict[str, Any] = {
        "form": form,
        "already": already,
        "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        "otpauth_uri": device.config_url,
        "qr_code": segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4, dark="#000",
                                                                          light="#fff"),
        "required": services.mfa_required(),
        "next": _next_url(request),
    }
    return render(request, "accounts/mfa_setup.html", context)


@login_required
@require_POST
def recovery_codes_renew(request: AuthenticatedRequest) -> HttpResponse:
    if not (services.mfa_is_set_up(user=request.user) and _is_verified(request)):
        return redirect("account")
    codes = services.recovery_codes_renew(user=request.user)
    return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": resolve_url("account")})


@login_required
@require_POST
def sign_out_everywhere(request: AuthenticatedRequest) -> HttpResponse:
    services.sign_out_everywhere(user=request.user)
    logout(request)
    messages.success(request, _("You have been signed out on every device, including this one."))
    return redirect("login")


def locked_out(request: HttpRequest, original_response: HttpResponse | None = None,
               credentials: dict[str, Any] | None = None) -> HttpResponse:
    """The page django-axes shows after too many failed sign-ins (AXES_LOCKOUT_CALLABLE)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html",
                  {"minutes": minutes, "failures": settings.AXES_FAILURE_LIMIT}, status=429)
