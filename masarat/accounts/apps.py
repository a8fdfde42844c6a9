from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "masarat.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

        from masarat.accounts.middleware import start_idle_clock
        from masarat.accounts.services import record_sign_in, record_sign_in_failure, record_sign_out

        user_logged_in.connect(start_idle_clock, dispatch_uid="masarat.accounts.start_idle_clock")
        # Who signed in, from where, and who tried and failed: for the auditors and the data protection officer.
        user_logged_in.connect(record_sign_in, dispatch_uid="masarat.accounts.record_sign_in")
        user_logged_out.connect(record_sign_out, dispatch_uid="masarat.accounts.record_sign_out")
        user_login_failed.connect(record_sign_in_failure, dispatch_uid="masarat.accounts.record_sign_in_failure")
