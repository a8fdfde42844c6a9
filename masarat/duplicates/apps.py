from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuplicatesConfig(AppConfig):
    name = "masarat.duplicates"
    label = "duplicates"
    verbose_name = _("Possible duplicates")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masarat.duplicates.index import register_match_indexes
        from masarat.duplicates.rights import register_rights_handlers

        register_match_indexes()
        register_rights_handlers()
