from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_default_pathways(sender: AppConfig, **kwargs: Any) -> None:
    from masarat.pathways.defaults import install_default_pathways as install

    install()


class PathwaysConfig(AppConfig):
    name = "masarat.pathways"
    verbose_name = _("Protection pathways")

    def ready(self) -> None:
        post_migrate.connect(install_default_pathways, sender=self)
        from masarat.pathways.personal_data import register_personal_data

        register_personal_data()
