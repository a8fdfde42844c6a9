"""Sensitive categories inside the case file: who reads health and sexual-violence information, on the
page, in the API, in the documents and in the HTCDS export; the others see "restricted", never the value."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from rest_framework.test import APIClient

from masarat.access import policy
from masarat.access.policy import SensitiveCategory
from masarat.accounts.models import User
from masarat.audit.models import AuditEvent
from masarat.cases import services as case_services
from masarat.cases.models import Case
from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentPurpose
from masarat.documents.models import CaseDocument
from masarat.documents.services import document_attach
from masarat.referrals.services import referral_submit
from masarat.screening.services import (
    assessment_complete,
    assessment_record_answers,
    assessment_start,
    indicator_set_import,
)
from masarat.sensitive.shield import restricted_text
from tests.care.helpers import add_record
from tests.factories import referral_input
from tests.screening.factories import small_set

HEALTH, SEXUAL = SensitiveCategory.HEALTH, SensitiveCategory.SEXUAL_VIOLENCE


@dataclass(frozen=True)
class Secrets:
    circumstances: str = "Forced into prostitution in a flat in Agdal; beaten when she refused."
    screening_note: str = "She described the sexual abuse in detail."
    observation: str = "Bruises on the arms, observed during the interview."
    health: str = "HIV treatment to continue; pregnant, 12 weeks."
    certificate: str = "certificat-vih-aminata.pdf"
    age_notes: str = "Wrist x-ray read by the radiologist of the hospital."


def build_case(alice: User, writer: User, secrets: Secrets) -> Case:
    """A case with something of each category, written by ``writer`` (who may read both)."""
    indicator_set, _created = indicator_set_import(raw=small_set(code="test-sexual", exploitation="sexual"))
    assessment = assessment_start(indicator_set=indicator_set, by=alice)
    assessment_record_answers(assessment=assessment, by=alice, answers={"d_strong_1": "yes"},
                              observations={"d_strong_1": secrets.observation})
    assessment_complete(assessment=assessment, by=alice, notes=secrets.screening_note)
    case = referral_submit(data=referral_input(exploitation_forms=["SexualExploitation"], indicators=["violence"],
                                               circumstances=secrets.circumstances), by=alice, assessment=assessment)
    add_record(case, "plan", writer, goals="Safe housing", health_needs=secrets.health, review_on="2030-05-01")
    add_record(case, "age-assessment", writer, method="medical", assessed_on="2026-01-10", assessed_by="Hospital",
               youngest_age=17, oldest_age=20, notes=secrets.age_notes)
    document_attach(case=case, kind="medical_certificate", by=writer, expected_version=None,
                    upload=SimpleUploadedFile(secrets.certificate, b"%PDF-1.7 certificate"))
    consent_record(case=case, purpose=ConsentPurpose.CASE_TRANSFER, given_by="person", by=writer)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def sensitive_case(alice, nadia) -> Case:
    return build_case(alice, nadia, Secrets())


def notice(category: SensitiveCategory) -> str:
    """What stands in place of a restricted value, in the interface's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        return restricted_text(category)


def grant(user: User, *categories: SensitiveCategory) -> User:
    for category in categories:
        app_label, codename = policy.SENSITIVE_PERMISSIONS[category].split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return User.objects.get(pk=user.pk)


def reader(request, case: Case, who: str) -> User:
    """The users of the matrix, each set up as the row says."""
    bob = request.getfixturevalue("bob")
    if who == "national_coordinator":
        return request.getfixturevalue("nadia")
    if who == "regional_coordinator":
        return bob
    if who == "regional_with_health":
        return grant(bob, HEALTH)
    if who == "regional_with_sexual_violence":
        return grant(bob, SEXUAL)
    if who == "assigned_coordinator":
        case_services.case_assign_coordinator(case=case, coordinator=bob, by=bob, expected_version=None)
        return bob
    if who == "assigned_case_manager":
        manager = request.getfixturevalue("case_manager")
        case_services.case_assign_case_manager(case=case, case_manager=manager, by=bob, expected_version=None)
        return manager
    if who == "regional_in_emergency":
        dana = request.getfixturevalue("dana")
        case_services.case_break_glass(user=dana, reference=case.reference, reason="Victim at risk tonight.")
        return dana
    raise AssertionError(who)


MATRIX = {
    "national_coordinator": {HEALTH, SEXUAL},
    "assigned_coordinator": {HEALTH, SEXUAL},
    "assigned_case_manager": {HEALTH, SEXUAL},
    "regional_coordinator": set(),
    "regional_with_health": {HEALTH},
    "regional_with_sexual_violence": {SEXUAL},
    "regional_in_emergency": set(),
}


def values_of(secrets: Secrets) -> dict[SensitiveCategory, list[str]]:
    return {HEALTH: [secrets.health, secrets.certificate, secrets.age_notes],
            SEXUAL: [secrets.circumstances, secrets.screening_note, secrets.observation]}


def readings(client, api: APIClient, user: User, case: Case) -> dict[str, str]:
    """Everything the user can get of the case through the page, the API and the exports."""
    client.force_login(user)
    api.force_authenticate(user)
    ref = case.reference
    got = {
        "page": client.get(reverse("case", args=[ref])),
        "plan form": client.get(reverse("case-record", args=[ref, "plan"])),
        "api case": api.get(reverse("api-case-detail", args=[ref])),
        "api plans": api.get(reverse("api-case-records", args=[ref, "plan"])),
        "api age assessments": api.get(reverse("api-case-records", args=[ref, "age-assessment"])),
        "api documents": api.get(reverse("api-case-documents", args=[ref])),
    }
    if policy.can_exchange_case(user, case):
        got["htcds"] = client.get(reverse("case-htcds", args=[ref]))
        got["api htcds"] = api.get(reverse("api-case-htcds", args=[ref]))
    for name, response in got.items():
        assert response.status_code == 200, name
    return {name: response.content.decode() for name, response in got.items()}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_each_role_reads_only_its_categories_on_every_surface(request, client, sensitive_case, who):
    user = reader(request, sensitive_case, who)
    assert policy.visible_sensitive_categories(user, sensitive_case) == MATRIX[who]
    texts = readings(client, APIClient(), user, sensitive_case)
    secrets = values_of(Secrets())
    for category in (HEALTH, SEXUAL):
        allowed = category in MATRIX[who]
        for value in secrets[category]:
            escaped = json.dumps(value, ensure_ascii=False)[1:-1]
            found = [name for name, text in texts.items() if value in text or escaped in text]
            if allowed:
                assert found, f"{who} should read {value!r}"
            else:
                assert not found, f"{who} reads {value!r} in {found}"
    page = texts["page"]
    assert (notice(HEALTH) in page) is (HEALTH not in MATRIX[who])
    assert (notice(SEXUAL) in page) is (SEXUAL not in MATRIX[who])
    api_case = json.loads(texts["api case"])
    assert set(api_case["restricted_categories"]) == {SEXUAL} - MATRIX[who]
    assert ("violence" in api_case["referral"]["indicators"]) is (SEXUAL in MATRIX[who])


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_a_medical_document_is_downloaded_only_with_the_health_category(request, client, sensitive_case, who):
    user = reader(request, sensitive_case, who)
    document = CaseDocument.objects.get(case=sensitive_case)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    expected = 200 if HEALTH in MATRIX[who] else 404
    assert client.get(reverse("case-document", args=[sensitive_case.reference, document.pk])).status_code == expected
    assert api.get(reverse("api-case-document", args=[sensitive_case.reference, document.pk])).status_code == expected


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_a_screening_on_sexual_exploitation_opens_only_with_its_category(request, client, sensitive_case, who):
    user = reader(request, sensitive_case, who)
    assessment = sensitive_case.assessments.get()
    client.force_login(user)
    response = client.get(reverse("screening-result", args=[assessment.pk]))
    assert response.status_code == (200 if SEXUAL in MATRIX[who] else 404)
    if response.status_code == 200:
        assert Secrets().observation in response.content.decode()


def test_reading_a_sensitive_category_is_audited_with_it(client, sensitive_case, nadia, bob):
    client.force_login(nadia)
    client.get(reverse("case", args=[sensitive_case.reference]))
    event = AuditEvent.objects.filter(action="case.sensitive_read", actor=nadia).get()
    assert event.details["categories"] == ["health", "sexual_violence"]
    assert event.case_reference == sensitive_case.reference
    assert Secrets().health not in json.dumps(event.details)
    client.force_login(bob)
    client.get(reverse("case", args=[sensitive_case.reference]))
    assert not AuditEvent.objects.filter(action="case.sensitive_read", actor=bob).exists()


def test_a_restricted_reader_updates_the_plan_without_seeing_or_losing_its_health_part(client, sensitive_case,
                                                                                      bob):
    from masarat.care.models import AssistancePlan

    client.force_login(bob)
    url = reverse("case-record", args=[sensitive_case.reference, "plan"])
    form = client.get(url).content.decode()
    assert 'name="health_needs"' not in form and Secrets().health not in form
    response = client.post(url, {"version": Case.objects.get(pk=sensitive_case.pk).version, "goals": "School",
                                 "review_on": "2030-06-01", "health_needs": "overwritten"})
    assert response.status_code == 302
    latest = AssistancePlan.objects.filter(case=sensitive_case).latest("id")
    assert latest.goals == "School" and latest.health_needs == Secrets().health


def test_a_case_without_sexual_exploitation_keeps_its_account_readable(client, alice_case, bob):
    client.force_login(bob)
    page = client.get(reverse("case", args=[alice_case.reference])).content.decode()
    assert "Found working without pay in a farm." in page
    assert notice(HEALTH) not in page and notice(SEXUAL) not in page


SECRET_VALUES = [
    "Violée par l'employeur à Tanger",
    "اغتصبت من طرف المشغل",
    "<script>alert('x')</script> & \"quotes\"",
    "a" * 3000,
    "Ligne 1\nLigne 2\n\nLigne 4",
]


@pytest.mark.parametrize("value", SECRET_VALUES)
def test_no_sensitive_value_reaches_a_refused_reader(client, alice, bob, dana, nadia, value):
    secrets = Secrets(circumstances=value, screening_note=value[::-1] + " note", observation=f"obs {value}",
                      health=f"santé {value}", age_notes=f"radio {value}")
    case = build_case(alice, nadia, secrets)
    case_services.case_break_glass(user=dana, reference=case.reference, reason="Victim at risk tonight.")
    for user in (bob, dana):
        texts = readings(client, APIClient(), user, case)
        for category_values in values_of(secrets).values():
            for secret in category_values:
                forms = {secret, json.dumps(secret, ensure_ascii=False)[1:-1], json.dumps(secret)[1:-1]}
                forms |= {line for line in secret.splitlines() if len(line) > 6}
                forms.add(str(escape(secret)))
                for name, text in texts.items():
                    assert not any(form in text for form in forms), f"{user} reads a secret in {name}"


def test_the_api_refuses_to_write_a_category_the_user_may_not_read(sensitive_case, bob):
    from masarat.care.models import AssistancePlan

    api = APIClient()
    api.force_authenticate(bob)
    url = reverse("api-case-records", args=[sensitive_case.reference, "plan"])
    version = Case.objects.get(pk=sensitive_case.pk).version
    refused = api.post(url, {"version": version, "goals": "School", "review_on": "2030-06-01",
                             "health_needs": "overwritten"}, format="json")
    assert refused.status_code == 400 and "health_needs" in json.dumps(refused.json())
    created = api.post(url, {"version": version, "goals": "School", "review_on": "2030-06-01"}, format="json")
    assert created.status_code == 201
    assert created.json()["health_needs"] == notice(HEALTH)
    assert AssistancePlan.objects.filter(case=sensitive_case).latest("id").health_needs == Secrets().health
