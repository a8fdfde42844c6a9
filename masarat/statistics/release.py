"""The tables an analyst sees and downloads, all protected together (see ``disclosure``).

One call builds every table of the dashboard for one set of filters; the same tables feed the
page, the charts and the CSV and XLSX files, so a download never shows more than the page.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from masarat.cases.vocabulary import ExploitationForm
from masarat.organisations.models import AgencyKind
from masarat.organisations.regions import Region
from masarat.people.ages import AGE_BANDS
from masarat.people.vocabulary import Sex
from masarat.statistics import selectors, summary
from masarat.statistics.disclosure import Line, Protected, Table, cell, min_cell, protect
from masarat.statistics.selectors import OUTCOMES, STAGES, Filters

# Every table of a release, as the dashboard and the downloads name them.
TABLES = ["periods", "outcomes", *selectors.DIMENSIONS, "compliance", "backlog", "overdue", "durations"]


@dataclass(frozen=True)
class Row:
    code: Hashable
    label: str
    values: list[Any]  # counts or days; None: hidden by disclosure control
    is_total: bool = False


@dataclass
class PublishedTable:
    code: str
    title: str
    columns: list[str]
    rows: list[Row]
    note: str = ""
    # The dimension of the rows, for drill-down to the case list (region, exploitation...).
    dimension: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def value(self, code: Hashable, column: int = 0) -> int | None:
        for row in self.rows:
            if row.code == code:
                return row.values[column]
        raise KeyError(code)


def _label(value: Any) -> str:
    return str(value)


def category_labels(dimension: str) -> dict[str, str]:
    choices: Any = {
        "sex": dict(Sex.choices),
        "age_band": {label: label for _low, _high, label in AGE_BANDS},
        "region": dict(Region.choices),
        "agency_kind": dict(AgencyKind.choices),
        "exploitation": dict(ExploitationForm.choices),
        "outcome": dict(OUTCOMES),
        "stage": {stage.code: stage.label for stage in STAGES},
    }.get(dimension, {})
    return {str(code): _label(label) for code, label in choices.items()}


def _category_label(dimension: str, code: Any) -> str:
    if code in ("", None):
        return str(_("Not known"))
    if dimension == "nationality":
        return str(countries.name(code) or code)
    return category_labels(dimension).get(str(code), str(code))


def period_label(start: date, granularity: str) -> str:
    if granularity == "year":
        return str(start.year)
    if granularity == "quarter":
        return str(_("Q%(quarter)s %(year)s") % {"quarter": (start.month - 1) // 3 + 1, "year": start.year})
    return formats.date_format(start, "YEAR_MONTH_FORMAT")


def _ordered(dimension: str, counts: dict[str, int]) -> list[str]:
    """Categories in their natural order (regions, age bands), or by count for the long lists."""
    natural = list(category_labels(dimension))
    if natural:
        return [code for code in natural if code in counts or dimension in ("region", "sex")] + \
            sorted(code for code in counts if code not in natural)
    return sorted(counts, key=lambda code: (-counts[code], str(code)))


@dataclass
class Release:
    filters: Filters
    granularity: str
    threshold: int
    tables: dict[str, PublishedTable]
    forecasts: list[dict[str, Any]]
    durations: list[dict[str, Any]]
    today: date

    def __getitem__(self, code: str) -> PublishedTable:
        return self.tables[code]


def build_release(filters: Filters, granularity: str = "quarter", *, today: date | None = None,
                  threshold: int | None = None) -> Release:
    today = today or timezone.localdate()
    threshold = min_cell() if threshold is None else threshold
    raw: list[Table] = []

    # Referrals per period and where they stand now (the outcome table is its column totals).
    # Read from the facts and referral cells kept with the cases (``summary``), which give the same
    # counts as the case-level queries of ``selectors`` without walking every case.
    by_period, breakdowns = summary.referrals(filters, granularity)
    periods = _periods(filters, by_period, granularity, today)
    outcomes = [code for code, _label in OUTCOMES]
    raw.append(Table.two_way("referrals", "period", periods, "outcome", outcomes, by_period))
    raw.append(Table.one_way("referrals", "outcome", selectors.sum_by_first(
        {(outcome, period): count for (period, outcome), count in by_period.items()})))
    breakdowns = {name: breakdowns[name] for name in selectors.DIMENSIONS}
    for name, counts in breakdowns.items():
        if name in ("sex", "region"):  # always every category, so that an absent one reads as zero
            counts = {code: counts.get(code, 0) for code in category_labels(name)} | counts
            breakdowns[name] = counts
        raw.append(Table.one_way("referrals", name, counts, additive=name not in selectors.MULTI_VALUED))

    durations, compliance = summary.stages(filters)
    stage_codes = [stage.code for stage in STAGES]
    raw.append(Table.two_way("completed", "stage", stage_codes, "timeliness", ["on_time", "late"], compliance))
    ages, timeliness = summary.backlog(filters, today)
    age_lows = [low for low, _high, _label in selectors.BACKLOG_AGES]
    raw.append(Table.two_way("backlog", "stage", stage_codes, "age", age_lows, ages))
    raw.append(Table.two_way("backlog", "stage", stage_codes, "timeliness", ["within", "overdue"], timeliness))
    if filters.start is None and (filters.end is None or filters.end >= today):
        # Over the whole history, the referrals still waiting are the backlog: the same counts
        # under two keys. Tie them, so that one is hidden wherever the other is.
        raw.append(Table({}, [
            Line([cell("backlog", stage=stage) for stage in stages], cell("referrals", outcome=outcome))
            for outcome, stages in selectors.OUTCOME_OF_STAGES.items()]))
    flows = summary.stage_flows(filters, today)
    raw.append(Table.one_way("flows", "flow", {f"{stage}:{way}": count for (stage, way), count in flows.items()},
                             additive=False))

    protected = protect(raw, threshold=threshold)
    tables: dict[str, PublishedTable] = {}
    tables["periods"] = _two_way_table(
        "periods", _("Referrals per period of referral, by where they stand now"), protected, "referrals",
        "period", periods, [period_label(p, granularity) for p in periods], "outcome", outcomes,
        [str(label) for _code, label in OUTCOMES], total_label=_("Referrals"))
    tables["outcomes"] = _one_way_table("outcomes", _("Where the referrals of the period stand now"), protected,
                                        "referrals", "outcome", outcomes)
    for name, counts in breakdowns.items():
        title = _("Referrals by %(dimension)s") % {"dimension": str(selectors.DIMENSIONS[name][1]).lower()}
        table = _one_way_table(name, title, protected, "referrals", name, _ordered(name, counts),
                               total=name not in selectors.MULTI_VALUED)
        if name in selectors.MULTI_VALUED:
            table.note = str(_("A person may have suffered several forms of exploitation: these counts do not "
                               "add up to the number of referrals."))
        tables[name] = table
    tables["compliance"] = _two_way_table(
        "compliance", _("Stages completed in the period, within or after their deadline"), protected, "completed",
        "stage", stage_codes, [str(stage.label) for stage in STAGES], "timeliness", ["on_time", "late"],
        [str(_("Within the deadline")), str(_("After the deadline"))], total_label=_("Completed"))
    tables["backlog"] = _two_way_table(
        "backlog", _("Cases waiting now, by time since referral"), protected, "backlog", "stage", stage_codes,
        [str(stage.label) for stage in STAGES], "age", age_lows,
        [str(label) for _low, _high, label in selectors.BACKLOG_AGES], total_label=_("Waiting"))
    tables["overdue"] = _two_way_table(
        "overdue", _("Cases waiting now, within or past their deadline"), protected, "backlog", "stage",
        stage_codes, [str(stage.label) for stage in STAGES], "timeliness", ["within", "overdue"],
        [str(_("Within the deadline")), str(_("Past the deadline"))], total_label=_("Waiting"))
    return Release(
        filters=filters, granularity=granularity, threshold=threshold, tables=tables, today=today,
        forecasts=_forecasts(protected, selectors.sum_by_first(ages), flows),
        durations=_durations(protected, durations),
    )


def _periods(filters: Filters, counts: dict[tuple[date, str], int], granularity: str, today: date) -> list[date]:
    seen = sorted({period for period, _outcome in counts})
    first = filters.start or (seen[0] if seen else today)
    last = filters.end or today
    if seen:
        first, last = min(first, seen[0]), max(last, seen[-1])
    return selectors.periods_between(first, last, granularity)


def _one_way_table(code: str, title: Promise | str, protected: Protected, population: str, dimension: str,
                   categories: list[Any], *, total: bool = True) -> PublishedTable:
    rows = [Row(category, _category_label(dimension, category),
                [protected.shown(cell(population, **{dimension: category}))]) for category in categories]
    if total:
        rows.append(Row("total", str(_("Total")), [protected.shown(cell(population))], is_total=True))
    return PublishedTable(code, str(title), [str(_("Referrals"))], rows, dimension=dimension)


def _two_way_table(code: str, title: Promise | str, protected: Protected, population: str, row_dimension: str,
                   rows: list[Any], row_labels: list[str], column_dimension: str, columns: list[Any],
                   column_labels: list[str], *, total_label: Promise | str) -> PublishedTable:
    def shown(row: Any, column: Any) -> int | None:
        categories = {}
        if row is not None:
            categories[row_dimension] = row
        if column is not None:
            categories[column_dimension] = column
        return protected.shown(cell(population, **categories))

    body = [Row(row, label, [shown(row, column) for column in [*columns, None]])
            for row, label in zip(rows, row_labels, strict=True)]
    body.append(Row("total", str(_("Total")), [shown(None, column) for column in [*columns, None]], is_total=True))
    return PublishedTable(code, str(title), [*column_labels, str(total_label)], body, dimension=row_dimension)


def _forecasts(protected: Protected, waiting: dict[str, int],
               flows: dict[tuple[str, str], int]) -> list[dict[str, Any]]:
    """Little's law per stage, shown only when none of its counts is hidden."""
    result = []
    for forecast in selectors.forecasts(waiting, flows):
        code = forecast.stage.code
        counts = [protected.shown(cell("backlog", stage=code)),
                  protected.shown(cell("flows", flow=f"{code}:in")),
                  protected.shown(cell("flows", flow=f"{code}:out"))]
        result.append({"forecast": forecast, "hidden": any(value is None for value in counts)})
    return result


def _durations(protected: Protected, durations: list[selectors.Duration]) -> list[dict[str, Any]]:
    """Median and 90th percentile, hidden with the number of cases they describe."""
    result = []
    for duration in durations:
        count = protected.shown(cell("completed", stage=duration.stage.code))
        hidden = count is None
        result.append({
            "stage": duration.stage, "count": count, "hidden": hidden,
            "median_days": None if hidden or duration.median_hours is None else round(duration.median_hours / 24, 1),
            "p90_days": None if hidden or duration.p90_hours is None else round(duration.p90_hours / 24, 1),
        })
    return result


def durations_table(release: Release) -> PublishedTable:
    """Cases, median and 90th percentile per stage; "—" when no case completed the stage."""
    rows = []
    for item in release.durations:
        days = [item["median_days"], item["p90_days"]]
        if item["count"] == 0:
            days = ["—", "—"]
        rows.append(Row(item["stage"].code, str(item["stage"].label), [item["count"], *days]))
    return PublishedTable("durations", str(_("Time spent in each stage (days)")),
                          [str(_("Cases")), str(_("Median")), str(_("90th percentile"))], rows)
