from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case
from masarat.people.models import Person


class LegalHold(models.Model):
    """Proceedings, an inquiry or a dispute need this case kept: retention erases nothing of its person."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(_("placed"), auto_now_add=True)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("reason for lifting"), blank=True)

    class Meta:
        ordering = ["-placed_at"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        indexes = [models.Index(fields=["case", "lifted_at"])]

    def __str__(self) -> str:
        return f"{self.case_id} {'lifted' if self.lifted_at else 'active'}"

    @property
    def active(self) -> bool:
        return self.lifted_at is None


class Erasure(models.Model):
    """A person's identifying data was erased (retention period over, or an erasure request).

    The cases stay, with their statistical profile, so that the country's figures do not change.
    """

    class Ground(models.TextChoices):
        RETENTION = "retention", _("retention period over")
        REQUEST = "request", _("request of the person")

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="erasure")
    ground = models.CharField(_("ground"), max_length=12, choices=Ground.choices)
    erased_at = models.DateTimeField(_("erased"), auto_now_add=True)
    erased_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    case_references = models.JSONField(default=list)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")

    def __str__(self) -> str:
        return f"{self.person_id} {self.ground}"
