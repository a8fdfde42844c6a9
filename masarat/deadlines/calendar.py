"""Working-day arithmetic for the deadlines of the mechanism.

Saturday and Sunday are the weekend in Moroccan administration; public holidays are data
(``PublicHoliday``) so that a deployment keeps them current without a code change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings

WEEKEND = frozenset({5, 6})  # Monday is 0


@dataclass(frozen=True)
class WorkingCalendar:
    recurring: frozenset[tuple[int, int]] = frozenset()
    dated: frozenset[date] = frozenset()
    weekend: frozenset[int] = field(default=WEEKEND)

    def is_working_day(self, day: date) -> bool:
        if day.weekday() in self.weekend:
            return False
        return (day.month, day.day) not in self.recurring and day not in self.dated

    def add_working_days(self, start: date, days: int) -> date:
        """The date ``days`` working days after ``start`` (``start`` itself does not count)."""
        current = start
        remaining = days
        while remaining > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                remaining -= 1
        if days == 0:
            while not self.is_working_day(current):
                current += timedelta(days=1)
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for offset in range(1, (end - start).days + 1)
                   if self.is_working_day(start + timedelta(days=offset)))


def calendar_from_holidays(holidays: Iterable[tuple[int, int, int | None]]) -> WorkingCalendar:
    recurring: set[tuple[int, int]] = set()
    dated: set[date] = set()
    for month, day, year in holidays:
        if year is None:
            recurring.add((month, day))
        else:
            dated.add(date(year, month, day))
    return WorkingCalendar(recurring=frozenset(recurring), dated=frozenset(dated))


def working_calendar() -> WorkingCalendar:
    from masarat.deadlines.models import PublicHoliday

    return calendar_from_holidays(PublicHoliday.objects.values_list("month", "day", "year"))


def deadline_setting(name: str) -> int:
    return int(settings.MASARAT_DEADLINES[name])
