from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "masarat.rights"
    verbose_name = _("Rights of the persons and retention")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masarat.rights import handlers

        handlers.register_core_handlers()
