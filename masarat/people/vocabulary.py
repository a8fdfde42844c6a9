"""Closed vocabularies about a person (aligned with HTCDS 2.0 where it has one)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNKNOWN = "unknown", _("Unknown")


class BirthDatePrecision(models.TextChoices):
    FULL = "full", _("Full date of birth")
    YEAR_MONTH = "year_month", _("Year and month of birth")
    YEAR = "year", _("Year of birth only")
    ESTIMATED_AGE = "estimated_age", _("Estimated age")


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    DARIJA = "ary", _("Moroccan Arabic (Darija)")
    AMAZIGH = "zgh", _("Amazigh")
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    WOLOF = "wo", _("Wolof")
    BAMBARA = "bm", _("Bambara")
    FULA = "ff", _("Fula")
    LINGALA = "ln", _("Lingala")
    HAUSA = "ha", _("Hausa")
    YORUBA = "yo", _("Yoruba")
    IGBO = "ig", _("Igbo")
    SWAHILI = "sw", _("Swahili")
    TIGRINYA = "ti", _("Tigrinya")
    AMHARIC = "am", _("Amharic")
    TAGALOG = "tl", _("Tagalog (Filipino)")
    BENGALI = "bn", _("Bengali")
    URDU = "ur", _("Urdu")
    OTHER = "other", _("Other language")


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    NATIONAL_ID = "national_id", _("National identity card")
    RESIDENCE_PERMIT = "residence_permit", _("Residence permit")
    REFUGEE_CARD = "refugee_card", _("Refugee or asylum-seeker card")
    BIRTH_CERTIFICATE = "birth_certificate", _("Birth certificate")
    OTHER = "other", _("Other document")
