"""Law 09-08: access-request export, erasure (on request or when retention ends), legal holds."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from masarat.audit.models import AuditEvent
from masarat.cases import services as case_services
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, Decision
from masarat.people.models import Person
from masarat.rights import services
from masarat.rights.models import Erasure
from masarat.rights.registry import ERASED
from tests.factories import make_case


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def close(case: Case, by, *, years_ago: float, identified: bool = False) -> Case:
    case_services.case_close(case=case, reason="Assistance completed.", follow_up_plan="Call in three months.", by=by,
                             expected_version=None)
    closed_at = timezone.now() - timedelta(days=365.25 * years_ago)
    Case.objects.filter(pk=case.pk).update(closed_at=closed_at,
                                           status_before_close=Status.IDENTIFIED if identified else Status.NOT_PRESUMED)
    case.refresh_from_db()
    return case


def test_the_access_request_export_holds_everything_about_the_person(nadia, alice_case):
    data = services.person_data_export(person=alice_case.person, by=nadia)
    assert data["case_references"] == [alice_case.reference]
    assert data["cases"][0]["referral"]["circumstances"] == "Found working without pay in a farm."
    assert data["person"]["given_name_latin"] == "Aminata" and data["person"]["nationalities"] == ["GN"]
    assert data["screenings"] == []
    assert json.dumps(data)  # serialisable as it is given to the person
    assert AuditEvent.objects.filter(actor=nadia, action="person.export", case_reference=alice_case.reference).exists()


def test_erasure_removes_identities_and_keeps_the_statistics(nadia, alice_case):
    person = alice_case.person
    Decision.objects.create(case=alice_case, stage="preliminary", outcome="positive",
                            reasons="Aminata described her employer's threats.", decided_by=nadia)
    services.person_erase(person=person, ground=Erasure.Ground.REQUEST, by=nadia, reason="Written request.")
    person = Person.objects.get(pk=person.pk)
    assert (person.given_name_latin, person.family_name_latin, person.birth_year, person.phone) == ("", "", None, "")
    assert not person.nationalities.exists() and not person.documents.exists()
    case = Case.objects.get(pk=alice_case.pk)
    assert case.referral.circumstances == ERASED and case.decisions.get().reasons == ERASED
    assert (case.sex, case.nationality.code, case.age_band) == (alice_case.sex, "GN", alice_case.age_band)
    assert AuditEvent.objects.filter(action="person.erase", details__ground="request").exists()
    with pytest.raises(services.RightsRefused, match="already erased"):
        services.person_erase(person=person, ground=Erasure.Ground.REQUEST, by=nadia)


def test_a_legal_hold_prevents_erasure_until_lifted(nadia, alice_case):
    hold = services.legal_hold_place(case=alice_case, reason="Trial of the employer pending.", by=nadia)
    with pytest.raises(services.RightsRefused, match="legal hold"):
        services.person_erase(person=alice_case.person, ground=Erasure.Ground.REQUEST, by=nadia)
    services.legal_hold_lift(hold=hold, reason="Judgement final.", by=nadia)
    services.person_erase(person=alice_case.person, ground=Erasure.Ground.REQUEST, by=nadia)


def test_retention_takes_the_outcome_open_cases_and_holds_into_account(alice, nadia):
    short = close(make_case(by=alice), nadia, years_ago=3.1)
    identified_recent = close(make_case(by=alice), nadia, years_ago=4, identified=True)
    identified_old = close(make_case(by=alice), nadia, years_ago=10.2, identified=True)
    make_case(by=alice)  # open
    held = close(make_case(by=alice), nadia, years_ago=5)
    services.legal_hold_place(case=held, reason="Appeal pending.", by=nadia)
    due = {item.references[0] for item in services.retention_due()}
    assert due == {short.reference, identified_old.reference}
    assert identified_recent.reference not in due


def test_a_person_with_a_case_still_open_is_kept(alice, nadia):
    first = close(make_case(by=alice), nadia, years_ago=8)
    second = make_case(by=alice)
    Case.objects.filter(pk=second.pk).update(person=first.person)
    assert list(services.retention_due()) == []


def test_the_command_lists_with_dry_run_and_then_erases(alice, nadia, capsys):
    case = close(make_case(by=alice), nadia, years_ago=4)
    call_command("retention", "apply", "--dry-run")
    out = capsys.readouterr().out
    assert case.reference in out and "1 persons would be erased" in out
    assert Person.objects.get(pk=case.person_id).given_name_latin == "Aminata"
    call_command("retention", "apply")
    assert Person.objects.get(pk=case.person_id).given_name_latin == ""
    assert Erasure.objects.get(person_id=case.person_id).ground == Erasure.Ground.RETENTION
    call_command("retention", "apply", "--today", (timezone.localdate() + timedelta(days=3650)).isoformat())
    assert "0 persons erased" in capsys.readouterr().out


def test_the_export_command_writes_the_file(nadia, alice_case, tmp_path):
    output = tmp_path / "request.json"
    call_command("rights", "export", alice_case.reference, str(output))
    assert json.loads(output.read_text(encoding="utf-8"))["person"]["family_name_latin"] == "Diallo"


def test_the_national_coordination_handles_rights_on_the_web(client, nadia, bob, alice_case):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    client.force_login(bob)
    assert client.get(reverse("case-rights", args=[alice_case.reference])).status_code == 404
    client.force_login(nadia)
    page = client.get(reverse("case-rights", args=[alice_case.reference]))
    assert page.status_code == 200
    client.post(reverse("case-legal-hold", args=[alice_case.reference]), {"place-reason": "Inquiry open."})
    hold = alice_case.legal_holds.get()
    refused = client.post(reverse("case-erase", args=[alice_case.reference]),
                          {"reason": "Request.", "confirm_reference": alice_case.reference})
    assert "legal hold" in refused.content.decode()
    client.post(reverse("case-legal-hold-lift", args=[alice_case.reference, hold.pk]),
                {f"lift-{hold.pk}-reason": "Inquiry closed."})
    wrong = client.post(reverse("case-erase", args=[alice_case.reference]),
                        {"reason": "Request.", "confirm_reference": "MNR-0000-000000"})
    assert "not the reference of this case" in wrong.content.decode()
    assert Person.objects.get(pk=alice_case.person_id).given_name_latin == "Aminata"
    client.post(reverse("case-erase", args=[alice_case.reference]),
                {"reason": "Request.", "confirm_reference": alice_case.reference})
    assert Person.objects.get(pk=alice_case.person_id).given_name_latin == ""
    export = client.get(reverse("case-rights-export", args=[alice_case.reference]))
    assert export["Content-Disposition"].startswith("attachment") and "Aminata" not in export.content.decode()
