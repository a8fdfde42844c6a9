"""The administration site: users, agencies and holidays, audited, with no way to widen one's own access."""

from __future__ import annotations

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from masarat.audit.models import AuditEvent
from masarat.cases import services
from masarat.cases.models import Case
from masarat.deadlines.models import PublicHoliday


def test_an_administrator_cannot_change_their_own_role(client, administrator):
    client.force_login(administrator)
    page = client.get(f"/admin/accounts/user/{administrator.pk}/change/").content.decode()
    assert 'name="role"' not in page and 'name="agency"' not in page


def test_changing_another_users_role_is_audited_without_values(client, administrator, alice):
    client.force_login(administrator)
    page = client.get(f"/admin/accounts/user/{alice.pk}/change/")
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None and key != "password"}
    data.update({"role": "coordinator", "coordination_scope": "regional", "agency": alice.agency_id,
                 "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00", "last_login_0": "",
                 "last_login_1": "", "groups": [], "user_permissions": []})
    response = client.post(f"/admin/accounts/user/{alice.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    event = AuditEvent.objects.get(action="admin.user.change", target_id=str(alice.pk))
    assert event.actor == administrator
    assert "role" in event.details["fields"] and "coordinator" not in str(event.details)


def test_a_new_holiday_moves_open_deadlines(client, administrator, alice_case, django_capture_on_commit_callbacks):
    due = alice_case.due_on
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        with_holiday = client.post("/admin/deadlines/publicholiday/add/", {
            "name": "Aïd", "day": due.day, "month": due.month, "year": due.year})
    assert with_holiday.status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.due_on > due
    assert AuditEvent.objects.filter(action="admin.publicholiday.add", actor=administrator).exists()


def test_recompute_deadlines_command_follows_the_settings(alice_case, bob, settings):
    services.decision_record(case=alice_case, stage="preliminary", outcome="positive", reasons="x", by=bob,
                             expected_version=None)
    before = Case.objects.get(pk=alice_case.pk).due_on
    settings.MASARAT_DEADLINES = {**settings.MASARAT_DEADLINES, "formal_decision_working_days": 15}
    call_command("recompute_deadlines", batch_size=1)
    assert Case.objects.get(pk=alice_case.pk).due_on > before


def test_recomputing_twice_changes_nothing_more(alice_case):
    PublicHoliday.objects.create(name="Test", day=(timezone.localdate() + timedelta(days=1)).day,
                                 month=(timezone.localdate() + timedelta(days=1)).month)
    services.case_deadlines_recompute()
    assert services.case_deadlines_recompute() == 0
