"""UNODC GLOTIP and SDG indicator 16.2.2 aggregates for one year, through disclosure control.

Victims are the cases identified as victims whose formal decision fell in the year. They are
counted by sex and age group (child, adult), by form of exploitation (and sex), and by
citizenship; SDG 16.2.2 is the number of victims per 100,000 population, by sex and age group,
from the population figures of ``MASARAT_POPULATION_FILE`` (default: the file shipped in
``masarat/statistics/data/population.json``, whose figures must be checked before publishing).

With ``epsilon``, every count first gets geometric noise (see ``privacy``) and totals are summed
from the noisy cells, so they stay consistent; the release is recorded in the privacy-budget
ledger, which refuses it when the year's budget is spent. A person counts in one cell of the
sex-by-age table, one of the citizenship table and up to every form of exploitation, so the
three tables share epsilon equally and the noise of the forms table is scaled to that.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, QuerySet
from django_countries import countries

from masarat.cases.models import Case, CaseExploitation
from masarat.cases.vocabulary import ExploitationForm
from masarat.statistics import privacy
from masarat.statistics.disclosure import Line, Protected, Table, cell, protect
from masarat.statistics.selectors import Filters, _in_period, outcome_expression

SEXES = ["female", "male", "other_or_unknown"]
AGE_GROUPS = ["child", "adult"]
SEX_LABELS = {"female": "Female", "male": "Male", "other_or_unknown": "Other or unknown"}
AGE_LABELS = {"child": "Children (under 18)", "adult": "Adults"}
DEFAULT_POPULATION_FILE = Path(__file__).resolve().parent / "data" / "population.json"


def population_data() -> dict[str, Any]:
    path = Path(settings.MASARAT_POPULATION_FILE) if settings.MASARAT_POPULATION_FILE else DEFAULT_POPULATION_FILE
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def population_for(year: int, data: dict[str, Any]) -> tuple[int, dict[str, dict[str, int]]]:
    """The population of ``year``, or of the nearest year given (and which year that is)."""
    years = sorted(int(key) for key in data["years"])
    nearest = min(years, key=lambda known: (abs(known - year), -known))
    return nearest, data["years"][str(nearest)]


def identified_in(year: int) -> QuerySet[Case]:
    period = Filters(start=date(year, 1, 1), end=date(year, 12, 31))
    return (Case.objects.order_by().annotate(outcome=outcome_expression())
            .filter(outcome="identified", formal_decided_at__isnull=False)
            .filter(_in_period("formal_decided_at", period)))


def _sex(code: str) -> str:
    return code if code in ("female", "male") else "other_or_unknown"


@dataclass(frozen=True)
class Glotip:
    year: int
    protected: Protected
    sex_age: dict[tuple[str, str], int]
    forms: dict[tuple[str, str], int]
    citizenship: dict[str, int]
    citizenship_population: str
    population_year: int
    population: dict[str, dict[str, int]]
    source: str
    epsilon: Decimal | None


@transaction.atomic  # a release that fails gives its epsilon back
def glotip(year: int, *, epsilon: Decimal | None = None, released_by: str = "", threshold: int | None = None,
           rng: object = privacy._random) -> Glotip:
    cases = identified_in(year)
    sex_age: Counter[tuple[str, str]] = Counter()
    for row in cases.values("sex", "is_child").annotate(count=Count("id")):
        sex_age[(_sex(row["sex"]), "child" if row["is_child"] else "adult")] += row["count"]
    forms: Counter[tuple[str, str]] = Counter()
    for row in (CaseExploitation.objects.filter(case__in=cases.values("pk")).order_by()
                .values("form", "case__sex").annotate(count=Count("case_id", distinct=True))):
        forms[(row["form"], _sex(row["case__sex"]))] += row["count"]
    citizenship = {row["nationality"] or "": row["count"]
                   for row in cases.values("nationality").annotate(count=Count("id"))}
    if epsilon is not None:
        privacy.spend_budget(year=year, epsilon=epsilon, description=f"GLOTIP {year}", by=released_by)
        share = float(epsilon) / 3
        sex_age = Counter(_noisy(sex_age, [(s, a) for s in SEXES for a in AGE_GROUPS], share, 1, rng))
        forms = Counter(_noisy(forms, [(f, s) for f in ExploitationForm.values for s in SEXES], share,
                               len(ExploitationForm.values), rng))
        citizenship = _noisy(citizenship, sorted(citizenship), share, 1, rng)
    # Without noise both tables count the same victims, and share their total; with noise each has its own.
    citizenship_population = "victims" if epsilon is None else "citizenship"
    tables = [Table.two_way("victims", "sex", SEXES, "age", AGE_GROUPS, dict(sex_age)),
              _forms_table(forms), Table.one_way(citizenship_population, "citizenship", citizenship)]
    population_year, population = population_for(year, population_data())
    return Glotip(year, protect(tables, threshold=threshold), dict(sex_age), dict(forms), citizenship,
                  citizenship_population, population_year, population, population_data().get("source", ""), epsilon)


def _noisy(counts: dict[Any, int], keys: list[Any], epsilon: float, sensitivity: int, rng: object) -> dict[Any, int]:
    """Noise on every possible cell (also the empty ones, whose absence would tell)."""
    return {key: max(0, counts.get(key, 0) + privacy.geometric_noise(epsilon, sensitivity, rng=rng)) for key in keys}


def _forms_table(forms: dict[tuple[str, str], int]) -> Table:
    """Form by sex: each form's row adds up to its total, but forms overlap (no grand total)."""
    values: dict[Any, int] = {}
    lines = []
    for form in ExploitationForm.values:
        parts = [cell("forms", form=form, sex=sex) for sex in SEXES]
        for sex, key in zip(SEXES, parts, strict=True):
            values[key] = forms.get((form, sex), 0)
        values[cell("forms", form=form)] = sum(values[key] for key in parts)
        lines.append(Line(parts, cell("forms", form=form)))
    return Table(values, lines)


def rate(count: int | None, population: int) -> float | None:
    return None if count is None or not population else round(count * 100_000 / population, 3)


def sheets(result: Glotip, hidden: str = "hidden") -> list[tuple[str, list[list[Any]]]]:
    """The workbook: one sheet per table, hidden counts spelt out."""
    shown = result.protected.shown

    def value(key: Any) -> Any:
        number = shown(key)
        return hidden if number is None else number

    sex_age: list[list[Any]] = [["Sex", *(AGE_LABELS[a] for a in AGE_GROUPS), "Total"]]
    for sex in [*SEXES, None]:
        label = SEX_LABELS[sex] if sex else "Total"
        sex_age.append([label, *(value(_victims(sex, age)) for age in [*AGE_GROUPS, None])])
    forms: list[list[Any]] = [["Form of exploitation (HTCDS vic_TypeOfExploitation)",
                               *(SEX_LABELS[s] for s in SEXES), "Total"]]
    for form in ExploitationForm.values:
        forms.append([form, *(value(cell("forms", form=form, sex=sex)) for sex in SEXES),
                      value(cell("forms", form=form))])
    citizenship: list[list[Any]] = [["Citizenship (ISO 3166)", "Country", "Victims"]]
    for code in sorted(result.citizenship, key=lambda code: (-result.citizenship[code], code)):
        citizenship.append([code, str(countries.name(code)) if code else "Unknown",
                            value(cell(result.citizenship_population, citizenship=code))])
    citizenship.append(["", "Total", value(cell(result.citizenship_population))])
    sdg: list[list[Any]] = [["Sex", "Age group", "Victims", "Population", "Victims per 100,000"]]
    for sex in ("female", "male"):
        for age in AGE_GROUPS:
            count = shown(_victims(sex, age))
            people = int(result.population.get(sex, {}).get(age, 0))
            sdg.append([SEX_LABELS[sex], AGE_LABELS[age], hidden if count is None else count, people,
                        hidden if count is None else rate(count, people)])
    everyone = sum(int(n) for groups in result.population.values() for n in groups.values())
    total = shown(cell("victims"))
    sdg.append(["Total", "", hidden if total is None else total, everyone,
                hidden if total is None else rate(total, everyone)])
    about: list[list[Any]] = [["Masarat: UNODC GLOTIP and SDG 16.2.2 aggregates"], ["Year", result.year],
             ["Victims", "Identified as victims by a formal decision taken in the year"],
             ["Disclosure control", f"Counts from 1 to {result.protected.threshold - 1} hidden, with complementary "
                                    "cells so that no hidden count can be worked out from the totals"],
             ["Differential privacy", f"epsilon = {result.epsilon}" if result.epsilon is not None else "no"],
             ["Population year", result.population_year], ["Population source", result.source]]
    return [("About", about), ("Victims by sex and age", sex_age), ("Forms of exploitation", forms),
            ("Citizenship", citizenship), ("SDG 16.2.2", sdg)]


def _victims(sex: str | None, age: str | None) -> Any:
    categories = {}
    if sex:
        categories["sex"] = sex
    if age:
        categories["age"] = age
    return cell("victims", **categories)
