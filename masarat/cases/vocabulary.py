"""Closed vocabularies of a case, with HTCDS 2.0 values where the standard has them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExploitationForm(models.TextChoices):
    """HTCDS ``vic_TypeOfExploitation``."""

    FORCED_LABOUR = "ForcedLabour", _("Forced labour")
    SEXUAL_EXPLOITATION = "SexualExploitation", _("Sexual exploitation")
    CHILD_LABOUR = "ChildLabour", _("Child labour")
    FORCED_MARRIAGE = "ForcedMarriage", _("Forced marriage")
    SERVITUDE = "Servitude", _("Servitude (including domestic servitude)")
    FORCED_MILITARY = "ForcedMilitary", _("Forced military service")
    ORGAN_REMOVAL = "OrganRemoval", _("Organ removal")
    FORCED_BEGGING = "ForcedBegging", _("Forced begging")
    FORCED_ADOPTION = "ForcedAdoption", _("Forced or illegal adoption")
    SURROGACY = "Surrogacy", _("Forced surrogacy")
    OTHER = "Other", _("Other form of exploitation")


class PlaceRole(models.TextChoices):
    """Stages of HTCDS historic trafficking events."""

    RECRUITMENT = "recruitment", _("Recruitment")
    TRANSIT = "transit", _("Transit")
    EXPLOITATION = "exploitation", _("Exploitation")


class DecisionStage(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary decision (presumed victim)")
    FORMAL = "formal", _("Formal identification decision")


class DecisionOutcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")
    MORE_INFORMATION = "more_information", _("More information needed")


class ReviewOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("Negative decision confirmed")
    OVERTURNED = "overturned", _("Negative decision overturned: positive")
