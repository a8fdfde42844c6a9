"""Documents attached to a case, stored encrypted in the database."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case
from masarat.vault.fields import EncryptedTextField


class DocumentKind(models.TextChoices):
    SIGNED_CONSENT = "signed_consent", _("Signed consent")
    MEDICAL_CERTIFICATE = "medical_certificate", _("Medical certificate")
    COURT_PAPERS = "court_papers", _("Court papers")
    IDENTITY_DOCUMENT = "identity_document", _("Copy of an identity document")
    OTHER = "other", _("Other document")


class CaseDocument(models.Model):
    """A file attached to a case. Its content is encrypted with a context naming this very document,
    so that content copied onto another row does not decrypt."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind of document"), max_length=20, choices=DocumentKind.choices)
    # A file name can name the person ("passport_amina_diallo.pdf"): encrypted too.
    filename = EncryptedTextField(_("file name"))
    content_type = models.CharField(_("type"), max_length=40)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64, help_text=_("Of the plain content, to check it is intact."))
    content = models.BinaryField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"),
                                    on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.pk}"

    @property
    def encryption_context(self) -> str:
        return f"documents.CaseDocument.content:{self.key}"
