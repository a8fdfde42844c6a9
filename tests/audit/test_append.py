"""The database appends an event from the pieces of its canonical form (``canonical_parts``): the
pieces must give the very bytes ``canonical`` hashes, and the events so appended verify."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from masarat.audit.chain import GENESIS_HASH, _moment, canonical, canonical_parts, event_hash
from masarat.audit.models import AuditEvent
from masarat.audit.services import record_event
from tests.audit.test_chain_concurrency import assert_one_chain

ROWS = [
    {"actor_id": None, "actor_username": "", "action": "case.list", "target_type": "case", "target_id": "",
     "case_reference": "", "ip_address": None, "channel": "api", "details": {}},
    {"actor_id": 42, "actor_username": "nadia", "action": "case.read", "target_type": "case", "target_id": "7",
     "case_reference": "MNR-2026-000007", "ip_address": "2001:db8::1", "channel": "web",
     "details": {"references": ["MNR-2026-000007"], "filters": {"q": "[search]", "région": "MA-04"},
                 "n": 1.5, "quote": 'a "b" \\ c', "nested": {"z": [1, None, True], "a": "أمينة"}}},
]


@pytest.mark.parametrize("row", ROWS)
@pytest.mark.parametrize("sequence", [1, 9, 123456789])
def test_the_pieces_make_the_canonical_form(row, sequence):
    at = datetime(2026, 11, 30, 3, 4, 5, 60, tzinfo=UTC)
    previous = "ab" * 32
    head, middle, tail = canonical_parts(row)
    assembled = f'{head}{_moment(at)}{middle}{previous}","sequence":{sequence}{tail}'
    assert assembled.encode() == canonical({**row, "at": at, "sequence": sequence}, previous)


on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql",
                                   reason="the append function exists on PostgreSQL only")


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_events_appended_by_the_database_are_returned_as_stored_and_verify(alice):
    before = AuditEvent.objects.order_by("-sequence").first()
    first = record_event(actor=alice, action="case.list", target_type="case",
                         details={"references": ["MNR-2026-000001"], "filters": {"q": "[search]"}})
    second = record_event(actor=None, action="case.read", target_type="case", target_id="1")
    for event in (first, second):
        stored = AuditEvent.objects.get(pk=event.pk)
        assert (stored.sequence, stored.at, stored.previous_hash, stored.hash) == (
            event.sequence, event.at, event.previous_hash, event.hash)
        assert stored.hash == event_hash(vars(stored), stored.previous_hash)
    assert first.previous_hash == (before.hash if before else GENESIS_HASH)
    assert (second.sequence, second.previous_hash) == (first.sequence + 1, first.hash)
    assert second.at >= first.at
    assert_one_chain()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_reads_appended_at_the_same_time_outside_transactions_keep_one_chain():
    failures: list[BaseException] = []

    def read(worker: int) -> None:
        try:
            for number in range(10):
                record_event(actor=None, action="case.list", target_type="case", target_id=f"{worker}-{number}")
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=read, args=(worker,)) for worker in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures
    assert AuditEvent.objects.filter(action="case.list", target_id__contains="-").count() == 60
    assert_one_chain()
