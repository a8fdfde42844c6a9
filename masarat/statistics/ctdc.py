"""A k-anonymous dataset with the column names of the CTDC (Counter Trafficking Data Collaborative).

One row per presumed or identified victim, with only the columns below; every column is treated
as a quasi-identifier, so every combination of published values describes at least ``k`` people
(CTDC used k = 11). The rows are built from counts of identical profiles grouped in the database
(equivalence classes), never from the cases one by one.

**Generalisation, then suppression.** Two columns can be coarsened: ``ageBroad`` (the CTDC bands,
then four wider bands, then not given) and ``citizenship`` (the country, then "Other" for
countries shared by fewer than ``k`` victims, then not given). Every combination of levels is
tried; the one that suppresses the fewest records is kept (the least coarsening on a tie).
Classes still smaller than ``k`` are then suppressed (left out), and their share is reported.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.db.models.functions import ExtractYear

from masarat.cases.models import Case, CaseExploitation
from masarat.cases.vocabulary import ExploitationForm as F
from masarat.statistics.selectors import outcome_expression

Record = tuple[str, ...]

# CTDC flags and the forms of exploitation they cover.
FLAGS: dict[str, tuple[str, ...]] = {
    "isForcedLabour": (F.FORCED_LABOUR, F.CHILD_LABOUR, F.FORCED_BEGGING),
    "isSexualExploit": (F.SEXUAL_EXPLOITATION,),
    "isOtherExploit": (F.FORCED_ADOPTION, F.SURROGACY, F.OTHER),
    "isForcedMarriage": (F.FORCED_MARRIAGE,),
    "isForcedMilitary": (F.FORCED_MILITARY,),
    "isOrganRemoval": (F.ORGAN_REMOVAL,),
    "isSlaveryAndPractices": (F.SERVITUDE,),
}
COLUMNS = ["yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatus", "citizenship",
           "isForcedLabour", "isSexualExploit", "isOtherExploit", "isSexAndLabour", "isForcedMarriage",
           "isForcedMilitary", "isOrganRemoval", "isSlaveryAndPractices"]
AGE_COLUMN, CITIZENSHIP_COLUMN = COLUMNS.index("ageBroad"), COLUMNS.index("citizenship")
DATASOURCE = "Case Management"
GENDERS = {"female": "Female", "male": "Male", "other": "Other", "unknown": ""}
WIDER_AGES = {"0--8": "0--17", "9--17": "0--17", "18--20": "18--29", "21--23": "18--29", "24--26": "18--29",
              "27--29": "18--29", "30--38": "30--47", "39--47": "30--47", "48+": "48+"}


def victim_cases(year_from: int | None = None, year_to: int | None = None) -> QuerySet[Case]:
    """Presumed and identified victims (a closed case counts with the decision it had)."""
    cases = Case.objects.order_by().annotate(outcome=outcome_expression()).filter(
        outcome__in=("presumed", "identified"))
    if year_from:
        cases = cases.filter(referred_at__year__gte=year_from)
    if year_to:
        cases = cases.filter(referred_at__year__lte=year_to)
    return cases


def profile_counts(cases: QuerySet[Case]) -> Counter[Record]:
    """Identical CTDC rows counted in the database: {row: number of victims}."""
    flags = {name: Exists(CaseExploitation.objects.filter(case=OuterRef("pk"), form__in=forms))
             for name, forms in FLAGS.items()}
    rows = (cases.annotate(year=ExtractYear("referred_at"), **flags)
            .values("year", "sex", "age_band", "is_child", "nationality", *FLAGS).annotate(count=Count("id")))
    counts: Counter[Record] = Counter()
    for row in rows:
        counts[_record(row)] += row["count"]
    return counts


def _record(row: dict[str, object]) -> Record:
    flag = {name: bool(row[name]) for name in FLAGS}
    values = {
        "yearOfRegistration": str(row["year"]), "Datasource": DATASOURCE,
        "gender": GENDERS.get(str(row["sex"]), ""), "ageBroad": str(row["age_band"] or ""),
        "majorityStatus": "Minor" if row["is_child"] else ("Adult" if row["age_band"] else ""),
        "citizenship": str(row["nationality"] or ""),
        **{name: str(int(value)) for name, value in flag.items()},
        "isSexAndLabour": str(int(flag["isForcedLabour"] and flag["isSexualExploit"])),
    }
    return tuple(values[column] for column in COLUMNS)


def _age(level: int) -> Callable[[str], str]:
    return [lambda value: value, lambda value: WIDER_AGES.get(value, value), lambda value: ""][level]


def _citizenship(level: int, counts: Counter[Record], k: int) -> Callable[[str], str]:
    if level == 0:
        return lambda value: value
    if level == 2:
        return lambda value: ""
    per_country: Counter[str] = Counter()
    for record, count in counts.items():
        per_country[record[CITIZENSHIP_COLUMN]] += count
    return lambda value: value if not value or per_country[value] >= k else "Other"


def generalise(counts: Counter[Record], age_level: int, citizenship_level: int, k: int) -> Counter[Record]:
    age, citizenship = _age(age_level), _citizenship(citizenship_level, counts, k)
    result: Counter[Record] = Counter()
    for record, count in counts.items():
        values = list(record)
        values[AGE_COLUMN] = age(values[AGE_COLUMN])
        values[CITIZENSHIP_COLUMN] = citizenship(values[CITIZENSHIP_COLUMN])
        result[tuple(values)] += count
    return result


@dataclass(frozen=True)
class Anonymised:
    classes: Counter[Record]  # the published rows and how many times each is written
    total: int
    suppressed: int
    age_level: int
    citizenship_level: int

    @property
    def suppressed_share(self) -> float:
        return self.suppressed / self.total if self.total else 0.0

    def rows(self) -> list[Record]:
        return [record for record in sorted(self.classes) for _copy in range(self.classes[record])]


def anonymise(counts: Counter[Record], k: int) -> Anonymised:
    """The least suppression over the generalisation levels, then the small classes left out."""
    total = sum(counts.values())
    best: Anonymised | None = None
    for age_level, citizenship_level in itertools.product(range(3), range(3)):
        general = generalise(counts, age_level, citizenship_level, k)
        kept = Counter({record: count for record, count in general.items() if count >= k})
        candidate = Anonymised(kept, total, total - sum(kept.values()), age_level, citizenship_level)
        if best is None or (candidate.suppressed, age_level + citizenship_level) < \
                (best.suppressed, best.age_level + best.citizenship_level):
            best = candidate
    assert best is not None
    return best
