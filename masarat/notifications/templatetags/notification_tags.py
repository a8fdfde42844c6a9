from __future__ import annotations

from typing import Any

from django import template

from masarat.notifications.forms import PreferenceForm
from masarat.notifications.views import preference_initial

register = template.Library()


@register.inclusion_tag("notifications/preferences_panel.html", takes_context=True)
def notification_preferences(context: dict[str, Any]) -> dict[str, Any]:
    """The preferences form on the account page (it posts to the preferences page)."""
    request = context["request"]
    return {"form": PreferenceForm(initial=preference_initial(request)), "csrf_token": context.get("csrf_token")}
