"""``masarat generate``: synthetic cases written in bulk, as the services would have written them."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection
from django.utils import timezone

from masarat.accounts.models import User
from masarat.cases.lifecycle import OPEN_STATUSES, Status
from masarat.cases.models import Case, Decision, ReferenceCounter
from masarat.cases.selectors import CaseFilters, case_queue
from masarat.people.models import Person, PersonSearchToken
from masarat.people.search import person_tokens
from masarat.referrals.models import Referral
from masarat.vault.cipher import decrypt

CASES = 60


@pytest.fixture
def generated(db):
    err = StringIO()
    call_command("generate", cases=CASES, seed=5, years=6, batch=25, stdout=StringIO(), stderr=err)
    return err.getvalue()


def stored(table: str, column: str, pk: int) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_counts_per_stage(generated):
    assert Case.objects.count() == CASES == Referral.objects.count()
    statuses = Counter(Case.objects.values_list("status", flat=True))
    assert set(statuses) == set(Status.values)  # every batch of 25 holds every stage
    anonymous = statuses[Status.ANONYMOUS_NOTIFICATION]
    assert Person.objects.count() == CASES - anonymous
    assert not Case.objects.filter(status=Status.ANONYMOUS_NOTIFICATION, person__isnull=False).exists()
    assert "generate: 50/60 cases" in generated and "generate: 60/60 cases (100%)" in generated


def test_timelines_and_decisions_are_consistent(generated):
    now = timezone.now()
    for case in Case.objects.prefetch_related("events", "decisions"):
        events = list(case.events.all())
        assert events[0].action in ("referral_submitted", "anonymous_notification")
        assert events[0].at == case.referred_at
        assert [e.at for e in events] == sorted(e.at for e in events) and events[-1].at <= now
        assert events[-1].to_status == case.status
        for before, after in itertools.pairwise(events):
            assert after.from_status in ("", before.to_status)
        # One version per change, as the services count them (the acknowledgement assigns the coordinator).
        assert case.version == len([e for e in events if e.action != "assign_coordinator"])
        assert (case.status in OPEN_STATUSES and case.status not in (Status.NOT_PRESUMED, Status.IDENTIFIED,
                                                                     Status.NOT_IDENTIFIED)) == bool(case.due_on)
        for decision in case.decisions.all():
            assert case.referred_at <= decision.decided_at <= now
            assert decision.reasons and (not decision.review_outcome or decision.reviewed_at >= decision.decided_at)
        if case.status == Status.CLOSED:
            assert case.closed_at == events[-1].at and case.status_before_close
    assert Decision.objects.exists()


def test_references_are_unique_and_counters_move_on(generated):
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == CASES
    for counter in ReferenceCounter.objects.all():
        numbers = [int(r.rsplit("-", 1)[1]) for r in references if f"-{counter.year}-" in r]
        assert sorted(numbers) == list(range(1, counter.last_number + 1))


def test_history_spreads_over_several_years(generated):
    oldest = Case.objects.order_by("referred_at").first()
    assert oldest.referred_at < timezone.now() - timedelta(days=3 * 365)
    assert Case.objects.filter(referred_at__gt=timezone.now() - timedelta(days=60)).exists()


def test_identities_are_encrypted_at_rest(generated):
    person = next(p for p in Person.objects.order_by("pk") if p.given_name_latin)
    token = stored("people_person", "given_name_latin", person.pk)
    assert token.startswith("ev1:") and person.given_name_latin not in token
    assert decrypt(token, context="people.Person.given_name_latin") == person.given_name_latin
    referral = Referral.objects.filter(case__person__isnull=False).first()
    assert stored("referrals_referral", "circumstances", referral.pk).startswith("ev1:")
    assert stored("cases_decision", "reasons", Decision.objects.first().pk).startswith("ev1:")


def test_blind_indexes_are_those_the_application_computes(generated):
    for person in Person.objects.prefetch_related("documents")[:20]:
        assert set(person.search_tokens.values_list("purpose", "digest")) == person_tokens(person)
    assert PersonSearchToken.objects.filter(purpose="name").exists()


def test_a_generated_person_is_found_by_name_in_the_queue(generated):
    case = next(c for c in Case.objects.filter(person__isnull=False).select_related("person").order_by("pk")
                if c.person.family_name_latin)
    viewer = User.objects.get(username="national.coordinator")
    name = f"{case.person.given_name_latin} {case.person.family_name_latin}".upper()
    found = case_queue(viewer=viewer, filters=CaseFilters(search=name))
    assert case in found
    assert all(c.person.family_name_latin == case.person.family_name_latin for c in found)


def test_the_same_seed_gives_the_same_people(db):
    call_command("generate", cases=15, seed=3, stdout=StringIO(), stderr=StringIO())
    first = [p.display_name for p in Person.objects.order_by("pk")]
    Case.objects.all().delete()
    Person.objects.all().delete()
    call_command("generate", cases=15, seed=3, stdout=StringIO(), stderr=StringIO())
    assert [p.display_name for p in Person.objects.order_by("pk")] == first


def test_refused_outside_demo_mode_unless_forced(db, settings):
    settings.DEMO = settings.DEBUG = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("generate", cases=5, stdout=StringIO(), stderr=StringIO())
    assert not Case.objects.exists()
    call_command("generate", cases=5, force=True, stdout=StringIO(), stderr=StringIO())
    assert Case.objects.count() == 5


def test_the_number_of_queries_does_not_grow_with_the_cases_of_a_batch(db):
    """Rows are written in bulk: a per-person query (an index reading a relation, say) would make a
    million cases take days."""
    from django.test.utils import CaptureQueriesContext

    def queries(cases: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            call_command("generate", cases=cases, seed=cases, years=2, batch=500, stdout=StringIO(),
                         stderr=StringIO())
        return len(captured.captured_queries)

    queries(5)  # the first run reads the cast of agencies and users and numbers the first references
    assert queries(200) <= queries(40) + 10  # a few more: the references of each year are numbered


# --- --bulk: secondary indexes set aside, then built again --------------------------------------

def schema_indexes() -> dict[str, dict[str, object]]:
    """Every index and constraint of every table, as the database describes them."""
    with connection.cursor() as cursor:
        return {table: {name: sorted((key, str(value)) for key, value in spec.items())
                        for name, spec in connection.introspection.get_constraints(cursor, table).items()}
                for table in connection.introspection.table_names(cursor)}


def generated_rows() -> dict[str, list[tuple[object, ...]]]:
    """What a generation wrote, table by table in the order written, without the keys taken from sequences
    (and the encrypted values as they read, not as their random ciphertext)."""
    from masarat.demo.generation import BULK_MODELS

    own = {model._meta.db_table for model in BULK_MODELS}
    rows = {}
    for model in BULK_MODELS:
        names = [f.attname for f in model._meta.concrete_fields
                 if not f.primary_key and not (f.is_relation and f.related_model._meta.db_table in own)
                 and f.attname not in ("case_id", "decision_id")]
        rows[model._meta.db_table] = list(model.objects.order_by("pk").values_list(*names))
    return rows


def test_a_bulk_run_leaves_every_index_and_writes_the_same_rows(db, monkeypatch):
    from masarat.statistics.models import ReferralCell

    moment = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: moment)  # plans start from "now": the same for both runs
    before = schema_indexes()
    call_command("generate", cases=40, seed=8, years=3, batch=15, stdout=StringIO(), stderr=StringIO())
    normal = generated_rows()
    cells = sorted(ReferralCell.objects.filter(count__gt=0).values_list(
        "month", "outcome", "region", "sex", "age_band", "nationality", "exploitation", "count"))
    Case.objects.all().delete()
    Person.objects.all().delete()
    ReferenceCounter.objects.all().delete()
    ReferralCell.objects.all().delete()
    err = StringIO()
    call_command("generate", cases=40, seed=8, years=3, batch=15, bulk=True, stdout=StringIO(), stderr=err)
    assert schema_indexes() == before
    assert generated_rows() == normal
    assert sum(len(rows) for rows in normal.values()) > 40 * 10
    assert sorted(ReferralCell.objects.filter(count__gt=0).values_list(
        "month", "outcome", "region", "sex", "age_band", "nationality", "exploitation", "count")) == cells
    if connection.vendor == "postgresql":
        assert "secondary indexes and" in err.getvalue() and "validated again" in err.getvalue()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_bulk_sets_aside_only_secondary_indexes_and_foreign_keys(db):
    from masarat.demo.generation import foreign_keys, indexes_set_aside, secondary_indexes

    indexes = secondary_indexes()
    keys = foreign_keys()
    assert "FOREIGN KEY (person_id) REFERENCES people_person(id) DEFERRABLE INITIALLY DEFERRED" in {
        key.definition for key in keys if key.table == "people_personsearchtoken"}
    names = {index.name for index in indexes}
    assert "cases_caseevent_case_id_6c6031ac" in names  # a foreign key's index
    assert "cases_decision_case_id_902b31ea" in names  # the generation reads none of the rows it writes
    assert not any(index.name.endswith("_pkey") or "UNIQUE" in index.definition for index in indexes)
    with indexes_set_aside() as set_aside:
        assert set_aside == indexes + keys and secondary_indexes() == foreign_keys() == []
        call_command("generate", cases=10, seed=2, stdout=StringIO(), stderr=StringIO())
    assert secondary_indexes() == indexes and foreign_keys() == keys


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_several_sessions_make_every_index_and_key_again():
    from masarat.demo.generation import foreign_keys, indexes_set_aside

    def unchecked_keys() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated")
            return cursor.fetchone()[0]

    before = schema_indexes()
    err = StringIO()
    call_command("generate", cases=30, seed=3, years=2, batch=10, bulk=True, stdout=StringIO(), stderr=err)
    assert "validated again" in err.getvalue()
    assert schema_indexes() == before and unchecked_keys() == 0
    keys = foreign_keys()
    broken = next(key for key in keys if key.name == "people_personsearchtoken_person_id_048b40c6_fk_people_person_id")
    try:
        with pytest.raises(IntegrityError), indexes_set_aside():
            PersonSearchToken.objects.filter(pk=PersonSearchToken.objects.first().pk).update(person_id=10**9)
        # The key that the row breaks is not left added but unchecked; every other one is back.
        assert {key.name for key in foreign_keys()} == {key.name for key in keys} - {broken.name}
        assert unchecked_keys() == 0
    finally:
        PersonSearchToken.objects.filter(person_id=10**9).delete()
        with connection.cursor() as cursor:
            cursor.execute(broken.create(connection.ops.quote_name))
    assert schema_indexes() == before


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_row_that_breaks_a_foreign_key_fails_the_bulk_load(db):
    from masarat.demo.generation import foreign_keys, indexes_set_aside

    keys = foreign_keys()
    with pytest.raises(IntegrityError), indexes_set_aside():
        call_command("generate", cases=3, seed=2, stdout=StringIO(), stderr=StringIO())
        PersonSearchToken.objects.update(person_id=10**9)  # no such person
    assert {key.name for key in foreign_keys()} == {key.name for key in keys} - {
        "people_personsearchtoken_person_id_048b40c6_fk_people_person_id"}


def test_a_failed_bulk_run_makes_the_indexes_and_foreign_keys_again(db, monkeypatch):
    from masarat.demo.generation import foreign_keys, secondary_indexes
    from masarat.demo.management.commands import generate as command

    before = schema_indexes()
    seen = []

    def failing(**kwargs):
        seen.append(secondary_indexes() + foreign_keys())
        raise RuntimeError("the database went away")

    monkeypatch.setattr(command, "generate", failing)
    with pytest.raises(RuntimeError, match="went away"):
        call_command("generate", cases=10, bulk=True, stdout=StringIO(), stderr=StringIO())
    assert seen == [[]]  # the generation ran without them...
    assert schema_indexes() == before  # ...and they are back
