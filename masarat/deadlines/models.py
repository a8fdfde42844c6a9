from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicHoliday(models.Model):
    """A day on which working-day deadlines do not run.

    Fixed national holidays recur every year (``year`` empty). Religious holidays follow the
    lunar calendar and are entered for each year once the authorities announce them.
    """

    name = models.CharField(_("name"), max_length=100)
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    day = models.PositiveSmallIntegerField(_("day"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("Leave empty for a holiday on the same date every year.")
    )

    class Meta:
        ordering = ["month", "day"]
        verbose_name = _("public holiday")
        verbose_name_plural = _("public holidays")
        constraints = [
            models.UniqueConstraint(fields=["month", "day", "year"], name="unique_holiday_date"),
        ]

    def __str__(self) -> str:
        year = self.year if self.year else "*"
        return f"{self.name} ({self.day:02d}/{self.month:02d}/{year})"
