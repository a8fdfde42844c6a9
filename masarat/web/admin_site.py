"""The Django admin is for system administrators only: users, agencies, holidays, tokens.

No model holding a person's data is registered there, and only the administrator role may
enter, whatever the ``is_staff`` flag says.
"""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from masarat.access import policy


def restrict_admin_to_administrators(site: AdminSite) -> None:
    def has_permission(request: HttpRequest) -> bool:
        return policy.can_administer(request.user)  # type: ignore[arg-type]

    site.has_permission = has_permission  # type: ignore[method-assign]
    site.site_header = _("Masarat administration")
    site.site_title = _("Masarat administration")
    site.index_title = _("Users, agencies and settings")
