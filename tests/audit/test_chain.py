"""The audit trail is hash-chained: ``masarat audit verify`` finds every change made behind its back."""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F

from masarat.audit.chain import GENESIS_HASH, event_hash
from masarat.audit.context import RequestContext, current_request
from masarat.audit.models import AuditEvent
from masarat.audit.services import record_event

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the append-only trigger exists on PostgreSQL only")


def verify() -> str:
    out = StringIO()
    call_command("audit", "verify", stdout=out, stderr=StringIO())
    return out.getvalue()


def refused() -> str:
    with pytest.raises(CommandError) as failure:
        verify()
    assert failure.value.returncode != 0
    return str(failure.value)


@contextmanager
def trigger_disabled() -> Iterator[None]:
    """What an insider with the database's owner rights can do. DDL is transactional: the test rolls it back."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no deferred check
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_auditevent_append_only")
    yield


def event(sequence: int) -> AuditEvent:
    return AuditEvent.objects.get(sequence=sequence)


@pytest.fixture
def trail(alice) -> list[AuditEvent]:
    """Six events after whatever the migrations recorded; returns them in order."""
    for number in range(6):
        record_event(actor=alice, action="case.read", target_type="case", target_id=str(number),
                     case_reference=f"MA-2026-{number:05d}", details={"n": number})
    return list(AuditEvent.objects.order_by("sequence"))


def test_an_untouched_trail_verifies(trail):
    assert verify().startswith(f"{len(trail)} events verified, chain intact.")
    assert [e.sequence for e in trail] == list(range(1, len(trail) + 1))
    assert trail[0].previous_hash == GENESIS_HASH
    assert all(later.previous_hash == earlier.hash for earlier, later in itertools.pairwise(trail))


def test_fields_round_trip_through_the_database_unchanged(alice):
    """IPv6 written in any spelling, non-Latin text and nested details hash the same once stored."""
    token = current_request.set(RequestContext(ip_address="2001:DB8:0:0::0001", channel="web"))
    try:
        record_event(actor=alice, action="person.read", target_type="person", target_id="7",
                     details={"z": [1, 2.5, "é", None], "a": {"nom": "أمينة", "ok": True}, "t": (1, 2)})
        record_event(actor=None, action="login.failed", target_type="user", details={})
    finally:
        current_request.reset(token)
    assert "chain intact" in verify()


def test_an_altered_event_is_found(trail):
    with trigger_disabled():
        AuditEvent.objects.filter(pk=trail[2].pk).update(actor_username="someone.else")
    message = refused()
    assert f"event #{trail[2].sequence} (id {trail[2].pk}): altered: hash mismatch" in message


def test_an_altered_event_with_a_recomputed_hash_breaks_the_next_link(trail):
    forged = trail[2]
    row = AuditEvent.objects.filter(pk=forged.pk).values().get()
    row["details"] = {"n": "nothing to see"}
    with trigger_disabled():
        AuditEvent.objects.filter(pk=forged.pk).update(details=row["details"],
                                                       hash=event_hash(row, row["previous_hash"]))
    message = refused()
    assert f"event #{forged.sequence + 1}" in message and "broken link" in message


def test_a_deleted_event_is_found(trail):
    with trigger_disabled():
        AuditEvent.objects.filter(pk=trail[3].pk).delete()
    message = refused()
    assert f"event #{trail[4].sequence} (id {trail[4].pk}): deleted" in message
    assert f"event #{trail[3].sequence} missing" in message


def test_a_deleted_event_is_found_even_when_the_later_ones_are_renumbered(trail):
    with trigger_disabled():
        AuditEvent.objects.filter(pk=trail[3].pk).delete()
        for later in trail[4:]:
            AuditEvent.objects.filter(pk=later.pk).update(sequence=later.sequence - 1)
    message = refused()
    assert f"(id {trail[4].pk})" in message and "broken link" in message


def test_an_inserted_event_is_found(trail, bob):
    """A forger who knows the format inserts an event with a valid hash, and makes room for it."""
    position = trail[3].sequence
    with trigger_disabled():
        # Two steps, so that the unique sequence is never repeated in between.
        AuditEvent.objects.filter(sequence__gte=position).update(sequence=F("sequence") + 10_000)
        for later in trail[3:]:
            AuditEvent.objects.filter(pk=later.pk).update(sequence=later.sequence + 1)
    forged = AuditEvent(actor=bob, actor_username="bob", action="case.read", target_type="case", target_id="3",
                        channel="web", sequence=position, previous_hash=trail[2].hash, at=trail[2].at)
    forged.hash = event_hash(vars(forged), forged.previous_hash)
    forged.save(force_insert=True)
    message = refused()
    assert f"event #{position} (id {forged.pk}): inserted" in message


def test_an_event_inserted_with_a_made_up_hash_is_found(trail):
    AuditEvent.objects.create(action="case.read", target_type="case", channel="web",
                              sequence=trail[-1].sequence + 1, previous_hash=trail[-1].hash, hash="f" * 64)
    assert "altered: hash mismatch" in refused()


def test_a_repeated_sequence_number_is_refused(trail):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.create(action="x", target_type="case", channel="web", sequence=trail[2].sequence,
                                  previous_hash=trail[1].hash, hash=trail[2].hash)


def test_long_trails_are_verified_in_batches(trail):
    out, err = StringIO(), StringIO()
    call_command("audit", "verify", "--batch-size", "2", stdout=out, stderr=err)
    assert f"{len(trail)} events verified, chain intact." in out.getvalue()
    assert "events verified" in err.getvalue()  # the progress of a long run


def test_many_events_in_one_transaction_keep_one_chain(alice):
    with transaction.atomic():
        for number in range(50):
            record_event(actor=alice, action="case.list", target_type="case", details={"page": number})
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    assert "chain intact" in verify()


def test_the_migration_chains_the_events_written_before_the_chain(trail):
    """Events of an older version had no chain: the migration gives them one, in the order of their ids."""
    migration = importlib.import_module("masarat.audit.migrations.0003_chain_existing_events")
    with trigger_disabled():
        for old in trail:
            AuditEvent.objects.filter(pk=old.pk).update(sequence=1_000_000 + old.pk, previous_hash="", hash="")
        migration.chain_existing_events(apps, None)
    assert list(AuditEvent.objects.order_by("id").values_list("sequence", flat=True)) == list(
        range(1, len(trail) + 1))
    assert "chain intact" in verify()


@on_postgresql
def test_the_database_refuses_to_update_or_delete_an_event(trail):
    for change in (lambda: AuditEvent.objects.filter(pk=trail[0].pk).update(action="case.nothing"),
                   lambda: AuditEvent.objects.filter(pk=trail[0].pk).delete()):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            change()
    assert event(trail[0].sequence).action == trail[0].action
    assert "chain intact" in verify()


def test_events_removed_from_the_end_are_found_with_a_kept_head(trail):
    head = trail[-1]
    kept = f"{head.sequence}:{head.hash}"
    out = StringIO()
    call_command("audit", "verify", "--expect-head", kept, stdout=out, stderr=StringIO())
    assert "chain intact" in out.getvalue()
    with trigger_disabled():
        AuditEvent.objects.filter(sequence__gte=trail[-2].sequence).delete()
    assert "chain intact" in verify()  # a shortened chain is consistent in itself...
    with pytest.raises(CommandError, match="is gone"):  # ...but the kept head says otherwise
        call_command("audit", "verify", "--expect-head", kept, stdout=StringIO(), stderr=StringIO())


def test_a_rewritten_chain_is_found_with_a_kept_head(trail):
    kept = f"{trail[2].sequence}:{'0' * 64}"
    with pytest.raises(CommandError, match="no longer has the hash"):
        call_command("audit", "verify", "--expect-head", kept, stdout=StringIO(), stderr=StringIO())
