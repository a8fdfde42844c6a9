"""An access request exports, and an erasure removes, what case management, proceedings and documents keep."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from masarat.care.models import AssistancePlan, GuardianAppointment
from masarat.cases import services as case_services
from masarat.cases.models import CaseClosure
from masarat.documents.models import CaseDocument
from masarat.documents.services import document_attach
from masarat.proceedings.models import OffenderStatusChange, Proceeding, SuspectedOffender
from masarat.proceedings.selectors import offender_counts
from masarat.rights import services
from masarat.rights.models import Erasure
from masarat.rights.registry import ERASED
from tests.care.helpers import add_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def kept(alice_case, bob, prosecutor):
    add_record(alice_case, "plan", bob, goals="Logement sûr", wishes="Je veux revoir ma fille Awa.",
               review_on="2026-06-01")
    add_record(alice_case, "guardian", bob, guardian_name="Me Karima Alaoui", appointed_by="Juge",
               appointed_on="2026-01-01")
    add_record(alice_case, "proceeding", bob, kind="criminal", authority="TPI Rabat", person_role="witness",
               protection_measures="Audition sous le nom d'emprunt « Mariam »", opened_on="2026-01-01")
    offender = add_record(alice_case, "offender", prosecutor, designation="Hamid X.", sex="male")
    add_record(alice_case, "offender-status", prosecutor, offender=offender.pk, status="convicted", on="2026-02-01")
    document_attach(case=alice_case, kind="medical_certificate", by=bob, expected_version=None,
                    upload=SimpleUploadedFile("certificat_aminata.pdf", b"%PDF-1.7 certificate"))
    case_services.case_close(case=alice_case, reason="Aminata moved to her sister's.",
                             follow_up_plan="Call Aminata in a month.", by=bob, expected_version=None)
    return alice_case


def test_the_export_holds_the_case_management_records(kept, nadia):
    data = services.person_data_export(person=kept.person, by=nadia)
    assert data["case management"]["plan"][0]["wishes"] == "Je veux revoir ma fille Awa."
    assert data["case management"]["guardian"][0]["guardian_name"] == "Me Karima Alaoui"
    assert data["proceedings"]["proceeding"][0]["protection_measures"].startswith("Audition")
    assert data["documents"][0]["filename"] == "certificat_aminata.pdf"
    assert data["cases"][0]["closures"][0]["follow_up_plan"] == "Call Aminata in a month."
    assert json.dumps(data)


def test_erasure_removes_the_texts_and_the_files_and_keeps_the_counts(kept, nadia, analyst):
    before = offender_counts(viewer=analyst)
    services.person_erase(person=kept.person, ground=Erasure.Ground.REQUEST, by=nadia)
    plan = AssistancePlan.objects.get()
    assert (plan.wishes, plan.goals) == (ERASED, ERASED)
    assert GuardianAppointment.objects.get().guardian_name == ERASED
    assert Proceeding.objects.get().protection_measures == ERASED
    assert SuspectedOffender.objects.get().designation == ERASED
    assert not CaseDocument.objects.exists()
    closure = CaseClosure.objects.get()
    assert (closure.reason, closure.follow_up_plan) == (ERASED, ERASED)
    assert OffenderStatusChange.objects.count() == 1 and offender_counts(viewer=analyst) == before
