"""The Django admin is for system administrators: users, agencies, holidays, tokens.

No model holding a person's data is registered there, and only the administrator role may
enter, whatever the ``is_staff`` flag says; the commission's secretariat (national coordinators)
also enters, and sees only the action plan (its model admins ask ``policy.can_edit_action_plan``;
every other model admin asks Django's permissions, which they do not have).
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from masarat.access import policy


def restrict_admin_to_administrators(site: AdminSite) -> None:
    def has_permission(request: HttpRequest) -> bool:
        return policy.can_enter_admin(request.user)  # type: ignore[arg-type]

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.site_header = _("Masarat administration")
    site.site_title = _("Masarat administration")
    site.index_title = _("Users, agencies and settings")
