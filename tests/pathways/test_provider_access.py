"""A provider's user sees the fields its service needs, only while consent allows, and nothing else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from masarat.access.policy import PROVIDER_FIELDS, SharedField, provider_fields
from masarat.audit.models import AuditEvent
from masarat.consent.services import consent_withdraw
from masarat.directory.vocabulary import ServiceKind
from masarat.organisations.models import AgencyKind
from masarat.pathways import services
from masarat.pathways.selectors import shared_record
from tests.factories import make_agency, make_service, make_user


@pytest.fixture
def sent(emergency_referral, rabat_shelter, bob):
    return services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob)


def test_every_service_kind_has_its_minimum_and_never_the_phone_or_circumstances():
    assert set(PROVIDER_FIELDS) == set(ServiceKind.values)
    assert provider_fields(ServiceKind.EMERGENCY_SHELTER) == {
        SharedField.GIVEN_NAME, SharedField.SEX, SharedField.AGE, SharedField.LANGUAGES, SharedField.URGENT_NEEDS}
    assert provider_fields("unknown") == frozenset()


def test_shared_record_holds_only_the_services_fields(sent):
    shared = {item.field: item.value for item in shared_record(sent)}
    assert set(shared) == {"given_name", "sex", "age", "languages", "urgent_needs"}
    assert shared["given_name"] == "Aminata"


def test_the_provider_page_shows_the_permitted_fields_and_nothing_else(client, sent, service_provider):
    client.force_login(service_provider)
    page = client.get(reverse("provider-referral", args=[sent.pk])).content.decode()
    assert "Aminata" in page
    for secret in ("Diallo", "Found working without pay", "Guinea", "Guinée"):
        assert secret not in page
    event = AuditEvent.objects.filter(action="service_referral.read").latest("sequence")
    assert event.details["fields"] == sorted(provider_fields(ServiceKind.EMERGENCY_SHELTER))


def test_nothing_else_is_reachable_for_the_provider(client, sent, service_provider, consented_case):
    client.force_login(service_provider)
    case = consented_case
    for url in (reverse("case", args=[case.reference]), reverse("referral-status", args=[case.reference]),
                reverse("case-service-send", args=[case.reference, sent.pk]),
                reverse("api-case-detail", args=[case.reference])):
        assert client.get(url).status_code == 404, url
    proposal = case.service_referrals.get(kind=ServiceKind.MEDICAL)  # never sent: not the provider's
    assert client.get(reverse("provider-referral", args=[proposal.pk])).status_code == 404


def test_another_agencys_provider_gets_404(client, sent):
    other = make_user(role="service_provider", agency=make_agency(kind=AgencyKind.SHELTER, name="Other shelter"))
    client.force_login(other)
    assert client.get(reverse("provider-referral", args=[sent.pk])).status_code == 404
    assert client.post(reverse("provider-referral-accept", args=[sent.pk]), {"version": sent.version}
                       ).status_code == 404
    assert sent.pk not in [row.pk for row in client.get(reverse("provider-inbox")).context["page"]]


def test_withdrawn_consent_stops_sharing_at_once(client, sent, service_provider, consented_case, bob):
    consent_withdraw(record=consented_case.consents.get(), reason="She asked on the phone.", by=bob)
    assert shared_record(sent) == []
    client.force_login(service_provider)
    page = client.get(reverse("provider-referral", args=[sent.pk])).content.decode()
    assert "Aminata" not in page and "Consent to share was withdrawn" in page


def test_the_provider_accepts_and_records_delivery_from_its_pages(client, sent, service_provider):
    client.force_login(service_provider)
    response = client.post(reverse("provider-referral-accept", args=[sent.pk]), {"version": sent.version})
    assert response.status_code == 302
    sent.refresh_from_db()
    response = client.post(reverse("provider-referral-delivery", args=[sent.pk]),
                           {"version": sent.version, "outcome": "ongoing", "note": "Bed and meals."})
    assert response.status_code == 302
    sent.refresh_from_db()
    assert sent.status == "delivered" and sent.outcome == "ongoing"


def test_the_provider_declines_with_a_reason(client, sent, service_provider):
    client.force_login(service_provider)
    url = reverse("provider-referral-decline", args=[sent.pk])
    assert client.post(url, {"version": sent.version, "reason": ""}).status_code == 400
    assert client.post(url, {"version": sent.version, "reason": "Full tonight."}).status_code == 302
    sent.refresh_from_db()
    assert sent.status == "declined"


def test_a_service_of_another_kind_shows_its_own_fields(consented_case, bob, service_provider):
    legal = make_service(provider=service_provider.agency, kind=ServiceKind.LEGAL_AID, name="Legal aid")
    referral = consented_case.service_referrals.get(kind=ServiceKind.LEGAL_AID)
    sent = services.referral_send(referral=referral, service=legal, by=bob)
    shared = {item.field for item in shared_record(sent)}
    assert {"family_name", "documents", "exploitation_forms"} <= shared and "urgent_needs" not in shared


def test_once_answered_nothing_is_due_for_the_provider(client, sent, service_provider):
    from masarat.pathways.selectors import DUE_THIS_WEEK, answer_flag, provider_inbox

    assert answer_flag(sent) == DUE_THIS_WEEK
    assert list(provider_inbox(viewer=service_provider, flag=DUE_THIS_WEEK)) == [sent]
    services.referral_decline(referral=sent, reason="Full.", by=service_provider)
    sent.refresh_from_db()
    assert answer_flag(sent) == "" and not provider_inbox(viewer=service_provider, flag=DUE_THIS_WEEK).exists()
    client.force_login(service_provider)
    assert "Due this week" not in client.get(reverse("provider-referral", args=[sent.pk])).content.decode()


def test_an_override_shares_until_the_person_withdraws(client, presumed_case, rabat_shelter, bob, service_provider):
    from django.contrib.auth.models import Permission

    from masarat.consent.services import consent_record

    bob.user_permissions.add(Permission.objects.get(codename="override_consent"))
    bob = type(bob).objects.get(pk=bob.pk)
    referral = presumed_case.service_referrals.get(kind=ServiceKind.EMERGENCY_SHELTER)
    sent = services.referral_send(referral=referral, service=rabat_shelter, by=bob,
                                  override_reason="She sleeps in the street tonight and cannot be reached.")
    assert sent.consent_override is not None and shared_record(sent)
    record = consent_record(case=presumed_case, purpose="service_referral", given_by="person", by=bob)
    consent_withdraw(record=record, reason="She refuses any sharing.", by=bob)
    sent.refresh_from_db()
    assert shared_record(sent) == []
