"""Case management in a real browser: a child's case waits for a guardian, a case manager writes the
assistance plan, a document is uploaded and downloaded. Every page is checked by axe-core."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from masarat.care.forms import AgeAssessmentForm, AssistancePlanForm, GuardianAppointmentForm
from masarat.care.models import AgeAssessment
from masarat.cases.models import Case
from masarat.cases.records import RECORD_KINDS
from masarat.cases.services import case_assign_case_manager, case_assign_coordinator, decision_record
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage
from masarat.documents.models import CaseDocument
from tests.browser.conftest import check_accessibility, html_language, screenshot, sign_in, switch_language, tr
from tests.factories import make_case

pytestmark = pytest.mark.browser


def field(page: Page, form: Any, name: str) -> Any:
    """A field found by its label, as the user reads it (with or without the "(required)" mark)."""
    language = html_language(page)
    label = re.escape(tr(form.base_fields[name].label, language))
    return page.get_by_label(re.compile(rf"^{label}( \({re.escape(tr('required', language))}\))?$"))


def click(page: Page, role: str, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role(role, name=tr(name, html_language(page)), exact=True).first.click()
    check_accessibility(page)


def test_a_child_case_requires_a_guardian_before_it_proceeds(open_page, live_server: Any, alice, bob) -> None:
    case = make_case(by=alice, birth_year=timezone.localdate().year - 14)
    decision_record(case=case, stage=DecisionStage.PRELIMINARY, outcome=DecisionOutcome.POSITIVE,
                    reasons="Child found begging for an adult who keeps the money.", by=bob, expected_version=None)
    Case.objects.filter(pk=case.pk).update(reflection_ends_on=timezone.localdate() - timedelta(days=1))
    blocker = "This case concerns a child: a guardian must be appointed before the case can proceed."

    page = open_page()
    sign_in(page, live_server, bob)
    page.goto(f"{live_server.url}{reverse('case', args=[case.reference])}")
    check_accessibility(page)
    expect(page.get_by_role("note").filter(has_text=tr(blocker, "fr"))).to_be_visible()

    click(page, "link", "Record the formal decision")
    page.get_by_role("group", name=tr("Outcome", "fr")).get_by_label(
        tr(DecisionOutcome.POSITIVE.label, "fr"), exact=True).check()
    page.get_by_label(re.compile(tr("Reasons", "fr"))).fill("Exploitation established by the investigation.")
    click(page, "button", "Record the decision")
    expect(page.get_by_role("alert")).to_contain_text(tr(blocker, "fr"))
    case.refresh_from_db()
    assert not case.decisions.filter(stage=DecisionStage.FORMAL).exists()

    page.goto(f"{live_server.url}{reverse('case', args=[case.reference])}")
    check_accessibility(page)
    click(page, "link", "Record a guardian appointment")
    field(page, GuardianAppointmentForm, "guardian_name").fill("Me Karima Alaoui")
    field(page, GuardianAppointmentForm, "appointed_by").fill("Juge des mineurs, Rabat")
    field(page, GuardianAppointmentForm, "appointed_on").fill(timezone.localdate().isoformat())
    click(page, "button", "Save")
    expect(page.get_by_role("region", name=tr("Child protection", "fr"))).to_contain_text("Me Karima Alaoui")
    expect(page.get_by_role("note").filter(has_text=tr(blocker, "fr"))).to_have_count(0)
    screenshot(page, "case-child-protection")

    click(page, "link", "Record the formal decision")
    page.get_by_role("group", name=tr("Outcome", "fr")).get_by_label(
        tr(DecisionOutcome.POSITIVE.label, "fr"), exact=True).check()
    page.get_by_label(re.compile(tr("Reasons", "fr"))).fill("Exploitation established by the investigation.")
    click(page, "button", "Record the decision")
    expect(page.get_by_role("status")).to_contain_text(tr("Decision recorded.", "fr"))
    assert case.decisions.filter(stage=DecisionStage.FORMAL).exists()


def test_a_case_manager_writes_the_assistance_plan(open_page, live_server: Any, alice_case, bob, case_manager) -> None:
    case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    page = open_page()
    sign_in(page, live_server, case_manager)
    page.goto(f"{live_server.url}{reverse('case', args=[alice_case.reference])}")
    check_accessibility(page)
    click(page, "link", "Write the plan")
    click(page, "button", "Save")  # nothing filled in: the errors are listed, nothing is saved
    expect(page.get_by_role("alert")).to_contain_text(tr(AssistancePlanForm.base_fields["goals"].label, "fr"))

    field(page, AssistancePlanForm, "safety_needs").fill("Menaces de l'ancien employeur.")
    field(page, AssistancePlanForm, "goals").fill("Logement sûr, puis formation en couture.")
    field(page, AssistancePlanForm, "wishes").fill("Je veux apprendre un métier et rester à Rabat.")
    field(page, AssistancePlanForm, "review_on").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    click(page, "button", "Save")
    plan = page.get_by_role("region", name=tr("Individual assistance plan", "fr"))
    expect(plan).to_contain_text("Je veux apprendre un métier et rester à Rabat.")
    expect(plan).to_contain_text(tr("Due this week", "fr"))

    click(page, "link", "Update the plan")
    expect(field(page, AssistancePlanForm, "goals")).to_have_value("Logement sûr, puis formation en couture.")
    field(page, AssistancePlanForm, "goals").fill("Logement sûr et formation en couture commencée.")
    click(page, "button", "Save")
    expect(plan).to_contain_text("formation en couture commencée")
    expect(plan.get_by_text(tr("Earlier versions", "fr"))).to_be_visible()
    screenshot(page, "case-assistance-plan")


def test_a_document_is_uploaded_and_downloaded(open_page, live_server: Any, alice_case, bob, tmp_path: Path) -> None:
    certificate = tmp_path / "certificat-medical.pdf"
    certificate.write_bytes(b"%PDF-1.7\n% certificat\n%%EOF\n")
    # A medical certificate is health information: the coordinator assigned to the case reads it.
    case_assign_coordinator(case=alice_case, coordinator=bob, by=bob, expected_version=None)
    page = open_page()
    sign_in(page, live_server, bob)
    page.goto(f"{live_server.url}{reverse('case', args=[alice_case.reference])}")
    check_accessibility(page)
    click(page, "link", "Attach a document")
    page.get_by_label(re.compile(tr("Kind of document", "fr"))).select_option("medical_certificate")
    page.get_by_label(re.compile(f"^{tr('File', 'fr')}")).set_input_files(str(certificate))
    click(page, "button", "Attach")
    documents = page.get_by_role("region", name=tr("Documents", "fr"))
    expect(documents).to_contain_text("certificat-medical.pdf")
    with page.expect_download() as download_info:
        documents.get_by_role("link", name="certificat-medical.pdf").click()
    download = download_info.value
    assert download.suggested_filename == "certificat-medical.pdf"
    assert Path(download.path()).read_bytes() == certificate.read_bytes()
    assert CaseDocument.objects.get().size == certificate.stat().st_size


def test_a_record_form_explains_its_errors_in_arabic(open_page, live_server: Any, alice_case, bob) -> None:
    page = open_page()
    sign_in(page, live_server, bob)
    switch_language(page, "ar")
    page.goto(f"{live_server.url}{reverse('case-record', args=[alice_case.reference, 'age-assessment'])}")
    check_accessibility(page)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    field(page, AgeAssessmentForm, "method").select_option("medical")
    field(page, AgeAssessmentForm, "assessed_on").fill("2026-01-10")
    field(page, AgeAssessmentForm, "assessed_by").fill("مستشفى ابن سينا")
    field(page, AgeAssessmentForm, "youngest_age").fill("19")
    field(page, AgeAssessmentForm, "oldest_age").fill("16")
    click(page, "button", "Save")
    expect(page.get_by_role("alert")).to_contain_text(
        tr("The oldest possible age cannot be below the youngest.", "ar"))
    assert not AgeAssessment.objects.exists()


def test_every_record_form_and_page_is_accessible(open_page, live_server: Any, alice_case, bob, prosecutor) -> None:
    for user, kinds in ((bob, [slug for slug in RECORD_KINDS if not slug.startswith("offender")]),
                        (prosecutor, ["offender", "offender-status", "proceeding", "hearing"])):
        page = open_page()
        sign_in(page, live_server, user)
        for slug in kinds:
            page.goto(f"{live_server.url}{reverse('case-record', args=[alice_case.reference, slug])}")
            check_accessibility(page)
            expect(page.get_by_role("heading", level=1)).to_have_text(tr(RECORD_KINDS[slug].title, "fr"))
        for url in (reverse("case-proceedings", args=[alice_case.reference]), reverse("hearings")):
            page.goto(f"{live_server.url}{url}")
            check_accessibility(page)
    page.goto(f"{live_server.url}{reverse('case-document-upload', args=[alice_case.reference])}")
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Not found", "fr"))
    check_accessibility(page)
