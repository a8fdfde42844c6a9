"""The daily digest (once per user and day, whatever the reruns) and the overdue notices (once per deadline)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone

from masarat.cases.models import Case
from masarat.notifications.models import EmailKind, Kind, Notification, OutgoingEmail
from masarat.notifications.services import digest_build, overdue_notify, preference_update, send_due
from tests.factories import make_case


def _wants_digest(user, language="en") -> None:
    user.email = f"{user.username}@example.org"
    user.save()
    preference_update(user=user, email_enabled=False, email_kinds=[], digest_enabled=True, language=language)


def test_a_digest_is_queued_once_per_user_and_day(alice, bob):
    _wants_digest(bob)
    make_case(by=alice)
    today = timezone.localdate()
    assert digest_build(today=today) == 1
    assert digest_build(today=today) == 0  # a rerun queues nothing
    send_due()
    assert digest_build(today=today) == 0  # nor once it was sent
    assert len(mail.outbox) == 1
    assert digest_build(today=today + timedelta(days=1)) == 1  # the next day, a new one


def test_the_database_refuses_a_second_digest_for_the_same_day(bob):
    today = timezone.localdate()
    OutgoingEmail.objects.create(recipient=bob, kind=EmailKind.DIGEST, digest_day=today, subject="s", body="b",
                                 next_attempt_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingEmail.objects.create(recipient=bob, kind=EmailKind.DIGEST, digest_day=today, subject="s", body="b",
                                     next_attempt_at=timezone.now())


def test_the_digest_lists_unread_notifications_and_what_is_overdue_and_names_no_one(alice, bob):
    _wants_digest(bob)
    overdue = make_case(by=alice)
    Case.objects.filter(pk=overdue.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    due_today = make_case(by=alice)
    Case.objects.filter(pk=due_today.pk).update(due_on=timezone.localdate())
    digest_build()
    body = OutgoingEmail.objects.get(kind=EmailKind.DIGEST).body
    assert "Cases overdue: 1" in body and "Cases due today: 1" in body
    assert "Unread notifications: 2" in body and overdue.reference in body and due_today.reference in body
    assert "Aminata" not in body and "Diallo" not in body


def test_nothing_to_say_sends_no_digest(bob):
    _wants_digest(bob)
    assert digest_build() == 0


def test_users_who_did_not_ask_get_no_digest(alice, bob, nadia):
    make_case(by=alice)
    assert digest_build() == 0


def test_an_overdue_deadline_is_told_once(alice, bob, bob_colleague, nadia, case_manager):
    case = make_case(by=alice)
    due = timezone.localdate() - timedelta(days=2)
    Case.objects.filter(pk=case.pk).update(due_on=due)
    assert overdue_notify() == 2  # nobody assigned: the region's coordinators (not the national ones)
    assert overdue_notify() == 0  # the next day's run adds nothing
    item = Notification.objects.filter(kind=Kind.DEADLINE_OVERDUE).first()
    assert item.params == {"step": case.due_step, "due_on": due.isoformat()}
    Case.objects.filter(pk=case.pk).update(due_on=due + timedelta(days=1))  # a new deadline passes too
    assert overdue_notify() == 2


def test_an_overdue_case_with_a_coordinator_tells_only_them(alice, bob, bob_colleague):
    from masarat.cases.services import case_assign_coordinator

    case = make_case(by=alice)
    case_assign_coordinator(case=case, coordinator=bob_colleague, by=bob, expected_version=None)
    Case.objects.filter(pk=case.pk).update(due_on=date(2020, 1, 6))
    overdue_notify()
    assert set(Notification.objects.filter(kind=Kind.DEADLINE_OVERDUE).values_list("recipient__username",
                                                                                   flat=True)) == {"basma"}


def test_the_command_tells_overdue_deadlines_then_queues_the_digests(alice, bob):
    from io import StringIO

    _wants_digest(bob)
    case = make_case(by=alice)
    Case.objects.filter(pk=case.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    out = StringIO()
    call_command("notifications", "digest", stdout=out)
    assert Notification.objects.filter(kind=Kind.DEADLINE_OVERDUE, recipient=bob).exists()
    assert OutgoingEmail.objects.filter(kind=EmailKind.DIGEST, recipient=bob).count() == 1
    call_command("notifications", "digest", stdout=out)
    assert OutgoingEmail.objects.filter(kind=EmailKind.DIGEST, recipient=bob).count() == 1


def test_a_hearing_within_three_days_is_told_once_to_the_case_holders(alice_case, bob, case_manager):
    from django.urls import reverse

    from masarat.cases.services import case_assign_case_manager, case_assign_coordinator
    from masarat.notifications.selectors import link
    from masarat.notifications.services import hearings_notify
    from tests.care.helpers import add_record

    case_assign_coordinator(case=alice_case, coordinator=bob, by=bob, expected_version=None)
    case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    proceeding = add_record(alice_case, "proceeding", bob, kind="criminal", authority="Tribunal",
                            person_role="civil_party", opened_on="2026-01-05")
    today = timezone.localdate()
    for days in (2, 10):
        add_record(alice_case, "hearing", bob, proceeding=proceeding.pk, on=(today + timedelta(days=days)).isoformat(),
                   purpose="Audience")
    assert hearings_notify(today=today) == 2  # the hearing in two days, to Bob and Carla; not the one in ten
    assert hearings_notify(today=today) == 0
    item = Notification.objects.filter(kind=Kind.HEARING_SOON).first()
    assert link(item) == reverse("case-proceedings", args=[alice_case.reference])
    assert item.params == {"on": (today + timedelta(days=2)).isoformat()}
