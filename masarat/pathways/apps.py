from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "masarat.pathways"
    verbose_name = _("Protection pathways")
