from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.cases.vocabulary import ExploitationForm
from masarat.directory.vocabulary import Audience, NationalityRule, ServiceKind
from masarat.organisations.models import Agency
from masarat.organisations.regions import Region
from masarat.people.vocabulary import Language


class Service(models.Model):
    """One service a provider agency offers, with whom it takes and how many places are free."""

    provider = models.ForeignKey(Agency, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="services")
    kind = models.CharField(_("service"), max_length=30, choices=ServiceKind.choices, db_index=True)
    name = models.CharField(_("name"), max_length=200)
    region = models.CharField(_("region"), max_length=5, choices=Region.choices, db_index=True)
    city = models.CharField(_("city"), max_length=100)
    # Eligibility.
    audience = models.CharField(_("takes"), max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True,
                                               validators=[MaxValueValidator(120)])
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True,
                                               validators=[MaxValueValidator(120)])
    nationality_rule = models.CharField(_("nationality"), max_length=10, choices=NationalityRule.choices,
                                        default=NationalityRule.ANY)
    exploitation_forms = models.JSONField(
        _("forms of exploitation"), default=list, blank=True,
        help_text=_("Codes of the forms of exploitation the service specialises in; empty for all."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    # Capacity, kept current by the provider's own users; empty when the service has no places to count.
    capacity_total = models.PositiveIntegerField(_("places"), null=True, blank=True)
    capacity_free = models.PositiveIntegerField(_("free places"), null=True, blank=True)
    capacity_updated_at = models.DateTimeField(_("free places updated"), null=True, blank=True)
    capacity_updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                            blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["region", "kind", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        indexes = [models.Index(fields=["kind", "region", "is_active"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    @property
    def language_codes(self) -> list[str]:
        return [item.language for item in self.languages.all()]

    @property
    def exploitation_labels(self) -> list[str]:
        labels = dict(ExploitationForm.choices)
        return [str(labels.get(code, code)) for code in self.exploitation_forms]

    @property
    def age_range(self) -> tuple[int | None, int | None]:
        return self.min_age, self.max_age


class ServiceLanguage(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, db_index=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["service", "language"], name="unique_service_language")]

    def __str__(self) -> str:
        return self.get_language_display()
