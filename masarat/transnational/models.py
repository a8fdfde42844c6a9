"""Partners abroad, and the packages sent to them or received from them.

Partners hold no case data (administrators manage them). A package record holds no personal data
either: the case it carried, who, when, and what became of it; the package itself is never kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from masarat.cases.models import Case
from masarat.transnational.keys import decode_key, fingerprint, grouped


def _validate_key(value: str) -> None:
    try:
        decode_key(value)
    except ValueError:
        raise ValidationError(_("A public key is 32 bytes written in URL-safe base64 (44 characters).")) from None


class Partner(models.Model):
    """An organisation abroad, or another Masarat instance, that packages are exchanged with."""

    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"))
    encryption_key = models.CharField(_("public encryption key (X25519)"), max_length=64, validators=[_validate_key],
                                      help_text=_("As the partner gives it (masarat transnational identity)."))
    signing_key = models.CharField(_("public signing key (Ed25519)"), max_length=64, validators=[_validate_key],
                                   help_text=_("As the partner gives it (masarat transnational identity)."))
    fingerprint = models.CharField(_("fingerprint"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner abroad")
        verbose_name_plural = _("partners abroad")

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.encryption_key, self.signing_key = self.encryption_key.strip(), self.signing_key.strip()
        self.fingerprint = fingerprint(decode_key(self.encryption_key), decode_key(self.signing_key))
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        try:
            value = fingerprint(decode_key(self.encryption_key), decode_key(self.signing_key))
        except ValueError:
            return  # the fields' own validators say what is wrong
        if Partner.objects.filter(fingerprint=value).exclude(pk=self.pk).exists():
            raise ValidationError(_("Another partner already has these keys."))

    @property
    def fingerprint_display(self) -> str:
        return grouped(self.fingerprint)

    @property
    def encryption_key_bytes(self) -> bytes:
        return decode_key(self.encryption_key)

    @property
    def signing_key_bytes(self) -> bytes:
        return decode_key(self.signing_key)


class PackageStatus(models.TextChoices):
    SENT = "sent", _("Sent, not acknowledged")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")


class OutgoingPackage(models.Model):
    """A case package created for a partner (its id is the package id written in the file)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outgoing_packages")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="outgoing_packages")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"))
    status = models.CharField(_("status"), max_length=16, choices=PackageStatus.choices, default=PackageStatus.SENT)
    acknowledged_at = models.DateTimeField(_("received by the partner"), null=True, blank=True)
    remote_reference = models.CharField(_("reference at the partner"), max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("package sent abroad")
        verbose_name_plural = _("packages sent abroad")

    def __str__(self) -> str:
        return str(self.id)


class IncomingPackage(models.Model):
    """A package received and imported; its id stays recorded so that it can never be imported twice."""

    id = models.UUIDField(primary_key=True, editable=False)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="incoming_packages")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incoming_packages")
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received"))
    sent_at = models.DateTimeField(_("created by the sender"))
    acknowledgement = models.TextField(_("signed acknowledgement"))

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("package received from abroad")
        verbose_name_plural = _("packages received from abroad")

    def __str__(self) -> str:
        return str(self.id)
