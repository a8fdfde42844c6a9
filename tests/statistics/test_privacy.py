"""The noise of differential privacy, statistically, and the ledger that refuses a spent budget."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest

from masarat.statistics.models import PrivacyRelease
from masarat.statistics.privacy import (
    BudgetSpent,
    add_noise,
    budget_left,
    geometric_noise,
    noise_variance,
    spend_budget,
)

DRAWS = 40_000


@pytest.mark.parametrize("epsilon", [0.1, 0.5, 1.0, 2.0])
def test_the_noise_is_centred_with_the_promised_spread(epsilon):
    rng = random.Random(20260317)
    draws = [geometric_noise(epsilon, rng=rng) for _ in range(DRAWS)]
    mean = sum(draws) / DRAWS
    variance = sum((d - mean) ** 2 for d in draws) / (DRAWS - 1)
    expected = noise_variance(epsilon)
    # The mean of DRAWS draws has standard error sqrt(variance / DRAWS): allow five of them.
    assert abs(mean) < 5 * math.sqrt(expected / DRAWS)
    # The sample variance of a double-geometric law is within 10% of the truth at this size.
    assert abs(variance / expected - 1) < 0.10


def test_the_noise_follows_the_geometric_law_at_zero():
    """P(noise = 0) = (1 - a) / (1 + a), with a = exp(-epsilon): the mechanism, not just its moments."""
    epsilon, rng = 1.0, random.Random(7)
    alpha = math.exp(-epsilon)
    zeros = sum(1 for _ in range(DRAWS) if geometric_noise(epsilon, rng=rng) == 0) / DRAWS
    assert abs(zeros - (1 - alpha) / (1 + alpha)) < 0.01


def test_smaller_epsilon_means_more_noise():
    rng = random.Random(3)
    spread = {eps: sum(abs(geometric_noise(eps, rng=rng)) for _ in range(5000)) for eps in (0.2, 2.0)}
    assert spread[0.2] > 5 * spread[2.0]


def test_noisy_counts_are_never_negative():
    noisy = add_noise({"a": 0, "b": 1, "c": 2}, 0.1, rng=random.Random(1))
    assert all(value >= 0 for value in noisy.values())


def test_epsilon_must_be_positive():
    with pytest.raises(ValueError):
        geometric_noise(0)


@pytest.mark.django_db
def test_the_ledger_refuses_a_release_once_the_budget_is_spent(settings):
    settings.MASARAT_STATISTICS_PRIVACY_BUDGET = "1.0"
    spend_budget(year=2026, epsilon=Decimal("0.6"), description="GLOTIP 2026", by="test")
    assert budget_left(2026) == Decimal("0.4")
    with pytest.raises(BudgetSpent):
        spend_budget(year=2026, epsilon=Decimal("0.5"), description="again", by="test")
    spend_budget(year=2026, epsilon=Decimal("0.4"), description="the rest", by="test")
    with pytest.raises(BudgetSpent):
        spend_budget(year=2026, epsilon=Decimal("0.001"), description="one more", by="test")
    assert PrivacyRelease.objects.filter(budget_year=2026).count() == 2
    # Another year has its own budget.
    spend_budget(year=2027, epsilon=Decimal("1.0"), description="GLOTIP 2027", by="test")
