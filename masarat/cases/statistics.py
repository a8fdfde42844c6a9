"""National aggregates that reveal no person: counts per quarter, small counts hidden."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import ExtractQuarter, ExtractYear

from masarat.cases.models import Case

SMALL_COUNT = 5


@dataclass(frozen=True)
class QuarterCount:
    year: int
    quarter: int
    count: int | None  # None when below SMALL_COUNT, so a small group cannot be singled out

    @property
    def suppressed(self) -> bool:
        return self.count is None


def referrals_per_quarter() -> list[QuarterCount]:
    rows = (
        Case.objects.annotate(year=ExtractYear("referred_at"), quarter=ExtractQuarter("referred_at"))
        .values("year", "quarter").annotate(total=Count("id")).order_by("-year", "-quarter")
    )
    return [QuarterCount(row["year"], row["quarter"], row["total"] if row["total"] >= SMALL_COUNT else None)
            for row in rows]
