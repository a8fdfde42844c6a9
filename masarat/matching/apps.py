from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "masarat.matching"
    verbose_name = _("Duplicate detection")
