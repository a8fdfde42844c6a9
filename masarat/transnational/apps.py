from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransnationalConfig(AppConfig):
    name = "masarat.transnational"
    verbose_name = _("Transnational referrals")

    def ready(self) -> None:
        from masarat.transnational.personal_data import register_personal_data

        register_personal_data()
