from django.db import models
from django.utils.translation import gettext_lazy as _


class Consent(models.TextChoices):
    GIVEN = "given", _("Given: the person agrees to be referred")
    REFUSED = "refused", _("Refused: an anonymous notification is recorded instead")
    NOT_REQUIRED_CHILD = "not_required_child", _("Not required: the person is a child")


class Indicator(models.TextChoices):
    """A first checklist of observed indicators (ILO forced labour indicators and common signs).

    The full indicator-based screening tool replaces this checklist for assessments; these
    remain the quick observations of a referral form.
    """

    DECEPTION = "deception", _("Deceived about the work or its conditions")
    DOCUMENTS_WITHHELD = "documents_withheld", _("Identity documents withheld by someone else")
    DEBT_BONDAGE = "debt_bondage", _("Owes a debt to an employer or recruiter")
    WAGES_WITHHELD = "wages_withheld", _("Wages withheld or not paid")
    MOVEMENT_RESTRICTED = "movement_restricted", _("Cannot move freely or leave")
    ISOLATION = "isolation", _("Isolated, does not know the address or language")
    VIOLENCE = "violence", _("Physical or sexual violence")
    THREATS = "threats", _("Threats against the person or family")
    ABUSIVE_CONDITIONS = "abusive_conditions", _("Abusive working or living conditions")
    EXCESSIVE_HOURS = "excessive_hours", _("Excessive working hours")
    ABUSE_OF_VULNERABILITY = "abuse_of_vulnerability", _("Someone takes advantage of a vulnerability")
    CONTROLLED_BY_OTHERS = "controlled_by_others", _("Someone else speaks or decides for the person")


class UrgentNeed(models.TextChoices):
    MEDICAL = "medical", _("Medical care")
    SHELTER = "shelter", _("Shelter tonight")
    SAFETY = "safety", _("Safety: the person is in danger")
    INTERPRETER = "interpreter", _("Interpreter")
