from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HtcdsConfig(AppConfig):
    name = "masarat.htcds"
    verbose_name = _("HTCDS exchange")
