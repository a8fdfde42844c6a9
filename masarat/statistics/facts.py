"""The statistical facts of each case and the referral counts, kept current with the cases.

A case's fact (:class:`CaseFact`) is computed from the case alone (its profile, status and
lifecycle timestamps, its forms of exploitation and the kind of its referring agency), with the
same rules as the case-level queries of ``selectors``: where a case stands now
(``selectors.outcome_expression``), whole hours spent in each stage (``HoursBetween``), the
deadline of each stage on the working calendar. Every change of a case refreshes its fact in the
same transaction (``refresh_case_facts``, called by the case's query set and signals) and moves
the case from one :class:`ReferralCell` to another.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from masarat.cases.lifecycle import Status
from masarat.cases.vocabulary import ExploitationForm
from masarat.deadlines.calendar import WorkingCalendar, deadline_setting, working_calendar
from masarat.statistics.models import CaseFact, ReferralCell, ReviewFact

# The fields of a case that its fact depends on: changing any other leaves the fact as it is.
CASE_FIELDS = frozenset({
    "status", "status_before_close", "region", "referring_agency", "referring_agency_id", "sex", "age_band",
    "nationality", "referred_at", "acknowledged_at", "preliminary_decided_at", "reflection_ends_on",
    "formal_decided_at", "due_on",
})
_CASE_VALUES = ("pk", "status", "status_before_close", "region", "referring_agency__kind", "sex", "age_band",
                "nationality", "referred_at", "acknowledged_at", "preliminary_decided_at", "reflection_ends_on",
                "formal_decided_at", "due_on")
PROFILE = ("region", "agency_kind", "sex", "age_band", "nationality", "exploitation")
CELL_KEY = ("month", "outcome", *PROFILE)
FORM_BITS = {form: 1 << index for index, form in enumerate(ExploitationForm.values)}

_OUTCOME_OF_STATUS: dict[str, str] = {}
_OUTCOME_BEFORE_CLOSE: dict[str, str] = {}
_STAGE_OF_STATUS: dict[str, str] = {}


def _tables() -> None:
    """Where each status stands, read once from ``selectors`` (imported late: it imports the models)."""
    if _OUTCOME_OF_STATUS:
        return
    from masarat.statistics.selectors import _FINAL, _OUTCOME_STATUSES, STAGES

    for outcome, statuses in _OUTCOME_STATUSES.items():
        for status in statuses:
            _OUTCOME_OF_STATUS[str(status)] = outcome
            if outcome in _FINAL:
                _OUTCOME_BEFORE_CLOSE[str(status)] = outcome
    for stage in STAGES:
        for waiting in stage.waiting:
            _STAGE_OF_STATUS.setdefault(str(waiting), stage.code)


def outcome_of(status: str, status_before_close: str) -> str:
    """Where a case stands now, as ``selectors.outcome_expression`` says it."""
    _tables()
    if status in _OUTCOME_OF_STATUS:
        return _OUTCOME_OF_STATUS[status]
    if status == Status.CLOSED and status_before_close in _OUTCOME_BEFORE_CLOSE:
        return _OUTCOME_BEFORE_CLOSE[status_before_close]
    return "closed_undecided"


def exploitation_mask(forms: Iterable[str]) -> int:
    mask = 0
    for form in forms:
        mask |= FORM_BITS.get(form, 0)
    return mask


def forms_of_mask(mask: int) -> list[str]:
    return [form for form, bit in FORM_BITS.items() if mask & bit]


def whole_hours(end: datetime, start: datetime) -> int:
    """Whole hours from ``start`` to ``end``, rounded down, as PostgreSQL's ``FLOOR(EPOCH / 3600)``.

    Both are taken in UTC first: Python subtracts two times of the same zone by their wall clocks,
    which is an hour off across a change of the clocks.
    """
    return (end.astimezone(UTC) - start.astimezone(UTC)) // timedelta(hours=1)


class Deadlines:
    """The deadline of each stage from its start date, one calendar walk per stage and date."""

    def __init__(self, calendar: WorkingCalendar | None = None) -> None:
        self.calendar = calendar or working_calendar()
        self.days = {name: deadline_setting(name) for name in (
            "acknowledge_working_days", "preliminary_decision_working_days", "formal_decision_working_days",
            "negative_review_working_days")}
        self.cache: dict[tuple[str, date], date] = {}

    def due(self, setting: str, started: date) -> date:
        key = (setting, started)
        if key not in self.cache:
            self.cache[key] = self.calendar.add_working_days(started, self.days[setting])
        return self.cache[key]


def _local(moment: datetime | None) -> date | None:
    if moment is None:
        return None
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def fact_values(case: dict[str, Any], forms: Iterable[str], deadlines: Deadlines) -> dict[str, Any]:
    """The fact of one case from its values (the names of ``_CASE_VALUES``; ``agency_kind``)."""
    _tables()
    referred_at = case["referred_at"]
    referred_on = _local(referred_at)
    assert referred_on is not None
    acknowledged_at, preliminary_at, formal_at = (
        case["acknowledged_at"], case["preliminary_decided_at"], case["formal_decided_at"])
    acknowledged_on, preliminary_on, formal_on = _local(acknowledged_at), _local(preliminary_at), _local(formal_at)
    reflection_ends_on = case["reflection_ends_on"]
    values: dict[str, Any] = {
        "case_id": case["pk"], "referred_on": referred_on,
        "outcome": outcome_of(case["status"], case["status_before_close"]),
        "waiting_stage": _STAGE_OF_STATUS.get(case["status"], ""),
        "region": case["region"], "agency_kind": case["agency_kind"] or "", "sex": case["sex"],
        "age_band": case["age_band"] or "", "nationality": str(case["nationality"] or ""),
        "exploitation": exploitation_mask(forms),
        "acknowledged_on": acknowledged_on, "acknowledgement_hours": None, "acknowledgement_deadline": None,
        "preliminary_on": preliminary_on, "preliminary_hours": None, "preliminary_deadline": None,
        "formal_on": formal_on, "formal_hours": None, "formal_deadline": None,
        "reflection_ends_on": reflection_ends_on, "due_on": case["due_on"],
    }
    if acknowledged_at is not None and acknowledged_on is not None:
        values["acknowledgement_hours"] = whole_hours(acknowledged_at, referred_at)
        values["acknowledgement_deadline"] = deadlines.due("acknowledge_working_days", referred_on)
    if preliminary_at is not None and preliminary_on is not None:
        values["preliminary_hours"] = whole_hours(preliminary_at, referred_at)
        values["preliminary_deadline"] = deadlines.due("preliminary_decision_working_days", referred_on)
    if formal_at is not None and formal_on is not None and preliminary_at is not None and reflection_ends_on:
        values["formal_hours"] = whole_hours(formal_at, preliminary_at)
        values["formal_deadline"] = deadlines.due("formal_decision_working_days", reflection_ends_on)
    return values


def fact_of_case(case: Any, forms: Iterable[str], agency_kind: str, deadlines: Deadlines) -> dict[str, Any]:
    """The fact of a case object (saved or about to be written in bulk)."""
    values = {name: getattr(case, name) for name in _CASE_VALUES if "__" not in name}
    values["agency_kind"] = agency_kind
    return fact_values(values, forms, deadlines)


def cell_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    referred_on: date = fact["referred_on"]
    return (referred_on.replace(day=1), fact["outcome"], *(fact[name] for name in PROFILE))


# --- Writing ----------------------------------------------------------------------------------

def add_to_cells(deltas: Counter[tuple[Any, ...]]) -> None:
    """Add ``deltas`` to the referral counts, creating the cells that do not exist yet.

    One ``INSERT ... ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite): two transactions moving
    cases into the same cell wait for each other on its row, and neither count is lost.
    """
    rows = [(*key, change) for key, change in sorted(deltas.items()) if change]
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(ReferralCell._meta.db_table)
    columns = [str(field.column) for field in ReferralCell._meta.concrete_fields
               if field.name in (*CELL_KEY, "count")]
    columns.sort(key=lambda column: [*CELL_KEY, "count"].index(column))
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    keys = ", ".join(quote(column) for column in columns[:-1])
    count = quote("count")
    sql = (f"INSERT INTO {table} ({names}) VALUES ({marks}) ON CONFLICT ({keys}) "  # noqa: S608
           f"DO UPDATE SET {count} = {table}.{count} + excluded.{count}")
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


_FACT_FIELDS: list[str] = []


def _fact_fields() -> list[str]:
    if not _FACT_FIELDS:
        _FACT_FIELDS.extend(f.attname for f in CaseFact._meta.concrete_fields)
    return _FACT_FIELDS


def refresh_case_facts(case_ids: Iterable[int], deadlines: Deadlines | None = None) -> None:
    """Compute the facts of these cases again and move them between referral cells, in one transaction."""
    from masarat.cases.models import Case, CaseExploitation

    ids = sorted(set(case_ids))
    if not ids:
        return
    deadlines = deadlines or Deadlines()
    with transaction.atomic():
        old = {fact.case_id: fact for fact in CaseFact.objects.select_for_update().filter(case_id__in=ids)}
        cases = list(Case.objects.filter(pk__in=ids).values(*_CASE_VALUES))
        forms: dict[int, list[str]] = {}
        for case_id, form in CaseExploitation.objects.filter(case_id__in=ids).values_list("case_id", "form"):
            forms.setdefault(case_id, []).append(form)
        deltas: Counter[tuple[Any, ...]] = Counter()
        created, changed = [], []
        for case in cases:
            case["agency_kind"] = case.pop("referring_agency__kind")
            values = fact_values(case, forms.get(case["pk"], []), deadlines)
            previous = old.get(case["pk"])
            if previous is not None:
                before = {name: getattr(previous, name) for name in _fact_fields()}
                if before == values:
                    continue
                deltas[cell_key(before)] -= 1
                for name, value in values.items():
                    setattr(previous, name, value)
                changed.append(previous)
            else:
                created.append(CaseFact(**values))
            deltas[cell_key(values)] += 1
        if changed:
            CaseFact.objects.bulk_update(changed, [name for name in _fact_fields() if name != "case_id"])
        if created:
            CaseFact.objects.bulk_create(created)
        add_to_cells(deltas)
        for fact in changed:  # the reviews of a case carry its profile
            ReviewFact.objects.filter(case_id=fact.case_id).exclude(
                **{name: getattr(fact, name) for name in PROFILE}).update(
                **{name: getattr(fact, name) for name in PROFILE})


def forget_fact(fact: CaseFact) -> None:
    """A case's fact is deleted with the case: take it out of its referral cell."""
    add_to_cells(Counter({cell_key({name: getattr(fact, name) for name in _fact_fields()}): -1}))


# --- Negative decisions and their second review ---------------------------------------------

_DECISION_VALUES = ("pk", "case_id", "outcome", "decided_at", "reviewed_at")


def review_values(decision: dict[str, Any], deadlines: Deadlines) -> dict[str, Any] | None:
    """The fact of a decision (the names of ``_DECISION_VALUES``), or None if it is not negative."""
    from masarat.cases.vocabulary import DecisionOutcome

    if decision["outcome"] != DecisionOutcome.NEGATIVE or decision["decided_at"] is None:
        return None
    decided_on, reviewed_on = _local(decision["decided_at"]), _local(decision["reviewed_at"])
    assert decided_on is not None
    values: dict[str, Any] = {"decision_id": decision["pk"], "case_id": decision["case_id"], "decided_on": decided_on,
                              "reviewed_on": reviewed_on, "hours": None, "deadline": None}
    if decision["reviewed_at"] is not None and reviewed_on is not None:
        values["hours"] = whole_hours(decision["reviewed_at"], decision["decided_at"])
        values["deadline"] = deadlines.due("negative_review_working_days", decided_on)
    return values


def _with_profiles(rows: list[dict[str, Any] | None]) -> list[ReviewFact]:
    """Review facts with the profile of their case, read from the cases' facts."""
    facts = [values for values in rows if values is not None]
    profiles = {row["case_id"]: row for row in CaseFact.objects.filter(
        case_id__in={values["case_id"] for values in facts}).values("case_id", *PROFILE)}
    result = []
    for values in facts:
        profile = profiles.get(values["case_id"], {})
        result.append(ReviewFact(**values, **{name: profile[name] for name in PROFILE if name in profile}))
    return result


def refresh_review_facts(decision_ids: Iterable[int], deadlines: Deadlines | None = None) -> None:
    """Compute the facts of these decisions again (in the caller's transaction, or one of its own)."""
    from masarat.cases.models import Decision

    ids = sorted(set(decision_ids))
    if not ids:
        return
    deadlines = deadlines or Deadlines()
    with transaction.atomic():
        ReviewFact.objects.filter(decision_id__in=ids).delete()
        rows = [review_values(decision, deadlines)
                for decision in Decision.objects.filter(pk__in=ids).values(*_DECISION_VALUES)]
        ReviewFact.objects.bulk_create(_with_profiles(rows))


def refresh_reviews_of_cases(case_ids: Iterable[int], deadlines: Deadlines | None = None) -> None:
    """The facts of every negative decision of these cases (after a bulk load)."""
    from masarat.cases.models import Decision
    from masarat.cases.vocabulary import DecisionOutcome

    ids = list(case_ids)
    refresh_review_facts(Decision.objects.filter(case_id__in=ids, outcome=DecisionOutcome.NEGATIVE)
                         .values_list("pk", flat=True), deadlines)


# --- Deadlines after a change of public holidays -----------------------------------------------

# Per stage: the facts, the date the stage started and the deadline kept for it, and its setting.
_STARTS = (
    (CaseFact, "referred_on", "acknowledgement_deadline", "acknowledge_working_days"),
    (CaseFact, "referred_on", "preliminary_deadline", "preliminary_decision_working_days"),
    (CaseFact, "reflection_ends_on", "formal_deadline", "formal_decision_working_days"),
    (ReviewFact, "decided_on", "deadline", "negative_review_working_days"),
)


def refresh_deadlines(deadlines: Deadlines | None = None) -> int:
    """Move the deadlines kept in the facts to the working calendar as it is now.

    A stage's deadline depends only on the day it started: the calendar runs once per distinct
    start day, and only the days whose deadline moved are written. Returns how many facts changed.
    """
    deadlines = deadlines or Deadlines()
    changed = 0
    with transaction.atomic():
        for model, start, deadline, setting in _STARTS:
            rows = model.objects.order_by().filter(**{f"{deadline}__isnull": False})
            for started, kept in rows.values_list(start, deadline).distinct():
                due = deadlines.due(setting, started)
                if due != kept:
                    changed += rows.filter(**{start: started}).exclude(**{deadline: due}).update(**{deadline: due})
    return changed


# --- Rebuilding -------------------------------------------------------------------------------

Progress = Callable[[int, int, float], None]


def rebuild(*, batch_size: int = 5000, start_after: int = 0, progress: Progress | None = None) -> int:
    """Write every fact again from the cases, then every referral cell from the facts.

    The facts are written one transaction per batch of cases, in the order of their keys, so an
    interrupted rebuild can go on from the last case it reports (``start_after``); the referral
    cells are then counted again from all the facts, in one transaction. Returns the cases read.
    """
    from masarat.cases.models import Case, CaseExploitation

    started = time.monotonic()
    deadlines = Deadlines()
    total = Case.objects.filter(pk__gt=start_after).count()
    done, last = 0, start_after
    while True:
        cases = list(Case.objects.filter(pk__gt=last).order_by("pk").values(*_CASE_VALUES)[:batch_size])
        if not cases:
            break
        ids = [case["pk"] for case in cases]
        forms: dict[int, list[str]] = {}
        for case_id, form in CaseExploitation.objects.filter(case_id__in=ids).values_list("case_id", "form"):
            forms.setdefault(case_id, []).append(form)
        facts = []
        for case in cases:
            case["agency_kind"] = case.pop("referring_agency__kind")
            facts.append(fact_values(case, forms.get(case["pk"], []), deadlines))
        with transaction.atomic():
            _delete_facts(last, ids[-1])
            write_facts(facts)
        done, last = done + len(cases), ids[-1]
        if progress is not None:
            progress(done, total, time.monotonic() - started)
    _delete_facts(last, None)  # facts of cases deleted meanwhile, after the last case
    recount_cells()
    _rebuild_reviews(batch_size, start_after, deadlines)
    if connection.vendor == "postgresql":  # the planner's statistics of tables just filled
        with connection.cursor() as cursor:
            for model in (CaseFact, ReferralCell, ReviewFact):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return done


def _rebuild_reviews(batch_size: int, start_after_case: int, deadlines: Deadlines) -> None:
    """The facts of the negative decisions of the cases after ``start_after_case``, in batches."""
    from masarat.cases.models import Decision
    from masarat.cases.vocabulary import DecisionOutcome

    decisions = Decision.objects.filter(case_id__gt=start_after_case, outcome=DecisionOutcome.NEGATIVE)
    last = 0
    while True:
        rows = list(decisions.filter(pk__gt=last).order_by("pk").values(*_DECISION_VALUES)[:batch_size])
        if not rows:
            return
        with transaction.atomic():
            ReviewFact.objects.filter(decision_id__in=[row["pk"] for row in rows]).delete()
            ReviewFact.objects.bulk_create(_with_profiles([review_values(row, deadlines) for row in rows]))
        last = rows[-1]["pk"]


def _delete_facts(after: int, up_to: int | None) -> None:
    """Delete the facts of a range of cases without signals (the cells are counted again after)."""
    table = connection.ops.quote_name(CaseFact._meta.db_table)
    with connection.cursor() as cursor:
        if up_to is None:
            cursor.execute(f"DELETE FROM {table} WHERE case_id > %s", [after])  # noqa: S608
        else:
            cursor.execute(f"DELETE FROM {table} WHERE case_id > %s AND case_id <= %s", [after, up_to])  # noqa: S608


def write_facts(facts: Sequence[dict[str, Any]]) -> None:
    """Insert facts in bulk (COPY on PostgreSQL)."""
    from masarat.demo.generation import Table

    table = Table(CaseFact, with_id=True)
    for fact in facts:
        table.add(**fact)
    table.write()


def recount_cells() -> None:
    """Every referral cell counted again from the facts, in one statement and one transaction."""
    quote = connection.ops.quote_name
    cells, facts = quote(ReferralCell._meta.db_table), quote(CaseFact._meta.db_table)
    profile = ", ".join(quote(name) for name in PROFILE)
    if connection.vendor == "postgresql":
        month = "date_trunc('month', referred_on)::date"
    else:
        month = "date(referred_on, 'start of month')"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {cells} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {cells}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {cells} (month, outcome, {profile}, {quote('count')}) "  # noqa: S608
            f"SELECT {month}, outcome, {profile}, COUNT(*) FROM {facts} GROUP BY 1, 2, {profile}")
