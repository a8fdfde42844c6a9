"""The lockout check of django-axes, before Django's own password check."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out username and address before the password is even checked.

    Sign-ins through a web page always carry their request. A sign-in without one (a command, the
    test client) has no client address to lock out, so it is left to the next backend instead of
    failing as django-axes would.
    """

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)
