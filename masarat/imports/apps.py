from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "masarat.imports"
    verbose_name = _("Imports of existing records")

    def ready(self) -> None:
        from masarat.imports.personal_data import register_personal_data

        register_personal_data()
