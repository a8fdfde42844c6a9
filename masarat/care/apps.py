from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "masarat.care"
    verbose_name = _("Case management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masarat.care import kinds  # noqa: F401  (registers the record kinds)
