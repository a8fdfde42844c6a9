"""E-mails of notifications: queued with the change for users who opted in, sent by the worker;
a worker killed mid-batch loses nothing and a second worker never sends the same e-mail."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction

from masarat.notifications.models import EmailStatus, Kind, OutgoingEmail
from masarat.notifications.services import SendOutcome, preference_update, send_due, send_next, smtp_send
from tests.factories import make_case


def _opt_in(user, *, kinds=tuple(kind.value for kind in Kind), digest=False, language="en") -> None:
    user.email = f"{user.username}@example.org"
    user.save()
    preference_update(user=user, email_enabled=True, email_kinds=kinds, digest_enabled=digest, language=language)


def test_only_users_who_opted_in_get_an_email_and_only_for_the_kinds_they_chose(alice, bob, bob_colleague, nadia):
    _opt_in(bob)
    _opt_in(nadia, kinds=[Kind.DECISION_RECORDED])  # not new referrals
    case = make_case(by=alice)
    email = OutgoingEmail.objects.get()
    assert email.recipient == bob and email.status == EmailStatus.PENDING and email.notification.recipient == bob
    assert case.reference in email.subject and case.reference in email.body
    assert f"/cases/{case.reference}/" in email.body


def test_the_email_names_no_one(alice, bob):
    _opt_in(bob)
    make_case(by=alice)
    send_due()
    [message] = mail.outbox
    text = message.subject + message.body
    assert "Aminata" not in text and "Diallo" not in text and "farm" not in text
    assert message.to == ["bob@example.org"]


def test_a_change_rolled_back_sends_nothing(alice, bob):
    _opt_in(bob)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_case(by=alice)
        raise RuntimeError
    assert not OutgoingEmail.objects.exists()
    assert send_due() == 0 and not mail.outbox


def test_an_email_is_written_in_the_language_the_user_chose(alice, bob):
    _opt_in(bob, language="fr")
    make_case(by=alice)
    email = OutgoingEmail.objects.get()
    assert "Nouveau" in email.body or "nouveau" in email.body


def test_a_failure_is_retried_then_becomes_a_dead_letter(alice, bob, settings):
    settings.MASARAT_EMAIL_MAX_ATTEMPTS = 2
    _opt_in(bob)
    make_case(by=alice)
    failing = lambda email, address: SendOutcome(False, "relay refused")  # noqa: E731
    assert send_due(send=failing) == 1
    email = OutgoingEmail.objects.get()
    assert email.status == EmailStatus.PENDING and email.attempts == 1 and email.last_error == "relay refused"
    assert send_due(send=failing) == 0  # not due before the backoff
    OutgoingEmail.objects.update(next_attempt_at=email.created_at)
    send_due(send=failing)
    email.refresh_from_db()
    assert email.status == EmailStatus.DEAD and email.attempts == 2


def test_a_user_without_an_address_gets_a_dead_letter_not_a_loop(alice, bob):
    _opt_in(bob)
    make_case(by=alice)
    bob.email = ""
    bob.save()
    send_due()
    assert OutgoingEmail.objects.get().status == EmailStatus.DEAD and not mail.outbox


class WorkerKilled(BaseException):
    """Stands for the process dying: nothing after it runs, the transaction is abandoned."""


def test_a_worker_killed_mid_batch_loses_nothing_and_the_copy_has_the_same_message_id(alice, bob):
    _opt_in(bob)
    for _number in range(3):
        make_case(by=alice)
    send_next()  # the first is sent

    def send_then_die(email: OutgoingEmail, address: str) -> SendOutcome:
        smtp_send(email, address)  # the relay accepted it...
        raise WorkerKilled  # ...and the worker died before recording it

    with pytest.raises(WorkerKilled):
        send_next(send=send_then_die)
    assert OutgoingEmail.objects.filter(status=EmailStatus.PENDING).count() == 2  # nothing marked, nothing lost
    assert send_due() == 2  # a new worker finishes the batch
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 3
    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert len(ids) == 4 and len(set(ids)) == 3  # one copy, recognisable as the same message


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SKIP LOCKED needs PostgreSQL; run one worker on SQLite")
@pytest.mark.django_db(transaction=True)
def test_two_workers_never_send_the_same_email(alice, bob):
    _opt_in(bob)
    for _number in range(20):
        make_case(by=alice)
    assert OutgoingEmail.objects.count() == 20
    sent: list[str] = []
    lock = threading.Lock()
    failures: list[BaseException] = []

    def record(email: OutgoingEmail, address: str) -> SendOutcome:
        with lock:
            sent.append(str(email.id))
        return SendOutcome(True)

    def work() -> None:
        try:
            send_due(send=record)
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
    assert len(sent) == 20 and len(set(sent)) == 20
    assert OutgoingEmail.objects.filter(status=EmailStatus.SENT).count() == 20


def test_the_worker_command_sends_the_emails_too(alice, bob):
    _opt_in(bob)
    make_case(by=alice)
    out = StringIO()
    call_command("worker", "--once", stdout=out)
    assert "1 e-mails attempted" in out.getvalue() or "1" in out.getvalue()
    assert len(mail.outbox) == 1 and OutgoingEmail.objects.get().status == EmailStatus.SENT


def test_administrators_see_failed_emails_and_send_them_again(client, alice, bob, administrator):
    _opt_in(bob)
    make_case(by=alice)
    OutgoingEmail.objects.update(status=EmailStatus.DEAD, attempts=8, last_error="relay refused")
    email = OutgoingEmail.objects.get()
    client.force_login(bob)
    assert client.get("/admin/notifications/outgoingemail/").status_code in (302, 403, 404)
    client.force_login(administrator)
    page = client.get("/admin/notifications/outgoingemail/?status__exact=dead")
    assert page.status_code == 200 and "relay refused" in page.content.decode()
    client.post("/admin/notifications/outgoingemail/", {"action": "retry_selected",
                                                       "_selected_action": [str(email.pk)]})
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and email.attempts == 0
    send_due()
    assert len(mail.outbox) == 1
