from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.organisations.regions import Region


class AgencyKind(models.TextChoices):
    POLICE = "police", _("Police (DGSN)")
    GENDARMERIE = "gendarmerie", _("Royal Gendarmerie")
    PROSECUTION = "prosecution", _("Public prosecution")
    LABOUR_INSPECTION = "labour_inspection", _("Labour inspection")
    HEALTH = "health", _("Health service")
    SOCIAL_SERVICES = "social_services", _("Social services")
    NGO = "ngo", _("Non-governmental organisation")
    CONSULATE = "consulate", _("Consulate")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    SHELTER = "shelter", _("Shelter")
    NATIONAL_COMMISSION = "national_commission", _("National commission")


class Agency(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=AgencyKind.choices, db_index=True)
    region = models.CharField(_("region"), max_length=5, choices=Region.choices, db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name
