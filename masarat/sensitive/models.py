"""The permissions that open a sensitive category to a coordinator (granted in the administration site).

No table: the model exists only to carry the permissions; who sees what is decided in
``masarat.access.policy.visible_sensitive_categories``.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SensitiveCategoryAccess(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_health", _("Can read health information in the case files they open")),
            ("view_sexual_violence", _("Can read details of sexual exploitation and violence in the case files "
                                       "they open")),
        ]
        verbose_name = _("access to a sensitive category")
        verbose_name_plural = _("accesses to sensitive categories")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
