from __future__ import annotations

from django.http import HttpRequest

from masarat.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request behind ``login_required``: its user is a Masarat user, never anonymous."""

    user: User
