from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyRelease(models.Model):
    """One entry of the privacy-budget ledger: a table published with differential privacy.

    The epsilons of a budget period (a calendar year) add up (sequential composition); a release
    that would take the year past ``MASARAT_STATISTICS_PRIVACY_BUDGET`` is refused. Rows are only
    ever added.
    """

    budget_year = models.PositiveSmallIntegerField(_("budget year"), db_index=True)
    epsilon = models.DecimalField(_("epsilon"), max_digits=6, decimal_places=3)
    description = models.CharField(_("what was released"), max_length=200)
    released_by = models.CharField(_("released by"), max_length=150)
    released_at = models.DateTimeField(_("released"), auto_now_add=True)

    class Meta:
        ordering = ["-released_at"]
        verbose_name = _("differentially private release")
        verbose_name_plural = _("differentially private releases")
        constraints = [models.CheckConstraint(condition=models.Q(epsilon__gt=Decimal("0")), name="epsilon_positive")]

    def __str__(self) -> str:
        return f"{self.budget_year} ε={self.epsilon} {self.description}"


def privacy_budget() -> Decimal:
    return Decimal(settings.MASARAT_STATISTICS_PRIVACY_BUDGET)
