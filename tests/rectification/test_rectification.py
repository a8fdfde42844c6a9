"""Rectification of a person's identity: service, page, access, indexes, concurrency, audit, rights."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from django.db import connection
from django.urls import reverse

from masarat.audit.models import AuditEvent
from masarat.cases import services as case_services
from masarat.cases.models import Case
from masarat.duplicates.services import find_candidates
from masarat.people.models import Person
from masarat.people.search import matching_person_ids
from masarat.rectification import services
from masarat.rectification.identity import identity_of
from masarat.rectification.models import Rectification
from masarat.referrals.validation import DocumentInput, ReferralErrors, ReferralInput
from masarat.rights.services import person_data_export, person_erase
from tests.factories import make_case

NEW_GIVEN, NEW_FAMILY = "Mariam", "Kourouma"


def identity_input(case: Case, **changes: object) -> ReferralInput:
    """The identity recorded now, as the form would send it, with ``changes``."""
    identity = identity_of(Person.objects.get(pk=case.person_id))
    data = ReferralInput(
        sex=identity["sex"], birth_precision=identity["birth_precision"], consent="", region="",
        given_name_latin=identity["given_name_latin"], family_name_latin=identity["family_name_latin"],
        given_name_arabic=identity["given_name_arabic"], family_name_arabic=identity["family_name_arabic"],
        birth_year=identity["birth_year"], birth_month=identity["birth_month"],
        estimated_age=identity["estimated_age"], nationalities=identity["nationalities"],
        languages=identity["languages"], phone=identity["phone"],
        documents=[DocumentInput(**row) for row in identity["documents"]],
    )
    return replace(data, **changes)


def rectify(case: Case, by, **changes: object) -> Rectification:
    case.person.refresh_from_db()
    return services.identity_rectify(
        case=case, data=identity_input(case, **changes), reason="Passport shows another spelling.",
        requested_by_person=True, by=by, expected_version=version_now(case))


def version_now(case: Case) -> str:
    return services.identity_version(Person.objects.get(pk=case.person_id))


def form_data(case: Case, **changes: str) -> dict[str, object]:
    identity = identity_of(Person.objects.get(pk=case.person_id))
    data: dict[str, object] = {
        "given_name_latin": identity["given_name_latin"], "family_name_latin": identity["family_name_latin"],
        "given_name_arabic": identity["given_name_arabic"], "family_name_arabic": identity["family_name_arabic"],
        "sex": identity["sex"], "birth_precision": identity["birth_precision"],
        "birth_year": identity["birth_year"] or "", "main_nationality": identity["nationalities"][0],
        "languages": identity["languages"], "phone": identity["phone"], "documents": "1",
        "reason": "Spelling checked against the passport.", "version": version_now(case),
    }
    data.update(changes)
    return data


# --- Service ------------------------------------------------------------------------------------

def test_a_correction_changes_the_identity_and_keeps_the_earlier_values_encrypted(alice_case, bob):
    row = rectify(alice_case, bob, given_name_latin=NEW_GIVEN, birth_year=1996, languages=["fr", "wo"],
                  documents=[DocumentInput(kind="passport", number="gn 123 456", issuing_country="GN")])
    person = alice_case.person
    person.refresh_from_db()
    assert person.given_name_latin == NEW_GIVEN and person.birth_year == 1996
    assert sorted(person.languages.values_list("language", flat=True)) == ["fr", "wo"]
    assert [doc.number for doc in person.documents.all()] == ["gn 123 456"]
    assert row.changed_fields == ["given_name_latin", "birth_year", "languages", "documents"]
    assert row.before["given_name_latin"] == "Aminata" and row.after["given_name_latin"] == NEW_GIVEN
    assert row.requested_by_person and row.made_by == bob
    with connection.cursor() as cursor:
        cursor.execute("SELECT before, after, reason FROM rectification_rectification WHERE id = %s", [row.pk])
        stored = cursor.fetchone()
    assert all(value.startswith("ev1:") for value in stored)
    assert not any("Aminata" in value or NEW_GIVEN in value for value in stored)


def test_a_reason_is_required_and_invalid_values_change_nothing(alice_case, bob):
    version = version_now(alice_case)
    with pytest.raises(services.RectificationRefused):
        services.identity_rectify(case=alice_case, data=identity_input(alice_case, given_name_latin=NEW_GIVEN),
                                  reason="  ", requested_by_person=False, by=bob, expected_version=version)
    with pytest.raises(ReferralErrors) as refused:
        services.identity_rectify(case=alice_case, data=identity_input(alice_case, given_name_latin="مريم"),
                                  reason="Typo", requested_by_person=False, by=bob, expected_version=version)
    assert "given_name_latin" in refused.value.errors
    alice_case.person.refresh_from_db()
    assert alice_case.person.given_name_latin == "Aminata"
    assert not Rectification.objects.exists()


def test_nothing_changed_is_refused(alice_case, bob):
    with pytest.raises(services.RectificationRefused):
        rectify(alice_case, bob)


def test_a_stale_correction_is_refused(alice_case, bob, nadia):
    stale = version_now(alice_case)
    rectify(alice_case, nadia, family_name_latin=NEW_FAMILY)
    with pytest.raises(services.IdentityChanged):
        services.identity_rectify(case=alice_case, data=identity_input(alice_case, given_name_latin=NEW_GIVEN),
                                  reason="Typo", requested_by_person=False, by=bob, expected_version=stale)
    alice_case.person.refresh_from_db()
    assert alice_case.person.given_name_latin == "Aminata"


def test_search_finds_the_new_name_and_no_longer_the_old(alice_case, bob):
    person_id = alice_case.person_id
    assert matching_person_ids("Aminata Diallo") == [person_id]
    rectify(alice_case, bob, given_name_latin=NEW_GIVEN, given_name_arabic="مريم", family_name_arabic="ديالو",
            phone="+212 612-345678")
    assert matching_person_ids("Mariam Diallo") == [person_id]
    assert matching_person_ids("مريم") == [person_id]
    assert matching_person_ids("+212612345678") == [person_id]
    assert matching_person_ids("Aminata") == []


def test_search_in_the_queue_follows_the_correction(client, alice_case, bob):
    rectify(alice_case, bob, given_name_latin=NEW_GIVEN)
    client.force_login(bob)
    assert alice_case.reference in client.get(reverse("queue"), {"q": NEW_GIVEN}).content.decode()
    assert alice_case.reference not in client.get(reverse("queue"), {"q": "Aminata"}).content.decode()


def test_duplicate_candidates_follow_the_correction(alice, alice_case, bob):
    other = make_case(by=alice, given_name_latin=NEW_GIVEN, family_name_latin=NEW_FAMILY, birth_year=1990,
                      nationalities=["ML"], phone="+212611223344")

    def candidates() -> set[str]:
        person = Person.objects.get(pk=alice_case.person_id)  # as stored now
        return {candidate.record_id for candidate in find_candidates(person)[1]}

    assert str(other.person_id) not in candidates()
    rectify(alice_case, bob, given_name_latin=NEW_GIVEN, family_name_latin=NEW_FAMILY, birth_year=1990,
            nationalities=["ML"], phone="+212611223344")
    assert str(other.person_id) in candidates()
    rectify(alice_case, bob, given_name_latin="Aminata", family_name_latin="Diallo", birth_year=1995,
            nationalities=["GN"], phone="")
    assert str(other.person_id) not in candidates()


def test_the_cases_statistical_profile_follows_the_date_of_birth(alice_case, bob):
    assert not alice_case.is_child
    version = Case.objects.get(pk=alice_case.pk).version
    rectify(alice_case, bob, birth_year=alice_case.referred_at.year - 15, sex="male", nationalities=["SN", "GN"])
    case = Case.objects.get(pk=alice_case.pk)
    assert case.is_child and case.age_at_referral in (14, 15) and case.age_band == "9--17"
    assert case.sex == "male" and str(case.nationality) == "SN"
    assert case.version == version + 1


def test_restore_puts_back_the_values_before_a_correction(alice_case, bob):
    mistaken = rectify(alice_case, bob, given_name_latin=NEW_GIVEN, family_name_latin=NEW_FAMILY)
    rectify(alice_case, bob, phone="0612345678")
    restored = services.rectification_restore(
        case=alice_case, rectification=mistaken, reason="Corrected the wrong person.", requested_by_person=False,
        by=bob, expected_version=version_now(alice_case))
    person = alice_case.person
    person.refresh_from_db()
    assert (person.given_name_latin, person.family_name_latin) == ("Aminata", "Diallo")
    assert person.phone == "+212612345678"  # the later correction stays
    assert restored.restores == mistaken and restored.changed_fields == ["given_name_latin", "family_name_latin"]
    assert matching_person_ids("Aminata Diallo") == [person.pk] and matching_person_ids(NEW_GIVEN) == []


def test_the_audit_trail_names_the_fields_never_the_values(alice_case, bob):
    row = rectify(alice_case, bob, given_name_latin=NEW_GIVEN, phone="+212612345678", birth_year=1993)
    event = AuditEvent.objects.get(action="person.rectify")
    assert event.details["fields"] == ["given_name_latin", "birth_year", "phone"]
    assert event.details["rectification"] == row.pk and event.case_reference == alice_case.reference
    text = json.dumps(event.details, ensure_ascii=False)
    for value in ("Aminata", NEW_GIVEN, "612345678", "1993", "1995", "Passport"):
        assert value not in text


def test_rectifications_are_exported_and_erased_with_the_person(alice_case, bob, nadia):
    rectify(alice_case, bob, given_name_latin=NEW_GIVEN)
    exported = person_data_export(person=alice_case.person, by=nadia)["rectifications"]
    assert exported[0]["before"]["given_name_latin"] == "Aminata"
    assert exported[0]["after"]["given_name_latin"] == NEW_GIVEN
    assert exported[0]["reason"] == "Passport shows another spelling."
    person_erase(person=alice_case.person, ground="request", by=nadia, reason="Asked in writing.")
    row = Rectification.objects.get()
    assert row.before == {} and row.after == {} and row.reason == "—"
    assert row.changed_fields == ["given_name_latin"]
    with pytest.raises(services.RectificationRefused):
        rectify(alice_case, bob, given_name_latin="Awa")


# --- Pages and access ---------------------------------------------------------------------------

def test_the_page_corrects_and_shows_the_history(client, alice_case, bob):
    client.force_login(bob)
    url = reverse("case-rectification", args=[alice_case.reference])
    page = client.get(url)
    assert page.status_code == 200 and 'value="Aminata"' in page.content.decode()
    response = client.post(url, form_data(alice_case, given_name_latin=NEW_GIVEN, requested_by_person="on"))
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Spelling checked against the passport." in page and NEW_GIVEN in page
    assert AuditEvent.objects.filter(action="person.rectification_read", actor=bob).exists()
    assert reverse("case-rectification", args=[alice_case.reference]) in client.get(
        reverse("case", args=[alice_case.reference])).content.decode()


def test_a_stale_form_is_refused_and_keeps_what_was_typed(client, alice_case, bob, nadia):
    client.force_login(bob)
    url = reverse("case-rectification", args=[alice_case.reference])
    typed = form_data(alice_case, given_name_latin="Awa", reason="Typed before someone else saved.")
    rectify(alice_case, nadia, family_name_latin=NEW_FAMILY)
    response = client.post(url, typed)
    assert response.status_code == 409
    page = response.content.decode()
    assert 'value="Awa"' in page and "Typed before someone else saved." in page
    assert NEW_FAMILY in page  # the values recorded now, to compare
    alice_case.person.refresh_from_db()
    assert (alice_case.person.given_name_latin, alice_case.person.family_name_latin) == ("Aminata", NEW_FAMILY)
    # Saved again knowingly (with the version of the values now shown), what was typed applies.
    assert client.post(url, {**typed, "version": version_now(alice_case)}).status_code == 302
    alice_case.person.refresh_from_db()
    assert (alice_case.person.given_name_latin, alice_case.person.family_name_latin) == ("Awa", "Diallo")


def test_invalid_input_is_explained_and_kept(client, alice_case, bob):
    client.force_login(bob)
    url = reverse("case-rectification", args=[alice_case.reference])
    response = client.post(url, form_data(alice_case, given_name_arabic="Mariam", reason=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="Mariam"' in page and "error-summary" in page
    assert not Rectification.objects.exists()


def test_restore_from_the_page(client, alice_case, bob):
    mistaken = rectify(alice_case, bob, given_name_latin=NEW_GIVEN)
    client.force_login(bob)
    url = reverse("case-rectification-restore", args=[alice_case.reference, mistaken.pk])
    prefix = f"restore-{mistaken.pk}"
    response = client.post(url, {f"{prefix}-reason": "Wrong person.",
                                 f"{prefix}-version": version_now(alice_case)})
    assert response.status_code == 302
    alice_case.person.refresh_from_db()
    assert alice_case.person.given_name_latin == "Aminata"
    stale = client.post(url, {f"{prefix}-reason": "Again.", f"{prefix}-version": "0" * 32})
    assert stale.status_code == 409


@pytest.mark.parametrize("who, expected", [
    ("bob", 200), ("nadia", 200), ("assigned_case_manager", 200),
    ("case_manager", 404), ("dana", 404), ("alice", 404), ("prosecutor", 404), ("auditor", 404),
    ("administrator", 404), ("analyst", 404), ("dana_in_emergency", 404),
])
def test_who_may_correct(request, client, alice_case, bob, case_manager, who, expected):
    if who == "assigned_case_manager":
        case_services.case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob,
                                               expected_version=None)
        user = case_manager
    elif who == "dana_in_emergency":
        user = request.getfixturevalue("dana")
        case_services.case_break_glass(user=user, reference=alice_case.reference, reason="Victim at risk tonight.")
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    url = reverse("case-rectification", args=[alice_case.reference])
    assert client.get(url).status_code == expected
    response = client.post(url, form_data(alice_case, given_name_latin=NEW_GIVEN))
    assert response.status_code == (302 if expected == 200 else 404)


def test_an_anonymous_notification_has_no_identity_to_correct(client, alice, bob):
    case = make_case(by=alice, consent="refused")
    client.force_login(bob)
    assert client.get(reverse("case-rectification", args=[case.reference])).status_code == 404


def test_the_page_does_not_grow_with_the_corrections(client, alice_case, bob):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("case-rectification", args=[alice_case.reference])
    client.force_login(bob)
    rectify(alice_case, bob, given_name_latin="Awa")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = count()
    for name in ("Fatou", "Mariam", "Khady", "Binta", "Aissatou", "Oumou"):
        rectify(alice_case, bob, given_name_latin=name)
    assert count() == few


def test_the_history_is_paginated(client, alice_case, bob):
    for number in range(21):
        rectify(alice_case, bob, given_name_latin=f"Awa{'a' * number}")
    client.force_login(bob)
    url = reverse("case-rectification", args=[alice_case.reference])
    first = client.get(url).content.decode()
    assert first.count('class="record"') == 20 and 'rel="next"' in first
    assert client.get(url, {"page": 2}).content.decode().count('class="record"') == 1
