"""Synthetic data at national scale: ``masarat generate --cases N``.

The cases are planned exactly as the demo plans them (profiles of exploitation, names in both
scripts, every stage of the lifecycle, dates on working days), then written without going
through the services one case at a time: the rows the services would have written (person,
nationalities, languages, documents, blind indexes, case, forms of exploitation, places,
referral, indicators, decisions and timeline) are computed in memory and inserted in batches,
with COPY on PostgreSQL and multi-row inserts elsewhere. Encrypted columns go through their
field's own encryption and the blind indexes through :func:`masarat.people.search.person_tokens`,
so the rows are those the application itself writes.

The audit trail is not filled case by case: one event records the generation.
"""

from __future__ import annotations

import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from typing import cast as typed

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from masarat.audit.services import record_event
from masarat.cases.lifecycle import AWAITING_FORMAL, Action, Status, next_status
from masarat.cases.models import Case, CaseEvent, CaseExploitation, CasePlace, Decision, ReferenceCounter
from masarat.cases.services import DECISION_ACTIONS
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage, PlaceRole, ReviewOutcome
from masarat.deadlines.calendar import WorkingCalendar, working_calendar
from masarat.demo.seeding import (
    CLOSE_REASON_OTHERWISE,
    CLOSE_REASONS,
    DEMO_USERNAMES,
    HISTORY_DAYS,
    REASONS,
    REFERRERS,
    WAITING_ON_COORDINATOR,
    CasePlan,
    Cast,
    Move,
    Step,
    Timeline,
    _backdate_case,
    _timeline,
    plan_cases,
    seed_demo,
)
from masarat.organisations.models import Agency
from masarat.people.models import IdentityDocument, Person, PersonLanguage, PersonNationality, PersonSearchToken
from masarat.people.phones import normalise_phone
from masarat.people.search import person_tokens
from masarat.referrals.models import Referral, ReferralIndicator
from masarat.referrals.validation import ReferralInput
from masarat.referrals.vocabulary import UrgentNeed
from masarat.statistics.facts import PROFILE, CellDeltas, Deadlines, fact_of_case, review_values
from masarat.statistics.models import CaseFact, ReviewFact
from masarat.vault.fields import EncryptedMixin

DEFAULT_BATCH = 5000
DEFAULT_YEARS = 10
DEFAULT_SEED = 9


# --- Tables and their rows ----------------------------------------------------------------------

class Table:
    """The columns of a model as stored, and rows prepared for them as Django would save them.

    Encrypted columns go through their field's own preparation (the encryption), and so do dates
    where the database driver does not take Python dates (SQLite); other values pass as they are.
    A row starts from the fields' defaults, computed once per table (no field written here has a
    callable default), and takes the values given by attribute name.
    """

    def __init__(self, model: type[models.Model], *, with_id: bool) -> None:
        self.model = model
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.position = {f.attname: index for index, f in enumerate(self.fields)}
        self.defaults = [f.get_default() for f in self.fields]
        native_dates = self.connection.vendor == "postgresql"
        self.prepared = [
            (index, f) for index, f in enumerate(self.fields)
            if isinstance(f, EncryptedMixin) or (isinstance(f, models.DateField) and not native_dates)
        ]
        self.rows: list[list[Any]] = []

    def add(self, **values: Any) -> None:
        """A row from attribute values (``case_id``, ``note``...); missing ones take the field's default."""
        row = self.defaults.copy()
        position = self.position
        for name, value in values.items():
            row[position[name]] = value
        for index, f in self.prepared:
            row[index] = f.get_db_prep_save(row[index], self.connection)
        self.rows.append(row)

    def extend(self, names: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Rows given as values of ``names``, every column in the table's order, none of them prepared:
        for the many small rows of a table (the blind indexes), without a dictionary for each."""
        if self.prepared or list(names) != [f.attname for f in self.fields]:
            raise ValueError(f"{self.model.__name__}: rows must give {[f.attname for f in self.fields]}, none prepared")
        self.rows.extend(list(row) for row in rows)

    def add_instance(self, obj: models.Model) -> None:
        """A row from a model instance built in memory, its attributes as set (``auto_now`` is not applied)."""
        attributes = vars(obj)
        self.add(**{f.attname: attributes[f.attname] for f in self.fields})

    def write(self) -> int:
        count = len(self.rows)
        if count:
            _write_rows(self.connection, self.model._meta.db_table, self.columns, self.rows)
        self.rows = []
        return count


def _write_rows(connection: Any, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # In binary, with the columns' types as the table declares them: neither side writes or
            # parses dates, times and numbers as text (a third of the server's work for these rows).
            cursor.execute("SELECT atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attname = ANY(%s) "
                           "ORDER BY array_position(%s, attname::text)", [table, list(columns), list(columns)])
            types = [row[0] for row in cursor.fetchall()]
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(types)
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for ``count`` new rows, taken from the table's sequence on PostgreSQL."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite hands out max(id) + 1: inside the generation's transaction, nobody else writes.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


# --- From a plan to the rows the services would have written --------------------------------------

@dataclass
class Batch:
    persons: Table = field(default_factory=lambda: Table(Person, with_id=True))
    nationalities: Table = field(default_factory=lambda: Table(PersonNationality, with_id=False))
    languages: Table = field(default_factory=lambda: Table(PersonLanguage, with_id=False))
    documents: Table = field(default_factory=lambda: Table(IdentityDocument, with_id=False))
    tokens: Table = field(default_factory=lambda: Table(PersonSearchToken, with_id=False))
    cases: Table = field(default_factory=lambda: Table(Case, with_id=True))
    forms: Table = field(default_factory=lambda: Table(CaseExploitation, with_id=False))
    places: Table = field(default_factory=lambda: Table(CasePlace, with_id=False))
    referrals: Table = field(default_factory=lambda: Table(Referral, with_id=True))
    indicators: Table = field(default_factory=lambda: Table(ReferralIndicator, with_id=False))
    decisions: Table = field(default_factory=lambda: Table(Decision, with_id=True))
    events: Table = field(default_factory=lambda: Table(CaseEvent, with_id=False))
    facts: Table = field(default_factory=lambda: Table(CaseFact, with_id=True))
    reviews: Table = field(default_factory=lambda: Table(ReviewFact, with_id=True))
    # The decisions of the batch's cases, (case id, values), until their keys are reserved.
    decided: list[tuple[int, dict[str, Any]]] = field(default_factory=list)

    def tables(self) -> list[Table]:
        return [value for value in vars(self).values() if isinstance(value, Table)]

    def write(self) -> Counter[str]:
        # Parents before children, so that the foreign keys hold at every row.
        order = ("persons", "nationalities", "languages", "documents", "tokens", "cases", "forms", "places",
                 "referrals", "indicators", "decisions", "events", "facts", "reviews")
        return Counter({name: getattr(self, name).write() for name in order})


class _Related(list[Any]):
    """Rows of a relation, read as ``person.documents.all()`` reads them."""

    def all(self) -> list[Any]:
        return self


@dataclass(frozen=True)
class _Nationality:
    country: str


class _PersonValues:
    """The attributes of a person not yet written, as the blind indexes read them from a :class:`Person`.

    A model instance would cost more to build than all its indexes (and each relation it is asked
    for would build a manager): the indexers read attributes only, so they are given these.
    """

    def __init__(self, values: dict[str, Any], documents: Sequence[Any], nationalities: Iterable[str]) -> None:
        self.__dict__.update(values)
        self.pk = values["id"]
        self.documents = _Related(documents)
        self.nationalities = _Related(_Nationality(code) for code in nationalities)


_TOKEN_COLUMNS = ("person_id", "purpose", "digest")


def _person(batch: Batch, person_id: int, data: ReferralInput, line: Timeline) -> None:
    referred_on = timezone.localdate(line.referred_at)
    birth = data.birth(referred_on)
    values = {
        "id": person_id, "given_name_latin": data.given_name_latin, "family_name_latin": data.family_name_latin,
        "given_name_arabic": data.given_name_arabic, "family_name_arabic": data.family_name_arabic,
        "sex": data.sex, "birth_precision": data.birth_precision, "birth_year": birth.year,
        "birth_month": birth.month, "birth_day": birth.day, "estimated_age": birth.estimated_age,
        "estimated_on": birth.estimated_on,
        # Stored in E.164, as the referral's validation leaves it.
        "phone": normalise_phone(data.phone) if data.phone else "",
        "created_at": line.referred_at, "updated_at": line.referred_at,
    }
    nationalities = list(dict.fromkeys(data.nationalities))
    batch.persons.add(**values)
    for code in nationalities:
        batch.nationalities.add(person_id=person_id, country=code)
    for code in dict.fromkeys(data.languages):
        batch.languages.add(person_id=person_id, language=code)
    for doc in data.documents:
        batch.documents.add(person_id=person_id, kind=doc.kind, number=doc.number,
                            issuing_country=doc.issuing_country, is_held_by_person=doc.is_held_by_person)
    indexed = typed(Person, _PersonValues(values, data.documents, nationalities))
    tokens = sorted(person_tokens(indexed))
    batch.tokens.extend(_TOKEN_COLUMNS, ((person_id, purpose, digest) for purpose, digest in tokens))


def _places(batch: Batch, case_id: int, data: ReferralInput) -> None:
    places: dict[tuple[str, str, str], None] = {}
    for code in data.recruitment_countries:
        places[(PlaceRole.RECRUITMENT, code, "")] = None
    for code in data.exploitation_countries:
        if code != "MA" or not data.exploitation_regions:
            places[(PlaceRole.EXPLOITATION, code, "")] = None
    for region in data.exploitation_regions:
        places[(PlaceRole.EXPLOITATION, "MA", region)] = None
    for role, country, region in places:
        batch.places.add(case_id=case_id, role=role, country=country, region=region)


@dataclass
class _Walk:
    """The state of a case as its steps are replayed, and the rows they leave."""

    status: Status
    coordinator_id: int | None = None
    case_manager_id: int | None = None
    status_before_close: str = ""
    decisions: list[dict[str, Any]] = field(default_factory=list)


def _step_reason(rng: random.Random, step: Step, status: str) -> str:
    if step.move is Move.CLOSE:
        return rng.choice(CLOSE_REASONS.get(status, CLOSE_REASON_OTHERWISE))
    return rng.choice(REASONS[step]) if step in REASONS else ""


def _replay(rng: random.Random, batch: Batch, case_id: int, plan: CasePlan, cast: Cast, walk: _Walk) -> None:
    """The lifecycle of the case, step by step, as the services record it (timeline and decisions)."""
    decider = cast.decider(plan.referrer.region)

    def event(at: datetime, actor_id: int, action: str, before: str, note: str = "") -> None:
        batch.events.add(case_id=case_id, at=at, actor_id=actor_id, action=action, from_status=before,
                         to_status=walk.status, note=note)

    def move(action: Action) -> str:
        before = walk.status
        walk.status = next_status(walk.status, action, status_before_close=walk.status_before_close)
        return before

    for step, moment in zip(plan.steps, plan.moments[1:], strict=True):
        reason = _step_reason(rng, step, walk.status)
        if step.move is Move.ACKNOWLEDGE:
            event(moment, decider.pk, Action.ACKNOWLEDGE, move(Action.ACKNOWLEDGE))
            walk.coordinator_id = decider.pk
            event(moment, decider.pk, "assign_coordinator", walk.status, str(decider))
        elif step.move is Move.DECIDE:
            action = DECISION_ACTIONS[(DecisionStage(step.stage), DecisionOutcome(step.outcome))]
            walk.decisions.append({"stage": step.stage, "outcome": step.outcome, "reasons": reason,
                                   "decided_by_id": decider.pk, "decided_at": moment})
            event(moment, decider.pk, action, move(action), reason)
        elif step.move is Move.REVIEW:
            reviewer = cast.reviewer(plan.referrer.region)
            assert reviewer is not None, "planning gives reviews only to regions with two coordinators"
            preliminary = step.stage == DecisionStage.PRELIMINARY
            action = {(True, True): Action.PRELIMINARY_REVIEW_CONFIRM,
                      (True, False): Action.PRELIMINARY_REVIEW_OVERTURN, (False, True): Action.FORMAL_REVIEW_CONFIRM,
                      (False, False): Action.FORMAL_REVIEW_OVERTURN}[(preliminary, step.confirm)]
            walk.decisions[-1].update(
                review_outcome=ReviewOutcome.CONFIRMED if step.confirm else ReviewOutcome.OVERTURNED,
                review_reasons=reason, reviewed_by_id=reviewer.pk, reviewed_at=moment)
            event(moment, reviewer.pk, action, move(action), reason)
        elif step.move is Move.RECONSIDER:
            event(moment, plan.referrer.user.pk, Action.REQUEST_RECONSIDERATION,
                  move(Action.REQUEST_RECONSIDERATION), reason)
        elif step.move is Move.ASSIGN:
            walk.case_manager_id = cast.case_manager.pk
            event(moment, decider.pk, "assign_case_manager", walk.status, str(cast.case_manager))
        elif step.move is Move.CLOSE:
            before = move(Action.CLOSE)
            walk.status_before_close = before
            event(moment, decider.pk, Action.CLOSE, before, reason)
    batch.decided.extend((case_id, decision) for decision in walk.decisions)


def _case(rng: random.Random, batch: Batch, ids: tuple[int, int | None, int], plan: CasePlan, cast: Cast,
          calendar: WorkingCalendar) -> Case:
    """Every row of one case but the case's own, which waits for its reference (taken under a lock)."""
    case_id, person_id, referral_id = ids
    data = plan.data
    assert data is not None
    line = _timeline(plan)
    anonymous = data.is_anonymous
    walk = _Walk(status=Status.ANONYMOUS_NOTIFICATION if anonymous else Status.REFERRED)
    first = "anonymous_notification" if anonymous else "referral_submitted"
    batch.events.add(case_id=case_id, at=line.referred_at, actor_id=plan.referrer.user.pk, action=first,
                     from_status="", to_status=walk.status, note="")
    _replay(rng, batch, case_id, plan, cast, walk)
    if walk.status != plan.status:
        raise RuntimeError(f"case {case_id} reached {walk.status}, not {plan.status}: the lifecycle changed.")
    if person_id is not None:
        _person(batch, person_id, data, line)
    agency_id = plan.referrer.user.agency_id
    assert agency_id is not None, "the demo's referrers belong to agencies"
    case = Case(
        pk=case_id, status=walk.status, status_before_close=walk.status_before_close,
        person_id=person_id, referring_agency_id=agency_id, referred_by_id=plan.referrer.user.pk,
        region=data.region, assigned_coordinator_id=walk.coordinator_id,
        assigned_case_manager_id=walk.case_manager_id, sex=data.sex,
        nationality=data.nationalities[0] if data.nationalities else "",
        encountered_on=None if anonymous else data.encountered_on, version=1 + len(plan.steps),
    )
    _backdate_case(case, line, data, calendar)  # dates, deadline and age, as the demo backdates them
    if anonymous:
        case.age_at_referral = None
    for form in dict.fromkeys(data.exploitation_forms):
        batch.forms.add(case_id=case_id, form=form)
    _places(batch, case_id, data)
    needs = set(data.urgent_needs)
    batch.referrals.add(
        id=referral_id, case_id=case_id, circumstances="" if anonymous else data.circumstances,
        consent=data.consent, consent_informed_by=data.consent_informed_by,
        consent_language="" if anonymous else data.consent_language,
        urgent_medical=UrgentNeed.MEDICAL in needs, urgent_shelter=UrgentNeed.SHELTER in needs,
        urgent_safety=UrgentNeed.SAFETY in needs, urgent_interpreter=UrgentNeed.INTERPRETER in needs,
        submission_key=None,
    )
    for indicator in dict.fromkeys(data.indicators):
        batch.indicators.add(referral_id=referral_id, indicator=indicator)
    return case


# --- References -------------------------------------------------------------------------------

def _take_references(years: Iterable[int]) -> dict[int, Iterator[str]]:
    """Numbers for the cases of each year, after those already issued; the counters move on."""
    wanted = Counter(years)
    numbers: dict[int, Iterator[str]] = {}
    prefix = settings.MASARAT_REFERENCE_PREFIX
    for year, count in sorted(wanted.items()):
        ReferenceCounter.objects.get_or_create(year=year)
        counter = ReferenceCounter.objects.select_for_update().get(year=year)
        start = counter.last_number + 1
        counter.last_number += count
        counter.save(update_fields=["last_number"])
        numbers[year] = iter([f"{prefix}-{year}-{number:06d}" for number in range(start, start + count)])
    return numbers


# --- The whole generation ---------------------------------------------------------------------

@dataclass
class GenerationReport:
    cases: int
    rows: Counter[str]
    by_status: Counter[str]
    seconds: float


Progress = Callable[[int, int, float], None]


def _spread_over_years(rng: random.Random, plan: CasePlan, years: int) -> None:
    """Move settled cases back by whole weeks (weekdays stay weekdays), over ``years`` of history.

    Cases still waiting keep their recent dates, so that the queues look like today's.
    """
    weeks = max(0, (years * 365 - HISTORY_DAYS) // 7)
    if not weeks or plan.status in WAITING_ON_COORDINATOR or plan.status in AWAITING_FORMAL:
        return
    shift = timedelta(weeks=rng.randint(0, weeks))
    plan.moments = [moment - shift for moment in plan.moments]


def refresh_planner_statistics() -> None:
    """After a bulk load, the query planner's statistics are stale until autovacuum passes: refresh them."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in Batch().tables():
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table.model._meta.db_table)}")


def demo_cast() -> Cast:
    """The demo's agencies and accounts, who refer, decide and review (created when missing)."""
    from masarat.accounts.models import User

    needed = {"national.coordinator", "casemanager", *(spec.username for spec in REFERRERS)}
    users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}
    if not needed <= set(users):
        seed_demo(cases=0)
        users = {user.username: user for user in User.objects.filter(username__in=DEMO_USERNAMES)}
    return Cast.from_users(users)


def generate(*, cases: int, seed: int = DEFAULT_SEED, years: int = DEFAULT_YEARS, batch_size: int = DEFAULT_BATCH,
             progress: Progress | None = None, analyze: bool = True) -> GenerationReport:
    """Create ``cases`` synthetic cases, one transaction per batch (an interrupted run keeps whole batches).

    The rows of a batch are computed outside the transaction; only the references (numbered under a
    lock, as the services number them) and the writing happen inside, so that several processes can
    generate into the same database at once.
    """
    with _commits_not_waited_for():
        return _generate(cases=cases, seed=seed, years=years, batch_size=batch_size, progress=progress,
                         analyze=analyze)


@contextmanager
def _commits_not_waited_for() -> Iterator[None]:
    """``synchronous_commit = off`` for this session on PostgreSQL: a commit does not wait for its WAL
    to reach the disk. A crash may lose the last batches committed (never part of one, and the
    database stays consistent); a generation can be run again. Other sessions are not affected."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        if connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


def _decisions(batch: Batch, facts: dict[int, dict[str, Any]], cells: CellDeltas, deadlines: Deadlines) -> None:
    """The decisions of the batch, with keys taken from their sequence, and the review facts of the
    negative ones (with their case's profile) counted in their cells, as the services keep them."""
    for decision_id, (case_id, decision) in zip(reserve_ids(Decision, len(batch.decided)), batch.decided, strict=True):
        batch.decisions.add(id=decision_id, case_id=case_id, **decision)
        review = review_values({"pk": decision_id, "case_id": case_id, "outcome": decision["outcome"],
                                "decided_at": decision["decided_at"], "reviewed_at": decision.get("reviewed_at")},
                               deadlines)
        if review is not None:
            fact = facts[case_id]
            batch.reviews.add(**review, **{name: fact[name] for name in PROFILE})
            cells.review(review, 1)
    batch.decided = []


def _generate(*, cases: int, seed: int, years: int, batch_size: int, progress: Progress | None,
              analyze: bool) -> GenerationReport:
    started = time.monotonic()
    cast = demo_cast()
    calendar = working_calendar()
    deadlines = Deadlines(calendar)
    agency_kinds = dict(Agency.objects.values_list("pk", "kind"))
    rng = random.Random(seed)
    rows: Counter[str] = Counter()
    by_status: Counter[str] = Counter()
    done = 0
    while done < cases:
        count = min(batch_size, cases - done)
        plans = plan_cases(rng, count, cast, now=timezone.now(),
                           spread=lambda plan: _spread_over_years(rng, plan, years))
        plans.sort(key=lambda plan: plan.moments[0])  # references follow the referrals within the batch
        anonymous = sum(1 for plan in plans if plan.data is not None and plan.data.is_anonymous)
        case_ids, referral_ids = reserve_ids(Case, count), reserve_ids(Referral, count)
        person_ids = iter(reserve_ids(Person, count - anonymous))
        batch = Batch()
        created = []
        for plan, case_id, referral_id in zip(plans, case_ids, referral_ids, strict=True):
            assert plan.data is not None
            person_id = None if plan.data.is_anonymous else next(person_ids)
            created.append(_case(rng, batch, (case_id, person_id, referral_id), plan, cast, calendar))
        # The statistical facts and the cells they count in, as the services keep them for every case.
        cells = CellDeltas()
        facts: dict[int, dict[str, Any]] = {}
        for case, plan in zip(created, plans, strict=True):
            assert plan.data is not None
            fact = fact_of_case(case, plan.data.exploitation_forms, agency_kinds[case.referring_agency_id], deadlines)
            batch.facts.add(**fact)
            cells.fact(fact, 1)
            facts[case.pk] = fact
        _decisions(batch, facts, cells, deadlines)
        with transaction.atomic():
            references = _take_references(timezone.localtime(case.referred_at).year for case in created)
            for case in created:
                case.reference = next(references[timezone.localtime(case.referred_at).year])
                batch.cases.add_instance(case)
                by_status[case.status] += 1
            rows += batch.write()
            cells.write()
        done += count
        if progress is not None:
            progress(done, cases, time.monotonic() - started)
    if analyze:
        refresh_planner_statistics()
    record_event(actor=None, action="demo.generate", target_type="case",
                 details={"cases": cases, "seed": seed, "years": years})
    return GenerationReport(cases=cases, rows=rows, by_status=by_status, seconds=time.monotonic() - started)


# --- Bulk loading: secondary indexes and foreign keys set aside, then made again ---------------------

# The tables a generation fills, whose indexes and foreign keys a bulk load may set aside.
BULK_MODELS: tuple[type[models.Model], ...] = (
    Person, PersonNationality, PersonLanguage, IdentityDocument, PersonSearchToken, Case, CaseExploitation,
    CasePlace, Referral, ReferralIndicator, Decision, CaseEvent, CaseFact, ReviewFact,
)


@dataclass(frozen=True)
class SetAside:
    """An index or a foreign key, and the definition PostgreSQL gives back for it."""

    table: str
    name: str
    definition: str  # pg_get_indexdef (a whole statement) or pg_get_constraintdef (a clause)
    foreign_key: bool = False

    def drop(self, quote: Callable[[str], str]) -> str:
        if self.foreign_key:
            return f"ALTER TABLE {quote(self.table)} DROP CONSTRAINT {quote(self.name)}"
        return f"DROP INDEX {quote(self.name)}"

    def create(self, quote: Callable[[str], str]) -> str:
        if self.foreign_key:
            return f"ALTER TABLE {quote(self.table)} ADD CONSTRAINT {quote(self.name)} {self.definition}"
        return self.definition


def _tables(models_: Iterable[type[models.Model]]) -> list[str]:
    return [model._meta.db_table for model in models_]


def secondary_indexes(models_: Iterable[type[models.Model]] = BULK_MODELS) -> list[SetAside]:
    """The indexes of these tables that a bulk load may drop and build again: on PostgreSQL, those
    that are neither unique nor behind a constraint (primary keys and unique constraints stay, so
    that every row is checked against them as it is written)."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT t.relname, i.relname, pg_get_indexdef(i.oid)
               FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               JOIN pg_namespace n ON n.oid = t.relnamespace
               WHERE n.nspname = current_schema() AND t.relname = ANY(%s) AND NOT x.indisunique
                 AND NOT x.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
               ORDER BY t.relname, i.relname""", [_tables(models_)])
        return [SetAside(table, name, definition) for table, name, definition in cursor.fetchall()]


def foreign_keys(models_: Iterable[type[models.Model]] = BULK_MODELS) -> list[SetAside]:
    """The foreign keys of these tables (to any table), on PostgreSQL."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT t.relname, c.conname, pg_get_constraintdef(c.oid), true
               FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
               JOIN pg_namespace n ON n.oid = t.relnamespace
               WHERE n.nspname = current_schema() AND t.relname = ANY(%s) AND c.contype = 'f'
               ORDER BY t.relname, c.conname""", [_tables(models_)])
        return [SetAside(*row) for row in cursor.fetchall()]


Say = Callable[[str], None]


def _check_pending_constraints(cursor: Any) -> None:
    if connection.in_atomic_block:
        # Inside a caller's transaction, the foreign keys of rows already written are checked at its
        # end, and PostgreSQL alters no table with such checks pending: check them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@contextmanager
def indexes_set_aside(say: Say | None = None) -> Iterator[list[SetAside]]:
    """Drop the secondary indexes and the foreign keys of the generated tables, and make them again
    on the way out.

    This is how ``pg_restore`` loads data: rows go into tables without those indexes (each row
    would update every one) and without foreign keys (each row would be checked by a query of its
    own); each index is then built once, sorting its rows once, and each foreign key is validated
    once for all rows, by one join. They are made again from their own definitions whatever happens
    inside (an error, an interruption): the schema is left as the migrations made it, and a row that
    broke a foreign key would fail the run. Primary keys and unique constraints stay in place.
    Meant for a load into a nearly empty database: while it runs, queries on these tables go without
    the indexes. Nothing is done on SQLite.
    """
    aside = secondary_indexes() + foreign_keys()
    if not aside:
        yield aside
        return
    quote = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        _check_pending_constraints(cursor)
        for item in aside:
            cursor.execute(item.drop(quote))
    if say is not None:
        say(f"generate: {sum(not item.foreign_key for item in aside)} secondary indexes and "
            f"{sum(item.foreign_key for item in aside)} foreign keys set aside until the end")
    try:
        yield aside
    finally:
        _make_again(aside, say)


def _make_again(aside: Sequence[SetAside], say: Say | None) -> None:
    """Each index and foreign key again, each on its own (one that fails does not stop the others)."""
    started = time.monotonic()
    quote = connection.ops.quote_name
    try:
        with connection.cursor() as cursor:
            _check_pending_constraints(cursor)
    except DatabaseError:
        if connection.in_atomic_block:
            raise
        connection.close()  # the connection was lost with the run: the next statement opens another
    # Inside a transaction, other sessions would not see the tables as it left them (nor get their locks).
    failed = _one_by_one(aside, quote) if connection.in_atomic_block else _side_by_side(aside, quote)
    if failed:
        if say is not None:
            say("generate: these could not be made again (" + str(failed[0][1]).strip() + "); once the cause is "
                "removed, run:\n" + "\n".join(f"{item.create(quote)};" for item, _ in failed))
        raise failed[0][1]
    if say is not None:
        say(f"generate: indexes built and foreign keys validated again in {time.monotonic() - started:,.0f} s")


Failures = list[tuple[SetAside, DatabaseError]]

# Memory for the sorts of the index builds and the joins that validate the foreign keys, per session
# (raised to this, never lowered): with less, a build sorts on disk in several passes.
_BUILD_MEMORY = "256MB"
_MORE_MEMORY = (f"SELECT set_config('maintenance_work_mem', '{_BUILD_MEMORY}', false) WHERE "
                f"pg_size_bytes(current_setting('maintenance_work_mem')) < pg_size_bytes('{_BUILD_MEMORY}')")
REBUILD_SESSIONS = 2


def _one_by_one(aside: Sequence[SetAside], quote: Callable[[str], str]) -> Failures:
    failed: Failures = []
    with connection.cursor() as cursor:
        cursor.execute(_MORE_MEMORY)
    for item in sorted(aside, key=lambda item: item.foreign_key):  # the indexes first
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(item.create(quote))
        except DatabaseError as error:
            failed.append((item, error))
    with connection.cursor() as cursor:
        cursor.execute("RESET maintenance_work_mem")
    return failed


# A piece of work for one session: statements per index or key, and what undoes a key left half made.
_Job = list[tuple[SetAside, list[str], str | None]]


def _side_by_side(aside: Sequence[SetAside], quote: Callable[[str], str]) -> Failures:
    """The indexes built by :data:`REBUILD_SESSIONS` sessions at once, those of the biggest tables
    first; then the foreign keys added without reading the rows (``NOT VALID``, a moment each) and
    validated by as many sessions, one table to a session at a time.

    A build takes a lock that lets other builds go on; adding a checked key would lock the table it
    points to against the other sessions' keys (every key of the cases points to one table), where
    validating an added key locks only its own table, against another validation of the same table.
    Validating reads the rows of both tables: afterwards the key is exactly what adding it checked.
    """
    failed: Failures = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, pg_table_size(oid) FROM pg_class WHERE relname = ANY(%s) "
                       "AND relnamespace = current_schema()::regnamespace", [sorted({item.table for item in aside})])
        sizes = dict(cursor.fetchall())
    indexes = sorted((item for item in aside if not item.foreign_key), key=lambda item: -sizes.get(item.table, 0))
    failed += _in_sessions([[(item, [item.create(quote)], None)] for item in indexes])
    added: dict[str, _Job] = {}
    for item in (item for item in aside if item.foreign_key):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(f"{item.create(quote)} NOT VALID")
        except DatabaseError as error:
            failed.append((item, error))
            continue
        added.setdefault(item.table, []).append(
            (item, [f"ALTER TABLE {quote(item.table)} VALIDATE CONSTRAINT {quote(item.name)}"], item.drop(quote)))
    failed += _in_sessions(sorted(added.values(), key=lambda job: -sizes.get(job[0][0].table, 0)))
    present = {(item.table, item.name) for item in secondary_indexes() + foreign_keys()}
    unaccounted = [item.name for item in aside if (item.table, item.name) not in present] if not failed else []
    if unaccounted:
        raise RuntimeError(f"not made again, with no error reported: {', '.join(unaccounted)}")
    return failed


def _in_sessions(jobs: Sequence[_Job]) -> Failures:
    """Run the jobs in :data:`REBUILD_SESSIONS` threads, each with its own connection (in autocommit)."""
    pending: queue.SimpleQueue[_Job] = queue.SimpleQueue()
    for job in jobs:
        pending.put(job)
    failed: Failures = []

    def work() -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(_MORE_MEMORY)
            while True:
                try:
                    job = pending.get_nowait()
                except queue.Empty:
                    return
                for item, statements, undo in job:
                    try:
                        with connection.cursor() as cursor:
                            for statement in statements:
                                cursor.execute(statement)
                    except DatabaseError as error:
                        failed.append((item, error))
                        if undo is not None:
                            with suppress(DatabaseError), connection.cursor() as cursor:
                                cursor.execute(undo)  # not left half made: as if never added
        except DatabaseError as error:  # the session itself failed: what it had not done is reported
            while True:
                try:
                    failed.extend((item, error) for item, _, _ in pending.get_nowait())
                except queue.Empty:
                    break
        finally:
            connection.close()  # this thread's own

    sessions = [threading.Thread(target=work, name=f"rebuild-{number}") for number in range(REBUILD_SESSIONS)]
    for session in sessions:
        session.start()
    for session in sessions:
        session.join()
    return failed
