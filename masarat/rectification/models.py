"""Rectifications of a person's identity (Law 09-08, right of rectification).

Each correction keeps, encrypted, the identity before and after it, so that a mistaken correction
can be undone by another one ("restore these values"). The audit trail records which fields
changed, never their values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case
from masarat.people.models import Person
from masarat.vault.fields import EncryptedJSONField, EncryptedTextField


class Rectification(models.Model):
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="rectifications")
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+",
                             help_text=_("The case file from which the correction was made."))
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    made_at = models.DateTimeField(_("made"), auto_now_add=True)
    requested_by_person = models.BooleanField(_("requested by the person"), default=False)
    reason = EncryptedTextField(_("reason"))
    # Names of the fields that changed (no values): what the history and the audit trail show.
    changed_fields = models.JSONField(default=list)
    before = EncryptedJSONField(_("identity before"))
    after = EncryptedJSONField(_("identity after"))
    restores = models.ForeignKey("self", verbose_name=_("restores the values before"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-made_at", "-pk"]
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")

    def __str__(self) -> str:
        return f"{self.person_id} {self.made_at:%Y-%m-%d}"
