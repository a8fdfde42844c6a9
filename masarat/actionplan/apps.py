from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def install_shipped_plans(sender: AppConfig, **kwargs: Any) -> None:
    """After every migrate, add the shipped example plans that are missing (see data/plans.yaml)."""
    from masarat.actionplan.services import install_shipped_plans as install

    install()


class ActionPlanConfig(AppConfig):
    name = "masarat.actionplan"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        post_migrate.connect(install_shipped_plans, sender=self)
