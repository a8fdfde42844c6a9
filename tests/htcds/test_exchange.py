"""HTCDS 2.0 export and import of one case: round trip, access, validation, hostile documents."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.consent.services import ConsentMissing, consent_record
from masarat.htcds.services import (
    HtcdsInvalid,
    case_document,
    case_export,
    case_import,
    data_of,
    document_loads,
)
from masarat.referrals.services import referral_submit
from masarat.referrals.validation import DocumentInput
from tests.factories import referral_input


@pytest.fixture
def rich_case(alice) -> Case:
    data = referral_input(
        given_name_arabic="أميناتا", family_name_arabic="ديالو", birth_precision="full",
        birth_date=date(1994, 3, 7), nationalities=["GN", "SN"], languages=["fr", "wo"], phone="+212612345678",
        documents=[DocumentInput(kind="passport", number="GN1234567", issuing_country="GN",
                                 is_held_by_person=False)],
        exploitation_forms=["ForcedLabour", "SexualExploitation"], recruitment_countries=["GN"],
        exploitation_countries=["ES"], exploitation_regions=["MA-01"],
        indicators=["deception", "documents_withheld", "isolation"], urgent_needs=["shelter"],
        encountered_on=date(2026, 1, 3), circumstances="Met at a farm; passport kept by the employer.",
    )
    return referral_submit(data=data, by=alice)


def consented(case: Case, by) -> Case:
    consent_record(case=case, purpose="case_transfer", given_by="person", by=by)
    return case


def test_export_needs_consent_to_transfer_the_case(rich_case, bob, tmp_path):
    with pytest.raises(ConsentMissing):
        case_export(case=rich_case, by=bob)
    with pytest.raises(CommandError):
        call_command("htcds", "export", rich_case.reference, str(tmp_path / "case.json"))
    assert not (tmp_path / "case.json").exists()
    assert case_export(case=consented(rich_case, bob), by=bob)["Person"]["prs_FirstName"] == "Aminata"


def test_export_import_export_loses_nothing_the_standard_can_carry(rich_case, bob, charlie):
    first = case_export(case=consented(rich_case, bob), by=bob)
    assert first["Person"]["prs_FirstName"] == "Aminata"
    assert first["Person"]["prs_Birthdate"] == "1994-03-07"
    assert first["Person"]["prs_Gender"] == "Female"
    assert first["Person"]["prs_Citizenship"] == ["GN", "SN"]
    assert first["PersonVictimContext"]["vic_MethodsOfControl"] == ["FalsePromises", "WithholdsDocuments"]
    assert {"hte_Type": "Exploitation", "hte_Country": "MA", "hte_State": "MA-01"} \
        in first["HistoricTraffickingEvents"]

    imported, not_kept = case_import(document=json.loads(json.dumps(first)), by=charlie)
    assert imported.pk != rich_case.pk and imported.referring_agency == charlie.agency
    assert not_kept == []
    second = case_document(imported)
    assert data_of(second) == data_of(first)
    assert second["Organisation"]["org_Name"] == charlie.agency.name


def test_each_birth_precision_travels(alice, charlie):
    for overrides, expected in [
        ({"birth_precision": "year_month", "birth_year": 1990, "birth_month": 11}, "1990-11"),
        ({"birth_precision": "year", "birth_year": 1988}, "1988"),
        ({"birth_precision": "estimated_age", "estimated_age": 30}, str(date.today().year - 30)),
    ]:
        case = referral_submit(data=referral_input(**overrides), by=alice)
        document = case_document(case)
        assert document["Person"]["prs_Birthdate"] == expected
        copy_case, _ = case_import(document=document, by=charlie)
        assert case_document(copy_case)["Person"]["prs_Birthdate"] == expected


def test_a_foreign_document_without_the_extension_is_read_with_plain_defaults(charlie):
    document = {
        "format": "HTCDS", "version": "2.0",
        "Person": {"prs_FirstName": "Grace", "prs_SecondName": "Okoro", "prs_Birthdate": "1999-05-01",
                   "prs_Gender": "Female", "prs_Nationality": "ng"},
        "PersonVictimContext": {"vic_AgreementToManagePersonalData": True,
                                "vic_TypeOfExploitation": ["SexualExploitation"],
                                "vic_MethodsOfControl": ["DebtBondage", "UsesChildren"]},
        "HistoricTraffickingEvents": [{"hte_Type": "Transit", "hte_Country": "DZ", "hte_State": "Oran"}],
        "Case": {"cas_ReferringOrganisation": "Partner NGO", "cas_IncomingReferralDetails": "Referred by hotline."},
    }
    case, not_kept = case_import(document=document, by=charlie)
    assert not_kept == ["vic_MethodsOfControl: UsesChildren", "hte_State: Oran"]
    assert case.region == charlie.agency.region
    assert case.referral.consent == "given" and case.referral.consent_informed_by == "Partner NGO"
    assert list(case.places.values_list("role", "country")) == [("transit", "DZ")]
    assert case.person.nationalities.get().country.code == "NG"
    assert AuditEvent.objects.filter(action="case.htcds_import", case_reference=case.reference).exists()
    # The same document again records nothing new.
    again, _ = case_import(document=document, by=charlie)
    assert again.pk == case.pk


def test_an_invalid_document_is_refused_whole_with_htcds_field_names(charlie):
    before = Case.objects.count()
    with pytest.raises(HtcdsInvalid) as refused:
        case_import(document={"format": "HTCDS", "version": "2.0",
                              "Person": {"prs_FirstName": "Grace", "prs_Gender": "Robot", "prs_Birthdate": "soon"},
                              "HistoricTraffickingEvents": [{"hte_Type": "Transit", "hte_Country": "XX"}]},
                    by=charlie)
    assert set(refused.value.errors) == {"prs_Gender", "prs_Birthdate", "hte_Country"}
    with pytest.raises(HtcdsInvalid) as refused:  # well-formed, but the referral rules refuse it
        case_import(document={"format": "HTCDS", "version": "2.0", "Person": {"prs_Birthdate": "1990"},
                              "PersonVictimContext": {"vic_AgreementToManagePersonalData": True}}, by=charlie)
    assert "document" in refused.value.errors  # no name
    assert Case.objects.count() == before


def test_only_coordinators_with_the_file_export(rich_case, bob, dana, alice, case_manager):
    assert case_export(case=consented(rich_case, bob), by=bob)["masarat"]["reference"] == rich_case.reference
    for outsider in (dana, alice, case_manager):  # another region, the referrer, a case manager not assigned
        with pytest.raises(Http404):
            case_export(case=rich_case, by=outsider)
    assert AuditEvent.objects.filter(action="case.htcds_export", actor=bob).count() == 1


def test_importing_needs_a_referring_role(analyst, rich_case):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        case_import(document=case_document(rich_case), by=analyst)


def test_the_command_exports_and_imports(rich_case, bob, charlie, tmp_path):
    path = tmp_path / "case.json"
    consented(rich_case, bob)
    call_command("htcds", "export", rich_case.reference, str(path))
    assert json.loads(path.read_text())["Person"]["prs_SecondName"] == "Diallo"
    call_command("htcds", "import", str(path), "--user", charlie.username)
    assert Case.objects.filter(referring_agency=charlie.agency).count() == 1
    path.write_bytes(b"\xff\xfe not json")
    with pytest.raises(CommandError, match="JSON"):
        call_command("htcds", "import", str(path), "--user", charlie.username)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=st.sampled_from(["Person", "PersonVictimContext", "Case", "masarat", "HistoricTraffickingEvents"]),
       key=st.sampled_from(["prs_FirstName", "prs_Birthdate", "prs_Citizenship", "vic_MethodsOfControl",
                            "vic_AgreementToManagePersonalData", "cas_OutgoingReferralDetails", "documents",
                            "region", "consent", "hte_Country", "other"]),
       value=json_values)
def test_hostile_documents_never_crash_and_never_import_in_part(rich_case, charlie, section, key, value):
    document = copy.deepcopy(case_document(rich_case))
    if isinstance(document.get(section), dict):
        document[section][key] = value
    else:
        document[section] = value
    before = Case.objects.count()
    try:
        case_import(document=document, by=charlie)
    except HtcdsInvalid:
        assert Case.objects.count() == before


@settings(max_examples=40, deadline=None)
@given(raw=st.binary(max_size=200))
def test_any_bytes_are_parsed_or_refused_plainly(raw):
    try:
        document_loads(raw)
    except HtcdsInvalid as refused:
        assert refused.errors["document"]


def test_an_anonymous_notification_is_exported_without_identity(alice, bob, charlie):
    case = referral_submit(data=referral_input(consent="refused", given_name_latin="", family_name_latin=""),
                           by=alice)
    document = case_export(case=case, by=bob)
    assert document["Person"]["prs_FirstName"] == "" and document["Person"]["prs_Birthdate"] == ""
    assert document["PersonVictimContext"]["vic_AgreementToManagePersonalData"] is False
    # Without an age, the document cannot become a referral: refused whole, with the reason.
    with pytest.raises(HtcdsInvalid) as refused:
        case_import(document=document, by=charlie)
    assert list(refused.value.errors) == ["prs_Birthdate"]
    assert not Case.objects.filter(referring_agency=charlie.agency).exists()
