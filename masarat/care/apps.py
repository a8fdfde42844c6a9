from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "masarat.care"
    verbose_name = _("Case management")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masarat.care import kinds  # noqa: F401  (registers the record kinds)
        from masarat.cases.record_rights import register_records_of_app

        register_records_of_app("case management", "care")
