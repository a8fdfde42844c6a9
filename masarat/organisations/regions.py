"""The 12 regions of Morocco (2015 division), keyed by their ISO 3166-2:MA codes."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    TANGER_TETOUAN_AL_HOCEIMA = "MA-01", _("Tanger-Tétouan-Al Hoceïma")
    ORIENTAL = "MA-02", _("L'Oriental")
    FES_MEKNES = "MA-03", _("Fès-Meknès")
    RABAT_SALE_KENITRA = "MA-04", _("Rabat-Salé-Kénitra")
    BENI_MELLAL_KHENIFRA = "MA-05", _("Béni Mellal-Khénifra")
    CASABLANCA_SETTAT = "MA-06", _("Casablanca-Settat")
    MARRAKECH_SAFI = "MA-07", _("Marrakech-Safi")
    DRAA_TAFILALET = "MA-08", _("Drâa-Tafilalet")
    SOUSS_MASSA = "MA-09", _("Souss-Massa")
    GUELMIM_OUED_NOUN = "MA-10", _("Guelmim-Oued Noun")
    LAAYOUNE_SAKIA_EL_HAMRA = "MA-11", _("Laâyoune-Sakia El Hamra")
    DAKHLA_OUED_ED_DAHAB = "MA-12", _("Dakhla-Oued Ed-Dahab")
