from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceedingsConfig(AppConfig):
    name = "masarat.proceedings"
    verbose_name = _("Proceedings")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masarat.cases.record_rights import register_records_of_app
        from masarat.proceedings import kinds  # noqa: F401  (registers the record kinds)

        register_records_of_app("proceedings", "proceedings")
