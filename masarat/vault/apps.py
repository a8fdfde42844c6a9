from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaultConfig(AppConfig):
    name = "masarat.vault"
    verbose_name = _("Encryption of identities")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from masarat.vault.keys import keyring

        @checks.register(checks.Tags.security)
        def keys_are_usable(app_configs: object, **kwargs: object) -> list[checks.CheckMessage]:
            keyring()  # raises ImproperlyConfigured, with the variable's name, on a malformed key
            return []
