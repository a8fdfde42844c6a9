"""The web path from referral to decision, page by page, with the Django test client."""

from __future__ import annotations

import pytest
from django.urls import reverse

from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.people.models import Person
from masarat.referrals.models import ReferralDraft
from tests.factories import PASSWORD

VALID_FORM = {
    "given_name_latin": "Youssef", "family_name_latin": "El Idrissi",
    "given_name_arabic": "يوسف", "family_name_arabic": "الإدريسي",
    "sex": "male", "birth_precision": "year", "birth_year": "1998", "encountered_on": "2026-11-01",
    "nationalities": ["MA"],
    "languages": ["ary"], "phone": "0661234567", "region": "MA-04", "circumstances": "Travail forcé dans un chantier.",
    "exploitation_forms": ["ForcedLabour"], "indicators": ["wages_withheld", "documents_withheld"],
    "consent": "given", "consent_informed_by": "Alice", "consent_language": "ary", "urgent_needs": ["shelter"],
    "action": "submit",
}


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_responder_submits_a_referral_and_follows_its_status(client, alice):
    login(client, alice)
    response = client.post(reverse("referral-new"), VALID_FORM)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referral-status", args=[case.reference])
    assert case.status == Status.REFERRED
    assert case.person.phone == "+212661234567"
    assert case.referral.urgent_shelter
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert case.reference in page.content.decode()


def test_invalid_referral_shows_errors_and_saves_nothing(client, alice):
    login(client, alice)
    form = {**VALID_FORM, "given_name_latin": "", "family_name_latin": "", "given_name_arabic": "",
            "family_name_arabic": "", "phone": "12", "consent": "not_required_child"}
    response = client.post(reverse("referral-new"), form, HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "at least one" in body
    assert "The person is an adult" in body
    assert Case.objects.count() == 0 and Person.objects.count() == 0


def test_errors_come_in_the_users_language(client, alice):
    login(client, alice)
    client.post(reverse("set_language"), {"language": "ar", "next": "/"})
    response = client.post(reverse("referral-new"), {**VALID_FORM, "sex": ""})
    assert 'dir="rtl"' in response.content.decode()


def test_draft_is_kept_as_typed_and_only_visible_to_its_author(client, alice, alice_colleague):
    login(client, alice)
    response = client.post(reverse("referral-new"), {"given_name_latin": "Khadija", "action": "save_draft"})
    draft = ReferralDraft.objects.get()
    assert response["Location"] == reverse("referral-draft", args=[draft.pk])
    assert 'value="Khadija"' in client.get(response["Location"]).content.decode()
    assert Case.objects.count() == 0
    client.logout()
    login(client, alice_colleague)
    assert client.get(reverse("referral-draft", args=[draft.pk])).status_code == 404
    assert "Khadija" not in client.get(reverse("referral-list")).content.decode()


def test_submitting_a_draft_removes_it(client, alice):
    login(client, alice)
    client.post(reverse("referral-new"), {"given_name_latin": "Youssef", "action": "save_draft"})
    draft = ReferralDraft.objects.get()
    client.post(reverse("referral-draft", args=[draft.pk]), VALID_FORM)
    assert Case.objects.count() == 1
    assert not ReferralDraft.objects.exists()


def test_refused_consent_keeps_no_identity(client, alice):
    login(client, alice)
    client.post(reverse("referral-new"), {**VALID_FORM, "consent": "refused"})
    case = Case.objects.get()
    assert case.status == Status.ANONYMOUS_NOTIFICATION
    assert case.person is None
    assert Person.objects.count() == 0
    assert case.referral.circumstances == ""
    assert case.sex == "male" and case.nationality == "MA"
    assert case.age_at_referral is None and case.age_band and case.encountered_on is None
    assert case.referral.consent_language == ""


def test_coordinator_records_a_positive_preliminary_decision(client, alice_case, bob):
    login(client, bob)
    queue = client.get(reverse("queue"))
    assert alice_case.reference in queue.content.decode()
    page = client.get(reverse("case", args=[alice_case.reference]))
    assert "Aminata Diallo" in page.content.decode()
    response = client.post(reverse("case-decision", args=[alice_case.reference]),
                           {"outcome": "positive", "reasons": "Indicators of forced labour.", "version": 1})
    assert response.status_code == 302
    alice_case.refresh_from_db()
    assert alice_case.status == Status.REFLECTION_PERIOD
    assert alice_case.reflection_ends_on is not None


def test_a_stale_decision_is_refused_and_the_typed_reasons_kept(client, alice_case, bob, bob_colleague):
    login(client, bob)
    client.post(reverse("case-acknowledge", args=[alice_case.reference]), {"version": 1})
    response = client.post(reverse("case-decision", args=[alice_case.reference]),
                           {"outcome": "negative", "reasons": "My careful reasons", "version": 1},
                           HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 409
    assert "changed since you opened it" in body
    assert "My careful reasons" in body
    alice_case.refresh_from_db()
    assert alice_case.status == Status.AWAITING_PRELIMINARY
    assert not alice_case.decisions.exists()


@pytest.mark.parametrize("url_name", ["case", "case-decision", "case-close"])
def test_other_agencies_and_regions_get_not_found(client, alice_case, charlie, dana, url_name):
    for outsider in (charlie, dana):
        login(client, outsider)
        assert client.get(reverse(url_name, args=[alice_case.reference])).status_code == 404
        client.logout()


def test_responder_cannot_open_the_case_file_of_her_own_referral(client, alice_case, alice, charlie):
    login(client, alice)
    assert client.get(reverse("case", args=[alice_case.reference])).status_code == 404
    assert client.get(reverse("referral-status", args=[alice_case.reference])).status_code == 200
    client.logout()
    login(client, charlie)
    assert client.get(reverse("referral-status", args=[alice_case.reference])).status_code == 404


def test_every_page_renders_for_its_role(client, alice_case, alice, bob, nadia, auditor, analyst, administrator,
                                         case_manager, service_provider):
    pages = {
        alice: ["referral-new", "referral-list"],
        bob: ["queue", "referral-new"],
        nadia: ["queue"],
        auditor: ["audit-log"],
        analyst: ["overview"],
        service_provider: ["account"],
        case_manager: ["queue"],
    }
    for user, names in pages.items():
        login(client, user)
        for name in names:
            assert client.get(reverse(name)).status_code == 200, (user.username, name)
        client.logout()
    login(client, administrator)
    assert client.get("/admin/").status_code == 200


def test_a_double_submission_records_one_referral(client, alice):
    login(client, alice)
    form = {**VALID_FORM, "submission_key": "3f1c0d6e9b2a4c7e8f00112233445566"}
    first = client.post(reverse("referral-new"), form)
    second = client.post(reverse("referral-new"), form)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_main_nationality_is_the_one_counted(client, alice):
    login(client, alice)
    client.post(reverse("referral-new"), {**VALID_FORM, "main_nationality": "FR", "nationalities": ["MA", "FR"]})
    case = Case.objects.get()
    assert case.nationality == "FR"
    assert sorted(item.country.code for item in case.person.nationalities.all()) == ["FR", "MA"]
