from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    name = "masarat.rectification"
    verbose_name = _("Rectification of identities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masarat.rectification import personal_data

        personal_data.register_personal_data()
