from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensitiveConfig(AppConfig):
    name = "masarat.sensitive"
    verbose_name = _("Sensitive categories of data")
    default_auto_field = "django.db.models.BigAutoField"
