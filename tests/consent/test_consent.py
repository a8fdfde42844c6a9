from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from masarat.audit.models import AuditEvent
from masarat.cases.services import decision_record
from masarat.consent.models import ConsentOverride
from masarat.consent.services import (
    ConsentMissing,
    ConsentRefused,
    consent_in_force,
    consent_record,
    consent_withdraw,
    require_consent,
)
from masarat.consent.vocabulary import ConsentGiver, ConsentPurpose
from tests.factories import make_case

PURPOSE = ConsentPurpose.SERVICE_REFERRAL


@pytest.fixture
def child_case(alice):
    return make_case(by=alice, birth_year=timezone.localdate().year - 14, consent="not_required_child")


def _grant_override(user):
    user.user_permissions.add(Permission.objects.get(codename="override_consent"))
    return type(user).objects.get(pk=user.pk)  # a fresh object: permissions are cached


def test_an_adult_consents_themselves(alice_case, bob):
    with pytest.raises(ConsentRefused):
        consent_record(case=alice_case, purpose=PURPOSE, given_by=ConsentGiver.GUARDIAN, giver_name="X", by=bob)
    record = consent_record(case=alice_case, purpose=PURPOSE, given_by=ConsentGiver.PERSON, by=bob)
    assert consent_in_force(alice_case, PURPOSE) == record
    assert require_consent(alice_case, PURPOSE, by=bob) is None


def test_a_childs_consent_comes_from_the_guardian_or_a_best_interests_decision(child_case, bob):
    with pytest.raises(ConsentRefused):
        consent_record(case=child_case, purpose=PURPOSE, given_by=ConsentGiver.PERSON, by=bob)
    with pytest.raises(ConsentRefused, match="Name the guardian"):
        consent_record(case=child_case, purpose=PURPOSE, given_by=ConsentGiver.GUARDIAN, by=bob)
    consent_record(case=child_case, purpose=PURPOSE, given_by=ConsentGiver.BEST_INTERESTS,
                   giver_name="Decision of the juvenile judge, Rabat, 12/2026", by=bob)
    assert consent_in_force(child_case, PURPOSE) is not None


def test_withdrawal_is_immediate_visible_and_audited(alice_case, bob):
    record = consent_record(case=alice_case, purpose=PURPOSE, given_by=ConsentGiver.PERSON, by=bob)
    consent_withdraw(record=record, reason="Told her case manager.", by=bob)
    record.refresh_from_db()
    assert not record.in_force and record.withdrawn_by == bob
    with pytest.raises(ConsentMissing):
        require_consent(alice_case, PURPOSE, by=bob)
    with pytest.raises(ConsentRefused):
        consent_withdraw(record=record, reason="Again.", by=bob)
    assert AuditEvent.objects.filter(action="consent.withdraw", case_reference=alice_case.reference).count() == 1


def test_consent_is_per_purpose(alice_case, bob):
    consent_record(case=alice_case, purpose=PURPOSE, given_by=ConsentGiver.PERSON, by=bob)
    with pytest.raises(ConsentMissing):
        require_consent(alice_case, ConsentPurpose.CONSULAR_CONTACT, by=bob)


def test_override_needs_the_dedicated_permission_and_a_reason_and_is_audited(alice_case, bob, nadia):
    reason = "She is in danger tonight and cannot be reached to consent."
    with pytest.raises(PermissionDenied):
        require_consent(alice_case, PURPOSE, by=bob, override_reason=reason)
    bob = _grant_override(bob)
    with pytest.raises(ConsentRefused):
        require_consent(alice_case, PURPOSE, by=bob, override_reason="urgent")
    override = require_consent(alice_case, PURPOSE, by=bob, override_reason=reason)
    assert isinstance(override, ConsentOverride) and override.by == bob
    event = AuditEvent.objects.get(action="consent.override")
    assert event.details["flagged"] is True and event.details["reason"] == reason


def test_only_those_who_hold_the_file_record_consent(alice_case, alice, dana):
    for outsider in (alice, dana):
        with pytest.raises(PermissionDenied):
            consent_record(case=alice_case, purpose=PURPOSE, given_by=ConsentGiver.PERSON, by=outsider)


def test_consent_pages(client, alice_case, bob):
    from django.urls import reverse

    decision_record(case=alice_case, stage="preliminary", outcome="positive", reasons="Yes.", by=bob,
                    expected_version=None)
    client.force_login(bob)
    response = client.post(reverse("case-consent", args=[alice_case.reference]),
                           {"purpose": PURPOSE, "given_by": "person", "note": "Told in French."})
    assert response.status_code == 302
    record = alice_case.consents.get()
    page = client.get(reverse("case", args=[alice_case.reference])).content.decode()
    assert "in force" in page
    response = client.post(reverse("case-consent-withdraw", args=[alice_case.reference, record.pk]),
                           {"reason": "Called to withdraw."})
    assert response.status_code == 302
    page = client.get(reverse("case", args=[alice_case.reference])).content.decode()
    assert "withdrawn on" in page and "Called to withdraw." in page


def test_a_childs_service_referral_waits_for_the_guardian(child_case, bob, service_provider):
    from masarat.directory.vocabulary import ServiceKind
    from masarat.pathways.services import referral_send
    from tests.factories import make_service

    decision_record(case=child_case, stage="preliminary", outcome="positive", reasons="A child.", by=bob,
                    expected_version=None)
    shelter = make_service(provider=service_provider.agency, max_age=17)
    proposal = child_case.service_referrals.get(kind=ServiceKind.EMERGENCY_SHELTER)
    with pytest.raises(ConsentMissing):
        referral_send(referral=proposal, service=shelter, by=bob)
    consent_record(case=child_case, purpose=PURPOSE, given_by=ConsentGiver.GUARDIAN, giver_name="Ahmed B., uncle",
                   by=bob)
    assert referral_send(referral=proposal, service=shelter, by=bob).status == "sent"
