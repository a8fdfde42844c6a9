from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_default_indicator_sets(sender: AppConfig, **kwargs: Any) -> None:
    """After every migrate, add the shipped indicator sets (and new versions of them) that are missing.
    Versions already installed are never changed."""
    from masarat.screening.services import load_default_sets

    load_default_sets()


class ScreeningConfig(AppConfig):
    name = "masarat.screening"
    verbose_name = _("Identification screening")

    def ready(self) -> None:
        post_migrate.connect(install_default_indicator_sets, sender=self)
