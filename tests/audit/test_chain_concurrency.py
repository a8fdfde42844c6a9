"""Transactions that append at the same time still make one chain."""

from __future__ import annotations

import itertools
import threading
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from masarat.audit.models import AuditEvent
from masarat.audit.services import record_event

THREADS, EVENTS_EACH = 8, 5


def assert_one_chain() -> None:
    sequences = list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert f"{len(sequences)} events verified, chain intact." in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_appends_in_successive_transactions_keep_one_chain():
    before = AuditEvent.objects.count()
    for number in range(5):
        with transaction.atomic():
            record_event(actor=None, action="case.read", target_type="case", target_id=str(number))
            record_event(actor=None, action="case.list", target_type="case")
    # Outside any transaction, each event is its own.
    record_event(actor=None, action="case.read", target_type="case", target_id="autocommit")
    assert AuditEvent.objects.count() == before + 11
    assert_one_chain()


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite lets one transaction write at a time: there is no concurrent append to test")
@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_do_not_fork_the_chain():
    before = AuditEvent.objects.count()
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            start.wait()
            with transaction.atomic():
                for number in range(EVENTS_EACH):
                    record_event(actor=None, action="case.read", target_type="case", target_id=f"{worker}-{number}")
                    time.sleep(0.002)  # keep the transaction open while the others try to append
        except BaseException as exc:  # reported to the test below
            failures.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=append, args=(worker,)) for worker in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures
    assert AuditEvent.objects.count() == before + THREADS * EVENTS_EACH
    assert_one_chain()
    # Each transaction's events are consecutive: the lock is held until it commits.
    order = [target.split("-")[0] for target in AuditEvent.objects.filter(
        target_id__contains="-").order_by("sequence").values_list("target_id", flat=True)]
    assert sum(1 for a, b in itertools.pairwise(order) if a != b) == THREADS - 1
