"""Age from a possibly partial date of birth.

A partial date gives a range of possible birthdays. Masarat presumes minority while a person
may be under 18 (the child-protection principle), so a child is anyone whose *youngest*
possible age is under 18.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

ADULT_AGE = 18

# Age bands of the CTDC data standard.
AGE_BANDS: list[tuple[int, int | None, str]] = [
    (0, 8, "0--8"), (9, 17, "9--17"), (18, 20, "18--20"), (21, 23, "21--23"), (24, 26, "24--26"),
    (27, 29, "27--29"), (30, 38, "30--38"), (39, 47, "39--47"), (48, None, "48+"),
]


@dataclass(frozen=True)
class BirthDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    estimated_age: int | None = None
    estimated_on: date | None = None

    def latest_possible(self) -> date | None:
        if self.year is None:
            return None
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def youngest_age_on(self, on: date) -> int | None:
        if self.estimated_age is not None and self.year is None:
            since = self.estimated_on or on
            return self.estimated_age + max(0, years_between(since, on))
        latest = self.latest_possible()
        if latest is None:
            return None
        # A partial date may reach past ``on`` (born "this year"): the person cannot be younger than 0.
        return max(0, years_between(min(latest, on), on))


def years_between(start: date, end: date) -> int:
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def is_child(birth: BirthDate, on: date) -> bool | None:
    age = birth.youngest_age_on(on)
    return None if age is None else age < ADULT_AGE


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for low, high, label in AGE_BANDS:
        if age >= low and (high is None or age <= high):
            return label
    return ""
