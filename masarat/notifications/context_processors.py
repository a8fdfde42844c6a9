from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from masarat.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    """The number of unread notifications, for the navigation bar (one indexed count)."""
    user = request.user
    if not user.is_authenticated or getattr(request, "mfa_pending", False):
        return {}
    return {"unread_notifications": unread_count(viewer=user)}
