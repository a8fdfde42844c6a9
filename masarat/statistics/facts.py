"""The statistical facts of each case and the referral counts, kept current with the cases.

A case's fact (:class:`CaseFact`) is computed from the case alone (its profile, status and
lifecycle timestamps, its forms of exploitation and the kind of its referring agency), with the
same rules as the case-level queries of ``selectors``: where a case stands now
(``selectors.outcome_expression``), whole hours spent in each stage (``HoursBetween``), the
deadline of each stage on the working calendar. Every change of a case refreshes its fact in the
same transaction (``refresh_case_facts``, called by the case's query set and signals) and moves
the case from one :class:`ReferralCell` to another, and likewise between the cells that count the
stages completed (:class:`StageCell`, also fed by the facts of the second reviews) and the cases
waiting (:class:`BacklogCell`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from masarat.cases.lifecycle import Status
from masarat.cases.vocabulary import ExploitationForm
from masarat.deadlines.calendar import WorkingCalendar, deadline_setting, working_calendar
from masarat.statistics.models import NO_DUE_DATE, BacklogCell, CaseFact, ReferralCell, ReviewFact, StageCell

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
    # The values as stored on the object where they are loaded: the nationality's descriptor would
    # build a country object (with its name looked up) only for its code to be kept.
    stored = vars(case)
    values = {name: stored[name] if name in stored else getattr(case, name)
              for name in _CASE_VALUES if "__" not in name}
    values["agency_kind"] = agency_kind
    return fact_values(values, forms, deadlines)


def cell_key(fact: dict[str, Any]) -> tuple[Any, ...]:
    referred_on: date = fact["referred_on"]
    return (referred_on.replace(day=1), fact["outcome"], *(fact[name] for name in PROFILE))


# --- Writing ----------------------------------------------------------------------------------

def _add_counts(model: type[Any], key: Sequence[str], deltas: Counter[tuple[Any, ...]]) -> None:
    """Add ``deltas`` to the counts of the cells of ``model`` (keyed by ``key``), creating the cells
    that do not exist yet.

    ``INSERT ... ON CONFLICT DO UPDATE`` (PostgreSQL and SQLite), many cells to a statement (a
    bulk load moves thousands): two transactions moving cases into the same cell wait for each
    other on its row, and neither count is lost. The cells go in the order of their keys, so that
    two transactions lock the cells they share in the same order.
    """
    rows = [(*cell, change) for cell, change in sorted(deltas.items()) if change]
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    fields = [model._meta.get_field(name) for name in (*key, "count")]
    names = ", ".join(quote(str(f.column)) for f in fields)
    keys = ", ".join(quote(str(f.column)) for f in fields[:-1])
    count = quote("count")
    upsert = f"ON CONFLICT ({keys}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One array per column: a statement of a few parameters, however many the cells.
            arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
            cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM unnest({arrays}) {upsert}",  # noqa: S608
                           [list(column) for column in zip(*rows, strict=True)])
            return
        marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
        size = (connection.features.max_query_params or 999) // len(fields)
        for start in range(0, len(rows), size):
            part = rows[start:start + size]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {', '.join([marks] * len(part))} {upsert}",  # noqa: S608
                           [value for row in part for value in row])


def add_to_cells(deltas: Counter[tuple[Any, ...]]) -> None:
    """Add ``deltas`` (keyed by ``cell_key``) to the referral counts."""
    _add_counts(ReferralCell, CELL_KEY, deltas)


# Per stage measured on the case's fact: the date it ended, the whole hours it took, its deadline.
ENDED = {"acknowledgement": ("acknowledged_on", "acknowledgement_hours", "acknowledgement_deadline"),
         "preliminary": ("preliminary_on", "preliminary_hours", "preliminary_deadline"),
         "formal": ("formal_on", "formal_hours", "formal_deadline")}
STAGE_KEY = ("stage", "month", "hours", "late")
BACKLOG_KEY = ("stage", "referred_on", "due_on")


def _stage_key(stage: str, ended: date | None, hours: int | None, deadline: date | None) -> tuple[Any, ...] | None:
    """The stage cell of one completed stage (None: not measured). Late: ended after the deadline."""
    if hours is None or ended is None:
        return None
    return (stage, ended.replace(day=1), hours, deadline is not None and ended > deadline)


def stage_keys(fact: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The stage cells a case's fact counts in (one per stage it completed)."""
    keys = [_stage_key(stage, fact[ended], fact[hours], fact[deadline])
            for stage, (ended, hours, deadline) in ENDED.items()]
    return [key for key in keys if key is not None]


def review_stage_key(review: Mapping[str, Any]) -> tuple[Any, ...] | None:
    return _stage_key("review", review["reviewed_on"], review["hours"], review["deadline"])


def backlog_key(fact: dict[str, Any]) -> tuple[Any, ...] | None:
    """The backlog cell of a case's fact, or None if the case is not waiting in a stage."""
    if not fact["waiting_stage"]:
        return None
    return (fact["waiting_stage"], fact["referred_on"], fact["due_on"] or NO_DUE_DATE)


class CellDeltas:
    """What facts coming and going change in the referral, stage and backlog cells."""

    def __init__(self) -> None:
        self.referrals: Counter[tuple[Any, ...]] = Counter()
        self.stages: Counter[tuple[Any, ...]] = Counter()
        self.backlog: Counter[tuple[Any, ...]] = Counter()

    def fact(self, fact: dict[str, Any], sign: int, *, referrals: bool = True) -> None:
        if referrals:
            self.referrals[cell_key(fact)] += sign
        for key in stage_keys(fact):
            self.stages[key] += sign
        waiting = backlog_key(fact)
        if waiting is not None:
            self.backlog[waiting] += sign

    def review(self, review: Mapping[str, Any], sign: int) -> None:
        key = review_stage_key(review)
        if key is not None:
            self.stages[key] += sign

    def write(self) -> None:
        add_to_cells(self.referrals)
        _add_counts(StageCell, STAGE_KEY, self.stages)
        _add_counts(BacklogCell, BACKLOG_KEY, self.backlog)


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
        deltas = CellDeltas()
        created, changed = [], []
        for case in cases:
            case["agency_kind"] = case.pop("referring_agency__kind")
            values = fact_values(case, forms.get(case["pk"], []), deadlines)
            previous = old.get(case["pk"])
            if previous is not None:
                before = {name: getattr(previous, name) for name in _fact_fields()}
                if before == values:
                    continue
                deltas.fact(before, -1)
                for name, value in values.items():
                    setattr(previous, name, value)
                changed.append(previous)
            else:
                created.append(CaseFact(**values))
            deltas.fact(values, 1)
        if changed:
            CaseFact.objects.bulk_update(changed, [name for name in _fact_fields() if name != "case_id"])
        if created:
            CaseFact.objects.bulk_create(created)
        deltas.write()
        for fact in changed:  # the reviews of a case carry its profile
            ReviewFact.objects.filter(case_id=fact.case_id).exclude(
                **{name: getattr(fact, name) for name in PROFILE}).update(
                **{name: getattr(fact, name) for name in PROFILE})


def forget_fact(fact: CaseFact) -> None:
    """A case's fact is deleted with the case: take it out of its cells."""
    deltas = CellDeltas()
    deltas.fact({name: getattr(fact, name) for name in _fact_fields()}, -1)
    deltas.write()


def forget_review(review: ReviewFact) -> None:
    """A decision's fact is deleted with the decision (or its case): take it out of its stage cell."""
    deltas = CellDeltas()
    deltas.review({"reviewed_on": review.reviewed_on, "hours": review.hours, "deadline": review.deadline}, -1)
    deltas.write()


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
        deltas = CellDeltas()
        for old in ReviewFact.objects.select_for_update().filter(decision_id__in=ids).values(
                "reviewed_on", "hours", "deadline"):
            deltas.review(old, -1)
        _delete_reviews(ids)
        rows = [review_values(decision, deadlines)
                for decision in Decision.objects.filter(pk__in=ids).values(*_DECISION_VALUES)]
        for new in rows:
            if new is not None:
                deltas.review(new, 1)
        ReviewFact.objects.bulk_create(_with_profiles(rows))
        deltas.write()


def _delete_reviews(decision_ids: Sequence[int]) -> None:
    """Delete the facts of these decisions without signals (the caller counts them out of their cells)."""
    table = connection.ops.quote_name(ReviewFact._meta.db_table)
    with connection.cursor() as cursor:
        for chunk in range(0, len(decision_ids), 2000):
            part = decision_ids[chunk:chunk + 2000]
            cursor.execute(f"DELETE FROM {table} WHERE decision_id IN ({', '.join(['%s'] * len(part))})",  # noqa: S608
                           part)


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
        if changed:  # a stage is late or not against its deadline
            recount_stage_cells()
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
    _rebuild_reviews(batch_size, start_after, deadlines)
    recount_cells()
    if connection.vendor == "postgresql":
        # The planner's statistics of tables just filled and, outside a transaction, the map of
        # their pages all visible, without which the covering indexes are not read alone.
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in (CaseFact, ReferralCell, ReviewFact, StageCell, BacklogCell):
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
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
            _delete_reviews([row["pk"] for row in rows])
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


def _month(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"date_trunc('month', {column})::date"
    return f"date({column}, 'start of month')"


def _recount(model: type[Any], select: str) -> None:
    """Every cell of ``model`` counted again by ``select`` (its columns in order, then the count),
    in one transaction that other writers of the cells wait for."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(field.column)) for field in model._meta.concrete_fields if not field.primary_key)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}")


def recount_cells() -> None:
    """Every referral, stage and backlog cell counted again from the facts, one statement each."""
    quote = connection.ops.quote_name
    facts = quote(CaseFact._meta.db_table)
    profile = ", ".join(quote(name) for name in PROFILE)
    _recount(ReferralCell, f"SELECT {_month('referred_on')}, outcome, {profile}, COUNT(*) "  # noqa: S608
                           f"FROM {facts} GROUP BY 1, 2, {profile}")
    recount_stage_cells()
    no_due_date = f"'{NO_DUE_DATE.isoformat()}'"
    _recount(BacklogCell, f"SELECT waiting_stage, referred_on, COALESCE(due_on, {no_due_date}), COUNT(*) "  # noqa: S608
                          f"FROM {facts} WHERE waiting_stage <> '' GROUP BY 1, 2, 3")


def recount_stage_cells() -> None:
    """Every stage cell counted again from the facts of the cases and of the negative decisions."""
    quote = connection.ops.quote_name
    sources = [(stage, quote(CaseFact._meta.db_table), *columns) for stage, columns in ENDED.items()]
    sources.append(("review", quote(ReviewFact._meta.db_table), "reviewed_on", "hours", "deadline"))
    parts = [f"SELECT '{stage}' AS stage, {_month(ended)} AS month, {hours} AS hours, "  # noqa: S608
             f"COALESCE({ended} > {deadline}, FALSE) AS late FROM {table} "
             f"WHERE {hours} IS NOT NULL AND {ended} IS NOT NULL"
             for stage, table, ended, hours, deadline in sources]
    _recount(StageCell, f"SELECT stage, month, hours, late, COUNT(*) FROM ({' UNION ALL '.join(parts)}) "  # noqa: S608
                        "AS completed GROUP BY 1, 2, 3, 4")
