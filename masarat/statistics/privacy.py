"""Differential privacy for published tables: noise on counts and a budget ledger that refuses.

**Noise.** Each count gets two-sided geometric noise (the discrete Laplace mechanism): the
difference of two geometric variables with ``p = 1 - exp(-epsilon / sensitivity)``. Its mean is
zero and its variance ``2a / (1 - a)**2`` with ``a = exp(-epsilon / sensitivity)``; a person
changes one cell of a table by one, so the sensitivity of a table of counts is 1. Noisy counts
below zero are published as zero (post-processing keeps the guarantee).

**Budget.** Releases of one calendar year compose: their epsilons add up. The ledger
(:class:`~masarat.statistics.models.PrivacyRelease`) records each one, and a release that would
take the year past ``MASARAT_STATISTICS_PRIVACY_BUDGET`` is refused before any noise is drawn.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Hashable
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from masarat.statistics.models import PrivacyRelease, privacy_budget

_random = secrets.SystemRandom()


class BudgetSpent(Exception):
    """The release would spend more privacy budget than is left for the year."""


def geometric_noise(epsilon: float, sensitivity: float = 1.0, *, rng: object = _random) -> int:
    """One draw of two-sided geometric noise for ``epsilon``."""
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    alpha = math.exp(-epsilon / sensitivity)
    return _geometric(alpha, rng) - _geometric(alpha, rng)


def _geometric(alpha: float, rng: object) -> int:
    """Failures before the first success, success probability ``1 - alpha``."""
    uniform = 1.0 - rng.random()  # type: ignore[attr-defined]  # in (0, 1]
    return math.floor(math.log(uniform) / math.log(alpha)) if alpha > 0 else 0


def noise_variance(epsilon: float, sensitivity: float = 1.0) -> float:
    alpha = math.exp(-epsilon / sensitivity)
    return 2 * alpha / (1 - alpha) ** 2


def add_noise(counts: dict[Hashable, int], epsilon: float, *, rng: object = _random) -> dict[Hashable, int]:
    return {key: max(0, value + geometric_noise(epsilon, rng=rng)) for key, value in counts.items()}


def budget_left(year: int) -> Decimal:
    spent = PrivacyRelease.objects.filter(budget_year=year).aggregate(total=Sum("epsilon"))["total"]
    return privacy_budget() - (spent or Decimal("0"))


@transaction.atomic
def spend_budget(*, year: int, epsilon: Decimal, description: str, by: str) -> PrivacyRelease:
    """Record a release in the ledger, or refuse it when the year's budget does not cover it."""
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    # Serialise releases of the year, so that two at once cannot both fit in what is left.
    list(PrivacyRelease.objects.select_for_update().filter(budget_year=year).values_list("pk", flat=True))
    left = budget_left(year)
    if epsilon > left:
        raise BudgetSpent(_("The privacy budget of %(year)s has %(left)s left; this release needs %(epsilon)s.")
                          % {"year": year, "left": left, "epsilon": epsilon})
    return PrivacyRelease.objects.create(budget_year=year, epsilon=epsilon, description=description[:200],
                                         released_by=by[:150])
