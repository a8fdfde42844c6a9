from __future__ import annotations

import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from masarat.organisations.models import Agency


class Role(models.TextChoices):
    FRONTLINE_RESPONDER = "frontline_responder", _("Frontline responder")
    COORDINATOR = "coordinator", _("NRM coordinator")
    CASE_MANAGER = "case_manager", _("Case manager")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    JUSTICE = "justice", _("Justice (prosecutor, judicial police)")
    ANALYST = "analyst", _("Analyst")
    AUDITOR = "auditor", _("Auditor")
    ADMINISTRATOR = "administrator", _("System administrator")


class CoordinationScope(models.TextChoices):
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")


class User(AbstractUser):
    """A person who uses Masarat: one agency, one role."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="users", null=True
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, db_index=True)
    coordination_scope = models.CharField(
        _("coordination scope"),
        max_length=10,
        choices=CoordinationScope.choices,
        blank=True,
        help_text=_("Only for NRM coordinators: their region, or the whole country."),
    )
    # Part of the hash every session carries: raising it ends every session of the user at once
    # ("sign out everywhere", a reset second factor), as changing the password does.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_session_auth_hash(self) -> str:
        return self._session_hash(secret=None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        for fallback_secret in settings.SECRET_KEY_FALLBACKS:
            yield self._session_hash(secret=fallback_secret)

    def _session_hash(self, *, secret: str | bytes | None) -> str:
        # At epoch 0 the hash is Django's own, so existing sessions survive the upgrade.
        value = self.password if self.session_epoch == 0 else f"{self.password}:{self.session_epoch}"
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def region(self) -> str:
        """The region of the user's agency (empty for an account not yet attached to one)."""
        return self.agency.region if self.agency is not None else ""

    @property
    def is_national_coordinator(self) -> bool:
        return self.role == Role.COORDINATOR and self.coordination_scope == CoordinationScope.NATIONAL


def hash_token(raw_token: str) -> str:
    return hashlib.sha256(raw_token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API. Only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8, help_text=_("First characters, to recognise the token."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
