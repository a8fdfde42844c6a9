"""Proceedings and suspected offenders: justice users see offenders, nobody else; counts without identities."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masarat.proceedings.selectors import offender_counts, proceedings_file
from tests.care.helpers import add_record, form_errors
from tests.factories import make_case, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def proceeding(alice_case, bob):
    return add_record(alice_case, "proceeding", bob, kind="criminal", authority="Tribunal de première instance",
                      person_role="civil_party", protection_measures="Audition par vidéo", non_punishment="on",
                      opened_on="2026-01-05")


def test_hearings_are_deadlines(alice_case, bob, proceeding):
    today = timezone.localdate()
    for days, held in ((-3, False), (-10, True), (2, False), (30, False)):
        add_record(alice_case, "hearing", bob, proceeding=proceeding.pk, on=(today + timedelta(days=days)).isoformat(),
                   held="on" if held else "")
    states = [(item.due.overdue, item.due.due_this_week) for item in
              proceedings_file(viewer=bob, case=alice_case).hearings]
    assert states == [(False, False), (True, False), (False, True), (False, False)]


def test_compensation_only_with_a_judgement(alice_case, proceeding):
    errors = form_errors(alice_case, "proceeding-step", proceeding=proceeding.pk, stage="investigation",
                         on="2026-02-01", compensation_awarded=5000)
    assert "compensation_awarded" in errors
    assert form_errors(alice_case, "proceeding-step", proceeding=proceeding.pk, stage="judgement",
                       on="2026-02-01", compensation_awarded=5000) == {}


def test_offenders_are_for_justice_users_only(client, alice_case, bob, nadia, prosecutor, case_manager):
    offender = add_record(alice_case, "offender", prosecutor, designation="Hamid X.", sex="male", nationality="MA")
    add_record(alice_case, "offender-status", prosecutor, offender=offender.pk, status="investigated",
               on="2026-02-01")

    assert proceedings_file(viewer=prosecutor, case=alice_case).offenders == [offender]
    assert proceedings_file(viewer=bob, case=alice_case).offenders is None

    for user in (bob, nadia):
        client.force_login(user)
        assert client.get(f"/cases/{alice_case.reference}/records/offender/").status_code == 404
        page = client.get(f"/cases/{alice_case.reference}/").content.decode()
        assert "Hamid" not in page
        assert not alice_case.events.filter(action__startswith="record:offender").exists()
    client.force_login(prosecutor)
    page = client.get(f"/cases/{alice_case.reference}/proceedings/")
    assert page.status_code == 200 and "Hamid X." in page.content.decode()
    # The justice user sees the proceedings, never the person's file.
    assert "Aminata" not in page.content.decode()
    assert client.get(f"/cases/{alice_case.reference}/").status_code == 404


def test_a_justice_user_of_another_region_gets_nothing(client, alice_case, dana):
    from masarat.accounts.models import Role

    tanger_prosecutor = make_user(role=Role.JUSTICE, agency=dana.agency)
    client.force_login(tanger_prosecutor)
    assert client.get(f"/cases/{alice_case.reference}/proceedings/").status_code == 404
    assert client.get(f"/cases/{alice_case.reference}/records/offender/").status_code == 404


def test_an_offender_status_is_recorded_once(alice_case, prosecutor):
    offender = add_record(alice_case, "offender", prosecutor, designation="H.", sex="male")
    add_record(alice_case, "offender-status", prosecutor, offender=offender.pk, status="prosecuted", on="2026-02-01")
    assert "status" in form_errors(alice_case, "offender-status", offender=offender.pk, status="prosecuted",
                                   on="2026-03-01")


def test_offenders_are_counted_per_year_and_status_without_identities(alice, alice_case, prosecutor, analyst,
                                                                      case_manager):
    other_case = make_case(by=alice)
    first = add_record(alice_case, "offender", prosecutor, designation="Hamid X.", sex="male")
    second = add_record(alice_case, "offender", prosecutor, designation="Fatima Y.", sex="female")
    third = add_record(other_case, "offender", prosecutor, designation="Omar Z.", sex="male")
    for offender, status, on in ((first, "investigated", "2025-06-01"), (first, "prosecuted", "2025-11-01"),
                                 (first, "convicted", "2026-02-01"), (second, "investigated", "2025-07-01"),
                                 (second, "acquitted", "2026-03-01"), (third, "investigated", "2026-01-15")):
        add_record(offender.case, "offender-status", prosecutor, offender=offender.pk, status=status, on=on)

    counts = offender_counts(viewer=analyst)
    assert counts == {
        2025: {"investigated": 2, "prosecuted": 1, "convicted": 0, "acquitted": 0},
        2026: {"investigated": 1, "prosecuted": 0, "convicted": 1, "acquitted": 1},
    }
    assert "Hamid" not in repr(counts)
    assert offender_counts(viewer=prosecutor) == counts
    with pytest.raises(PermissionDenied):
        offender_counts(viewer=case_manager)


def test_hearings_to_come_for_the_justice_and_the_file_holders(client, alice_case, bob, dana, prosecutor, alice,
                                                                proceeding):
    today = timezone.localdate()
    add_record(alice_case, "hearing", bob, proceeding=proceeding.pk, on=(today - timedelta(days=1)).isoformat(),
               purpose="Audience de jugement")
    add_record(alice_case, "hearing", bob, proceeding=proceeding.pk, on=(today - timedelta(days=9)).isoformat(),
               purpose="Audience passée", held="on")
    for user in (prosecutor, bob):
        client.force_login(user)
        page = client.get("/hearings/").content.decode()
        assert "Audience de jugement" in page and "Audience passée" not in page
    client.force_login(dana)
    assert "Audience de jugement" not in client.get("/hearings/").content.decode()
    client.force_login(alice)
    assert client.get("/hearings/").status_code == 404
    client.force_login(prosecutor)
    assert client.get("/").url == "/hearings/"


@pytest.mark.parametrize("role", ["alice", "alice_colleague", "bob", "charlie", "dana", "nadia", "case_manager",
                                  "service_provider", "prosecutor", "analyst", "auditor", "administrator"])
def test_who_reaches_the_offenders_of_a_case(request, client, alice_case, role):
    client.force_login(request.getfixturevalue(role))
    expected = 200 if role == "prosecutor" else 404
    assert client.get(f"/cases/{alice_case.reference}/records/offender/").status_code == expected
    assert client.get(f"/cases/{alice_case.reference}/records/offender-status/").status_code == expected
