"""Webhooks: outbox written with the change, signed delivery to a receiver that is down then up,
backoff, dead letters and replay, and workers that crash or run side by side."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, transaction
from django.utils import timezone

from masarat.cases import services as case_services
from masarat.operations.outbox import backoff
from masarat.referrals.services import referral_submit
from masarat.webhooks.models import Delivery, DeliveryStatus, Event, Subscription
from masarat.webhooks.services import Outcome, deliver_due, deliver_next, emit, http_post, replay
from masarat.webhooks.signing import sign, verify
from tests.factories import referral_input

SECRET = "s" * 40


class Receiver:
    """A partner's HTTP endpoint on localhost that records what it receives and checks signatures."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.received: list[dict[str, object]] = []
        self.status = 204
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def start(self) -> None:
        received = self.received
        receiver_self = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append({"delivery": self.headers["Masarat-Delivery"], "event": self.headers["Masarat-Event"],
                                 "valid": verify(SECRET, self.headers["Masarat-Signature"], body),
                                 "body": json.loads(body)})
                self.send_response(receiver_self.status)
                if receiver_self.status == 302:
                    self.send_header("Location", "http://127.0.0.1:9/elsewhere")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    def unique(self) -> set[object]:
        return {item["delivery"] for item in self.received}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def subscription(receiver, db) -> Subscription:
    return Subscription.objects.create(name="Partner", url=receiver.url, secret=SECRET,
                                       events=[event.value for event in Event])


def _due_now() -> None:
    Delivery.objects.filter(status=DeliveryStatus.PENDING).update(next_attempt_at=timezone.now())


def test_events_are_queued_with_the_change_and_hold_no_identity(subscription, alice, bob):
    case = referral_submit(data=referral_input(), by=alice)
    case_services.decision_record(case=case, stage="preliminary", outcome="positive", reasons="Indicators.",
                                  by=bob, expected_version=None)
    case.refresh_from_db()
    case_services.case_close(case=case, reason="Returned home.", follow_up_plan="Call in a month.", by=bob,
                             expected_version=None)
    events = list(Delivery.objects.values_list("event", flat=True))
    assert events == ["referral.created", "decision.recorded", "case.closed"]
    payload = Delivery.objects.first().payload
    assert set(payload) == {"delivery", "event", "reference", "occurred_at"}
    assert "Aminata" not in json.dumps(payload) and payload["reference"] == case.reference


def test_a_change_rolled_back_announces_nothing(subscription, alice):
    with pytest.raises(RuntimeError), transaction.atomic():
        referral_submit(data=referral_input(), by=alice)
        raise RuntimeError
    assert not Delivery.objects.exists()


def test_only_subscribed_events_of_active_subscriptions(subscription, receiver):
    Subscription.objects.create(name="Closures", url=receiver.url, secret=SECRET, events=["case.closed"])
    Subscription.objects.create(name="Off", url=receiver.url, secret=SECRET, events=["referral.created"],
                                is_active=False)
    assert emit(event=Event.REFERRAL_CREATED, reference="MNR-2026-000001") == 1
    assert emit(event=Event.CASE_CLOSED, reference="MNR-2026-000001") == 2


def test_delivery_survives_a_receiver_that_is_down_then_up(subscription, receiver, settings):
    settings.MASARAT_WEBHOOK_BACKOFF_SECONDS = 30
    emit(event=Event.REFERRAL_CREATED, reference="MNR-2026-000007")
    assert deliver_due() == 1  # nobody listens yet
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 1 and delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert deliver_due() == 0  # not due again before the backoff
    receiver.start()
    _due_now()
    assert deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.attempts == 2
    [received] = receiver.received
    assert received["valid"] is True and received["delivery"] == str(delivery.id)
    assert received["body"] == {"delivery": str(delivery.id), "event": "referral.created",
                                "reference": "MNR-2026-000007", "occurred_at": delivery.occurred_at.isoformat()}


@pytest.mark.parametrize("status", [302, 500, 404])
def test_an_answer_other_than_2xx_is_a_failure(subscription, receiver, status):
    receiver.status = status
    receiver.start()
    emit(event=Event.CASE_CLOSED, reference="MNR-2026-000008")
    deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.last_error == f"HTTP {status}"
    assert len(receiver.received) == 1  # the redirect was not followed


def test_backoff_doubles_and_is_capped(settings):
    settings.MASARAT_WEBHOOK_BACKOFF_SECONDS = 30
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff(30) == timedelta(hours=6)


def test_dead_letters_and_replay(subscription, receiver, settings, administrator):
    settings.MASARAT_WEBHOOK_MAX_ATTEMPTS = 3
    emit(event=Event.CASE_CLOSED, reference="MNR-2026-000009")
    for _attempt in range(3):
        _due_now()
        deliver_due()
    delivery = Delivery.objects.get()
    assert delivery.status == DeliveryStatus.DEAD and delivery.attempts == 3
    _due_now()
    assert deliver_due() == 0  # a dead letter is not retried on its own
    receiver.start()
    assert replay(deliveries=[delivery], by=administrator) == 1
    assert deliver_due() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert receiver.unique() == {str(delivery.id)}


def test_the_signature_is_bound_to_the_secret_the_body_and_the_time():
    body = b'{"event":"case.closed"}'
    header = sign(SECRET, body, timestamp=1_800_000_000)
    assert verify(SECRET, header, body, now=1_800_000_010)
    assert not verify("another secret of forty characters.....", header, body, now=1_800_000_010)
    assert not verify(SECRET, header, body + b" ", now=1_800_000_010)
    assert not verify(SECRET, header, body, now=1_800_000_000 + 3600)  # replayed an hour later
    assert not verify(SECRET, "t=x,v1=y", body) and not verify(SECRET, "", body)


class WorkerKilled(BaseException):
    """Stands for the process dying: nothing after it runs, the transaction is abandoned."""


def test_a_worker_killed_mid_batch_loses_nothing_and_the_receiver_can_deduplicate(subscription, receiver):
    receiver.start()
    for number in range(3):
        emit(event=Event.REFERRAL_CREATED, reference=f"MNR-2026-00001{number}")
    deliver_next()  # the first is delivered

    def post_then_die(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
        http_post(url, body, headers)  # the receiver got it...
        raise WorkerKilled  # ...and the worker died before recording it

    with pytest.raises(WorkerKilled):
        deliver_next(post=post_then_die)
    assert Delivery.objects.filter(status=DeliveryStatus.PENDING).count() == 2  # nothing marked, nothing lost
    assert deliver_due() == 2  # a new worker finishes the batch
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 3
    assert len(receiver.received) == 4  # one event arrived twice...
    assert len(receiver.unique()) == 3  # ...with the same delivery id: deduplicated, each event once


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL; run one worker on SQLite")
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_delivery(receiver):
    receiver.start()
    Subscription.objects.create(name="Partner", url=receiver.url, secret=SECRET, events=["case.closed"])
    for number in range(30):
        emit(event=Event.CASE_CLOSED, reference=f"MNR-2026-{number:06d}")
    failures: list[BaseException] = []

    def work() -> None:
        try:
            deliver_due()
        except BaseException as error:  # reported below
            failures.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not failures
    assert len(receiver.received) == 30 and len(receiver.unique()) == 30
    assert Delivery.objects.filter(status=DeliveryStatus.DELIVERED).count() == 30


def test_the_worker_command_delivers_once(subscription, receiver):
    from io import StringIO

    from django.core.management import call_command

    receiver.start()
    emit(event=Event.CASE_CLOSED, reference="MNR-2026-000042")
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert "1" in out.getvalue() and len(receiver.received) == 1


def test_administrators_see_dead_letters_and_replay_them_in_the_admin(client, subscription, administrator, bob):
    emit(event=Event.CASE_CLOSED, reference="MNR-2026-000043")
    Delivery.objects.update(status=DeliveryStatus.DEAD, attempts=8, last_error="HTTP 500")
    delivery = Delivery.objects.get()
    client.force_login(bob)
    assert client.get("/admin/webhooks/delivery/").status_code in (302, 403, 404)
    client.force_login(administrator)
    page = client.get("/admin/webhooks/delivery/?status__exact=dead")
    assert page.status_code == 200 and "MNR-2026-000043" in page.content.decode()
    client.post("/admin/webhooks/delivery/", {"action": "replay_selected", "_selected_action": [str(delivery.pk)]})
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING and delivery.attempts == 0


def test_administrators_add_a_subscription_with_a_long_secret(client, administrator):
    client.force_login(administrator)
    form = {"name": "Hotline", "url": "https://hotline.example/hooks", "events": ["case.closed"], "is_active": "on"}
    refused = client.post("/admin/webhooks/subscription/add/", {**form, "secret": "short"})
    assert refused.status_code == 200 and not Subscription.objects.exists()
    client.post("/admin/webhooks/subscription/add/", {**form, "secret": SECRET})
    subscription = Subscription.objects.get()
    assert subscription.events == ["case.closed"] and subscription.secret == SECRET
