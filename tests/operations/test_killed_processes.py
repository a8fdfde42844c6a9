"""A server or a worker killed (SIGKILL) in the middle of its work: nothing lost, nothing done twice.

Real processes are started on the test database and killed while they hold an open transaction.
To kill them at a known point without any hook in the application, the test holds the audit
chain's lock (every change appends to the audit trail under it): the server's transaction then
waits on it, after its first writes, until the process is killed. PostgreSQL only: SQLite's test
database lives in memory, where a second process cannot see it.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from masarat.accounts.services import api_token_create
from masarat.audit.chain import CHAIN_LOCK_KEY
from masarat.cases.models import Case
from masarat.people.models import Person
from masarat.webhooks.models import Delivery, DeliveryStatus, Event, Subscription
from masarat.webhooks.services import emit
from tests.api import REFERRALS, referral_payload

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="a second process shares the test database on PostgreSQL only"),
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment() -> dict[str, str]:
    """The child processes use the test database, with the same (demo) keys as this process."""
    database = connection.settings_dict
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    url = f"postgres://{database['USER']}@{host}/{database['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "MASARAT_DEMO": "1", "PYTHONPATH": str(ROOT)}


@contextmanager
def _server() -> Iterator[tuple[int, subprocess.Popen[Any]]]:
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "-m", "masarat", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
        env=_environment(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                probe.request("GET", "/health/live")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("the server did not start") from None
                time.sleep(0.2)
        yield port, process
    finally:
        _kill(process)


def _kill(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def _post_referral(port: int, token: str, key: str) -> tuple[int, dict[str, Any]]:
    client = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    client.request("POST", REFERRALS, body=json.dumps(referral_payload()),
                   headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                            "Idempotency-Key": key, "Accept-Language": "en"})
    response = client.getresponse()
    return response.status, json.loads(response.read() or b"{}")


def _waiting_for_the_chain(timeout: float = 60) -> list[int]:
    """The PostgreSQL backends waiting for the audit chain's lock (another connection than ours)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = %s",
                [CHAIN_LOCK_KEY & 0xFFFFFFFF],
            )
            waiting = [row[0] for row in cursor.fetchall()]
        if waiting:
            return waiting
        time.sleep(0.1)
    raise AssertionError("no process came to wait for the audit chain")


def _gone(backends: list[int], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", [backends])
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)
    raise AssertionError("the killed server's database sessions did not end")


def _audit_verifies() -> bool:
    try:
        call_command("audit", "verify", stdout=StringIO())
    except SystemExit as exit_:
        return exit_.code in (0, None)
    return True


def _has_written(backend_pid: int) -> bool:
    """The backend's transaction has a transaction id: it has already written rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT backend_xid IS NOT NULL FROM pg_stat_activity WHERE pid = %s", [backend_pid])
        row = cursor.fetchone()
    return bool(row and row[0])


def test_a_server_killed_mid_referral_loses_nothing_and_the_retry_records_it_once(alice):
    token = api_token_create(user=alice, name="kill test")
    cases_before, persons_before = Case.objects.count(), Person.objects.count()
    answers: list[Any] = []

    with _server() as (port, server):
        with transaction.atomic():  # hold the audit chain: the server's transaction waits mid-way
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])
            sender = threading.Thread(
                target=lambda: answers.append(_safely(_post_referral, port, token, "retry-after-crash-1")))
            sender.start()
            backends = _waiting_for_the_chain()
            assert any(_has_written(pid) for pid in backends)  # killed after its first writes, not before
            _kill(server)  # SIGKILL while its transaction is open
        sender.join(timeout=60)
        _gone(backends)  # its database session ends without a commit

    # The client saw an error, not a success; the database holds nothing of the half-done referral.
    assert answers and answers[0][0] != 201
    assert (Case.objects.count(), Person.objects.count()) == (cases_before, persons_before)
    assert _audit_verifies()

    with _server() as (port, _):  # a new server; the client retries with the same key, twice
        first = _post_referral(port, token, "retry-after-crash-1")
        again = _post_referral(port, token, "retry-after-crash-1")
    assert first[0] == 201 and again[0] == 201
    assert first[1]["reference"] == again[1]["reference"]
    assert Case.objects.count() == cases_before + 1
    assert Case.objects.filter(reference=first[1]["reference"], referred_by=alice).exists()
    assert _audit_verifies()


def _safely(function: Any, *args: Any) -> Any:
    try:
        return function(*args)
    except (OSError, http.client.HTTPException) as error:
        return (0, {"error": str(error)})


def test_a_worker_killed_mid_delivery_loses_nothing_and_sends_each_event_once_to_a_deduplicating_receiver():
    received: list[str] = []
    hold = threading.Event()
    holding = threading.Event()

    import http.server

    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            received.append(self.headers["Masarat-Delivery"])
            if hold.is_set():
                holding.set()
                time.sleep(60)  # the worker waits for this answer until it is killed
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        Subscription.objects.create(name="Partner", url=f"http://127.0.0.1:{server.server_port}/hook",
                                    secret="a secret of at least forty characters long....",
                                    events=[Event.CASE_CLOSED.value])
        for number in range(3):
            emit(event=Event.CASE_CLOSED, reference=f"MNR-2026-00010{number}")

        hold.set()
        worker = subprocess.Popen(
            [sys.executable, "-m", "masarat", "worker", "--once"], env=_environment(), cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        assert holding.wait(timeout=60), "the worker never posted"
        _kill(worker)  # killed while the receiver has the event and the worker has not recorded it
        assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 3  # nothing lost

        hold.clear()
        restarted = subprocess.run(
            [sys.executable, "-m", "masarat", "worker", "--once"], env=_environment(), cwd=ROOT,
            capture_output=True, timeout=120, check=False,
        )
        assert restarted.returncode == 0, restarted.stderr
    finally:
        server.shutdown()
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 3
    ids = set(Delivery.objects.values_list("id", flat=True))
    assert {str(i) for i in ids} == set(received)  # every event arrived...
    assert len(received) == 4  # ...one twice (the one in flight), with the same delivery id
