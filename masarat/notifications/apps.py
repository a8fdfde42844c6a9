from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "masarat.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from masarat.notifications.personal_data import register_personal_data

        register_personal_data()
