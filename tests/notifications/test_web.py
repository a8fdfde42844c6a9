"""The inbox page, the unread count of the menu, the preferences on the account page, the API, the
query counts of the inbox, and the erasure of a person's data."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from masarat.audit.models import AuditEvent
from masarat.notifications.models import Kind, Notification, Preference
from masarat.rights import services as rights
from masarat.rights.models import Erasure
from tests.factories import make_case


def test_the_inbox_lists_unread_first_and_opening_an_item_marks_it_read(client, alice, bob):
    first, second = make_case(by=alice), make_case(by=alice)
    older = Notification.objects.get(recipient=bob, reference=first.reference)
    Notification.objects.filter(recipient=bob, reference=second.reference).update(
        read_at=older.created_at)  # the newest one is already read
    client.force_login(bob)
    page = client.get(reverse("inbox")).content.decode()
    assert page.index(first.reference) < page.index(second.reference)  # unread first
    assert 'class="badge badge--count">1<' in page  # the count in the menu
    opened = client.get(reverse("inbox-open", args=[older.pk]))
    assert opened.status_code == 302 and opened["Location"] == reverse("case", args=[first.reference])
    older.refresh_from_db()
    assert older.read_at is not None
    assert "badge--count" not in client.get(reverse("inbox")).content.decode()


def test_someone_elses_notification_does_not_exist(client, alice, bob, nadia):
    make_case(by=alice)
    bobs = Notification.objects.get(recipient=bob)
    client.force_login(nadia)
    assert client.get(reverse("inbox-open", args=[bobs.pk])).status_code == 404
    client.post(reverse("inbox-read"), {"ids": [bobs.pk]})
    bobs.refresh_from_db()
    assert bobs.read_at is None


def test_mark_read_and_mark_all_read(client, alice, bob):
    for _number in range(3):
        make_case(by=alice)
    ids = list(Notification.objects.filter(recipient=bob).values_list("pk", flat=True))
    client.force_login(bob)
    client.post(reverse("inbox-read"), {"ids": [ids[0]]})
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 2
    client.post(reverse("inbox-read-all"))
    assert not Notification.objects.filter(recipient=bob, read_at__isnull=True).exists()
    assert AuditEvent.objects.filter(actor=bob, action="notification.read_all").exists()


def test_preferences_are_saved_from_the_account_page(client, bob):
    client.force_login(bob)
    account = client.get(reverse("account")).content.decode()
    assert 'action="/account/notifications/"' in account and "id_digest_enabled" in account
    response = client.post(reverse("notification-preferences"), {
        "email_enabled": "on", "email_kinds": [Kind.NEW_REFERRAL, Kind.DEADLINE_OVERDUE], "digest_enabled": "on",
        "language": "ar"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=bob)
    assert preference.email_enabled and preference.digest_enabled and preference.language == "ar"
    assert preference.wants_email(Kind.NEW_REFERRAL) and not preference.wants_email(Kind.CASE_ASSIGNED)
    assert AuditEvent.objects.filter(actor=bob, action="notification.preferences").exists()


def test_a_wrong_preference_is_refused_and_nothing_saved(client, bob):
    client.force_login(bob)
    response = client.post(reverse("notification-preferences"), {"email_kinds": ["nonsense"], "language": "xx"})
    assert response.status_code == 400 and not Preference.objects.exists()


def _queries(fetch) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert fetch().status_code == 200
    return len(captured)


def test_the_inbox_does_not_grow_in_queries(client, alice, bob):
    make_case(by=alice)
    client.force_login(bob)
    client.get(reverse("inbox"))
    few = _queries(lambda: client.get(reverse("inbox")))
    for _number in range(10):
        make_case(by=alice)
    assert _queries(lambda: client.get(reverse("inbox"))) == few


def test_the_api_lists_my_notifications_and_marks_them_read(alice, bob, nadia):
    case = make_case(by=alice)
    api = APIClient()
    api.force_authenticate(bob)
    listed = api.get(reverse("api-notification-list")).json()
    assert listed["count"] == 1
    [item] = listed["results"]
    assert item["kind"] == Kind.NEW_REFERRAL and item["reference"] == case.reference and item["read"] is False
    assert item["link"] == reverse("case", args=[case.reference]) and "Aminata" not in str(item)
    api.force_authenticate(nadia)  # Nadia cannot mark Bob's notification read
    assert api.post(reverse("api-notification-read"), {"ids": [item["id"]]}, format="json").json()["marked"] == 0
    api.force_authenticate(bob)
    answer = api.post(reverse("api-notification-read"), {"ids": [item["id"]]}, format="json").json()
    assert answer == {"marked": 1, "unread": 0}
    assert api.get(reverse("api-notification-list"), {"unread": "true"}).json()["count"] == 0
    assert api.post(reverse("api-notification-read"), {"ids": ["x"]}, format="json").status_code == 400


def test_the_api_list_does_not_grow_in_queries(alice, bob):
    make_case(by=alice)
    api = APIClient()
    api.force_authenticate(bob)
    few = _queries(lambda: api.get(reverse("api-notification-list")))
    for _number in range(10):
        make_case(by=alice)
    assert _queries(lambda: api.get(reverse("api-notification-list"))) == few


def test_erasing_a_persons_data_removes_the_notifications_about_their_cases(alice, bob, nadia):
    from masarat.notifications.models import OutgoingEmail
    from masarat.notifications.services import preference_update

    bob.email = "bob@example.org"
    bob.save()
    preference_update(user=bob, email_enabled=True, email_kinds=[Kind.NEW_REFERRAL], digest_enabled=False,
                      language="fr")
    erased, kept = make_case(by=alice), make_case(by=alice)
    export = rights.person_data_export(person=erased.person, by=nadia)
    assert [row["kind"] for row in export["notifications"]] == [Kind.NEW_REFERRAL]
    rights.person_erase(person=erased.person, ground=Erasure.Ground.REQUEST, by=nadia, reason="Written request.")
    assert not Notification.objects.filter(reference=erased.reference).exists()
    assert not OutgoingEmail.objects.filter(notification__reference=erased.reference).exists()
    assert Notification.objects.filter(reference=kept.reference).count() == 2  # Bob and Nadia
    assert OutgoingEmail.objects.count() == 1
