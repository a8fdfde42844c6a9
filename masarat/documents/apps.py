from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "masarat.documents"
    verbose_name = _("Documents")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from masarat.documents.rights import erase_documents, export_documents
        from masarat.rights.registry import PersonalData, register

        register(PersonalData("documents", export_documents, erase_documents))
