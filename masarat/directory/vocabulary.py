"""What a provider can offer, and to whom."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceKind(models.TextChoices):
    EMERGENCY_SHELTER = "emergency_shelter", _("Emergency shelter")
    LONG_TERM_SHELTER = "long_term_shelter", _("Long-term shelter")
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    INTERPRETATION = "interpretation", _("Interpretation")
    EDUCATION = "education", _("Education")
    VOCATIONAL_TRAINING = "vocational_training", _("Vocational training")
    FINANCIAL_ASSISTANCE = "financial_assistance", _("Financial assistance")
    FAMILY_TRACING = "family_tracing", _("Family tracing")
    VOLUNTARY_RETURN = "voluntary_return", _("Voluntary return and reintegration")
    CONSULAR_ASSISTANCE = "consular_assistance", _("Consular assistance")


SHELTER_KINDS = frozenset({ServiceKind.EMERGENCY_SHELTER, ServiceKind.LONG_TERM_SHELTER})


class Audience(models.TextChoices):
    """Who a shelter (or any service) takes in, by sex."""

    EVERYONE = "everyone", _("Women and men")
    WOMEN = "women", _("Women and girls")
    MEN = "men", _("Men and boys")


class NationalityRule(models.TextChoices):
    ANY = "any", _("Any nationality")
    MOROCCAN = "moroccan", _("Moroccan nationals only")
    FOREIGN = "foreign", _("Foreign nationals only")
