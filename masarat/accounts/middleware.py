"""Sign-in security on every request: the idle timeout and the second factor."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.utils.translation import ngettext

from masarat.accounts import services

LAST_ACTIVITY_SESSION_KEY = "masarat_last_activity"
# The last activity is written at most this often, not on every request (one session save less).
ACTIVITY_RESOLUTION_SECONDS = 60

# Pages an account waiting for its second factor may still open.
MFA_EXEMPT_VIEWS = {"login", "logout", "mfa-verify", "mfa-setup", "set_language", "admin:logout"}


def start_idle_clock(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    """At sign-in (user_logged_in), the session's activity starts now."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY_SESSION_KEY] = int(time.time())


class IdleTimeoutMiddleware:
    """Signs out a session left without activity for MASARAT_IDLE_TIMEOUT_MINUTES, and says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY_SESSION_KEY)
            minutes = settings.MASARAT_IDLE_TIMEOUT_MINUTES
            if isinstance(last, int) and now - last > minutes * 60:
                logout(request)
                messages.info(request, ngettext(
                    "You were signed out after %(minutes)d minute without activity. Sign in again to continue.",
                    "You were signed out after %(minutes)d minutes without activity. Sign in again to continue.",
                    minutes) % {"minutes": minutes})
            elif not isinstance(last, int) or now - last >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_ACTIVITY_SESSION_KEY] = now
        return self.get_response(request)


class TwoFactorMiddleware:
    """A session signed in with the password only is not yet a session.

    An account with an authenticator app must give its code (the verification step); when
    MASARAT_MFA_REQUIRED, an account without one must set one up first. Until then every page
    sends there, and the API treats the session as anonymous (API tokens are not concerned).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any,
                     view_kwargs: Any) -> HttpResponse | None:
        user: Any = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        has_device = services.mfa_is_set_up(user=user)
        if not has_device and not services.mfa_required():
            return None
        request.mfa_pending = True  # type: ignore[attr-defined]
        if request.path_info.startswith("/api/"):
            request.user = AnonymousUser()
            return None
        match = request.resolver_match
        if match is not None and match.view_name in MFA_EXEMPT_VIEWS:
            return None
        target = "mfa-verify" if has_device else "mfa-setup"
        response = redirect(target)
        if request.method == "GET":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
