"""Case packages between two instances: round trip with acknowledgement, and every refusal."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from uuid import uuid4

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.consent.models import ConsentRecord
from masarat.consent.services import ConsentMissing, consent_record, consent_withdraw
from masarat.consent.vocabulary import ConsentPurpose
from masarat.htcds.services import case_document, data_of
from masarat.referrals.models import Referral
from masarat.transnational import envelope
from masarat.transnational.models import IncomingPackage, OutgoingPackage, PackageStatus
from masarat.transnational.services import (
    PackageNotAllowed,
    PackageRefused,
    acknowledgement_receive,
    package_create,
    package_receive,
)
from tests.transnational.conftest import ABROAD, HERE, OTHER, make_partner


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), Referral.objects.count(), IncomingPackage.objects.count()


def refused(raw: bytes, by, code: str) -> PackageRefused:
    before = counts()
    with pytest.raises(PackageRefused) as caught:
        package_receive(raw=raw, by=by)
    assert caught.value.code == code, caught.value.message
    assert counts() == before, "a refused package wrote something"
    assert AuditEvent.objects.filter(action="transnational.package_refused", details__reason=code).exists()
    return caught.value


def rewrite(raw: bytes, **fields: bytes) -> bytes:
    """The package with some fields replaced (canonical again, so that only the cryptography can object)."""
    outer = json.loads(raw)
    for name, value in fields.items():
        outer[name] = base64.b64encode(value).decode()
    return envelope.canonical(outer)


@pytest.fixture
def sent(become, consented_case, bob, partner_abroad, partner_here) -> tuple[OutgoingPackage, bytes]:
    return package_create(case=consented_case, partner=partner_abroad, by=bob)


def test_round_trip_between_two_instances_with_acknowledgement(become, sent, nadia, bob, consented_case):
    package, raw = sent
    assert package.status == PackageStatus.SENT and package.partner.country == "ES"
    assert (package.expires_at - package.created_at) == timedelta(days=30)
    assert b"Aminata" not in raw and b"Diallo" not in raw  # encrypted
    header = envelope.parse(raw).header
    assert header.package_id == package.id and header.sender == HERE.fingerprint
    assert header.recipient == ABROAD.fingerprint
    assert AuditEvent.objects.filter(action="case.package_sent", case_reference=consented_case.reference).exists()

    become(ABROAD)
    incoming = package_receive(raw=raw, by=nadia)
    imported = incoming.case
    assert imported.pk != consented_case.pk and imported.person.given_name_latin == "Aminata"
    assert data_of(case_document(imported))["Person"] == data_of(case_document(consented_case))["Person"]
    assert incoming.partner.name == "Masarat Maroc" and incoming.received_by == nadia
    assert AuditEvent.objects.filter(action="case.package_received", case_reference=imported.reference).exists()
    ack = incoming.acknowledgement.encode()

    become(HERE)
    acknowledged = acknowledgement_receive(raw=ack, by=bob)
    assert acknowledged.pk == package.pk and acknowledged.status == PackageStatus.ACKNOWLEDGED
    assert acknowledged.remote_reference == imported.reference and acknowledged.acknowledged_at is not None
    with pytest.raises(PackageRefused) as again:
        acknowledgement_receive(raw=ack, by=bob)
    assert again.value.code == "replay" and "already acknowledged" in again.value.message


def test_the_package_is_readable_only_by_its_recipient(become, sent, nadia):
    _package, raw = sent
    become(OTHER)  # an organisation that holds no key of the recipient
    with pytest.raises(envelope.Malformed):
        envelope.open_content(envelope.parse(raw), OTHER)
    assert envelope.open_content(envelope.parse(raw), ABROAD).startswith(b"{")


def test_tampered_ciphertext_is_refused(become, sent, nadia):
    _package, raw = sent
    parsed = envelope.parse(raw)
    changed = bytearray(parsed.ciphertext)
    changed[len(changed) // 2] ^= 0x01
    become(ABROAD)
    refusal = refused(rewrite(raw, ciphertext=bytes(changed)), nadia, "signature")
    assert "changed after it was signed" in refusal.message


def test_tampered_header_is_refused(become, sent, nadia):
    _package, raw = sent
    parsed = envelope.parse(raw)
    header = json.loads(parsed.header_bytes)
    header["expires_at"] = "2099-01-01T00:00:00+00:00"
    become(ABROAD)
    refused(rewrite(raw, header=envelope.canonical(header)), nadia, "signature")


def test_a_package_signed_by_another_key_is_refused(become, sent, nadia):
    _package, raw = sent
    parsed = envelope.parse(raw)
    forged = OTHER.signing.sign(envelope._signed_message(  # the header still names the real sender
        envelope._PACKAGE_LABEL, parsed.header_bytes, parsed.nonce, parsed.ciphertext))
    become(ABROAD)
    refused(rewrite(raw, signature=forged), nadia, "signature")


def test_a_sender_who_is_not_an_active_partner_is_refused(become, consented_case, bob, nadia, partner_abroad,
                                                          partner_here):
    _package, raw = package_create(case=consented_case, partner=partner_abroad, by=bob)
    partner_here.is_active = False
    partner_here.save()
    become(ABROAD)
    assert "Sender unknown" in refused(raw, nadia, "unknown_sender").message
    become(OTHER)  # signed by OTHER, which nobody registered
    forged = envelope.seal(content=b"{}", package_id=uuid4(), created_at=_now(), expires_at=_now() + timedelta(days=1),
                           sender=OTHER, recipient=ABROAD.public)
    become(ABROAD)
    refused(forged, nadia, "unknown_sender")


def _now():
    from django.utils import timezone

    return timezone.now().replace(microsecond=0)


def test_a_package_addressed_to_another_organisation_is_refused(become, consented_case, bob, nadia, partner_here):
    other = make_partner(OTHER, name="Another partner", country="ES")
    _package, raw = package_create(case=consented_case, partner=other, by=bob)
    become(ABROAD)
    assert "addressed to another organisation" in refused(raw, nadia, "misaddressed").message


def test_an_expired_package_is_refused(become, consented_case, nadia, partner_here):
    content = json.dumps(case_document(consented_case)).encode()
    raw = envelope.seal(content=content, package_id=uuid4(), created_at=_now() - timedelta(days=40),
                        expires_at=_now() - timedelta(days=10), sender=HERE, recipient=ABROAD.public)
    become(ABROAD)
    assert "expired on" in refused(raw, nadia, "expired").message


def test_a_package_received_twice_is_refused_the_second_time(become, sent, nadia):
    _package, raw = sent
    become(ABROAD)
    package_receive(raw=raw, by=nadia)
    assert "already received on" in refused(raw, nadia, "replay").message
    assert IncomingPackage.objects.count() == 1


def test_a_disallowed_destination_is_refused_at_service_level(become, consented_case, bob, settings):
    american = make_partner(ABROAD, name="Hope USA", country="US")
    with pytest.raises(PackageNotAllowed):
        package_create(case=consented_case, partner=american, by=bob)
    settings.MASARAT_TRANSFER_COUNTRIES = []  # the default: nothing is allowed
    spanish = make_partner(OTHER, name="Esperanza", country="ES")
    with pytest.raises(PackageNotAllowed):
        package_create(case=consented_case, partner=spanish, by=bob)
    settings.MASARAT_TRANSFER_COUNTRIES = ["ES"]
    spanish.is_active = False
    spanish.save()
    with pytest.raises(PackageNotAllowed):
        package_create(case=consented_case, partner=spanish, by=bob)
    assert not OutgoingPackage.objects.exists()
    assert not AuditEvent.objects.filter(action="case.package_sent").exists()


def test_no_package_without_consent_to_the_transfer_abroad(become, alice_case, bob, partner_abroad):
    consent_record(case=alice_case, purpose=ConsentPurpose.CASE_TRANSFER, given_by="person", by=bob)  # another one
    with pytest.raises(ConsentMissing):
        package_create(case=alice_case, partner=partner_abroad, by=bob)
    assert not OutgoingPackage.objects.exists()


def test_no_package_once_consent_is_withdrawn(become, consented_case, bob, partner_abroad):
    package_create(case=consented_case, partner=partner_abroad, by=bob)
    record = ConsentRecord.objects.get(case=consented_case, purpose=ConsentPurpose.TRANSFER_ABROAD)
    consent_withdraw(record=record, reason="The person changed her mind.", by=bob)
    with pytest.raises(ConsentMissing):
        package_create(case=consented_case, partner=partner_abroad, by=bob)
    assert OutgoingPackage.objects.count() == 1


def test_a_child_needs_the_guardian_or_a_best_interests_decision(become, alice, bob, partner_abroad):
    from django.utils import timezone

    from masarat.consent.services import ConsentRefused
    from tests.factories import make_case

    child = make_case(by=alice, birth_year=timezone.localdate().year - 15)
    with pytest.raises(ConsentRefused):
        consent_record(case=child, purpose=ConsentPurpose.TRANSFER_ABROAD, given_by="person", by=bob)
    consent_record(case=child, purpose=ConsentPurpose.TRANSFER_ABROAD, given_by="guardian",
                   giver_name="Tribunal de Rabat, tutelle n° 12/2026", by=bob)
    _package, raw = package_create(case=child, partner=partner_abroad, by=bob)
    assert raw


def test_only_those_who_manage_the_case_may_send_it_and_only_coordinators_receive(
        become, consented_case, partner_abroad, alice, dana, sent):
    for user in (alice, dana):  # the referring responder; a coordinator of another region
        with pytest.raises(PermissionDenied):
            package_create(case=consented_case, partner=partner_abroad, by=user)
    with pytest.raises(PermissionDenied):
        package_receive(raw=sent[1], by=alice)


def test_acknowledgements_are_verified(become, sent, nadia, bob, charlie, partner_abroad):
    package, raw = sent
    become(ABROAD)
    ack = package_receive(raw=raw, by=nadia).acknowledgement.encode()
    outer = json.loads(ack)
    body = json.loads(base64.b64decode(outer["body"]))
    become(HERE)

    def refused_ack(data: bytes, code: str) -> None:
        with pytest.raises(PackageRefused) as caught:
            acknowledgement_receive(raw=data, by=bob)
        assert caught.value.code == code, caught.value.message
        assert OutgoingPackage.objects.get(pk=package.pk).status == PackageStatus.SENT

    changed = envelope.canonical({**body, "reference": "MNR-2026-999999"})
    refused_ack(envelope.canonical({**outer, "body": base64.b64encode(changed).decode()}), "signature")
    forged = envelope.acknowledgement_sign(package_id=package.id, received_at=_now(), reference="X-1",
                                           sender=OTHER, recipient=HERE.fingerprint)
    refused_ack(forged, "signature")
    unknown = envelope.acknowledgement_sign(package_id=uuid4(), received_at=_now(), reference="X-1",
                                            sender=ABROAD, recipient=HERE.fingerprint)
    refused_ack(unknown, "unknown_package")
    refused_ack(b"not a file", "malformed")
    assert AuditEvent.objects.filter(action="transnational.acknowledgement_refused").count() == 4
    with pytest.raises(PermissionDenied):
        acknowledgement_receive(raw=ack, by=charlie)
    assert acknowledgement_receive(raw=ack, by=bob).status == PackageStatus.ACKNOWLEDGED


@pytest.fixture
def package_file(become, sent) -> bytes:
    return sent[1]


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_byte_flip_is_refused_and_imports_nothing(become, package_file, nadia, data):
    position = data.draw(st.integers(min_value=0, max_value=len(package_file) - 1), label="position")
    mask = data.draw(st.integers(min_value=1, max_value=255), label="mask")
    changed = bytearray(package_file)
    changed[position] ^= mask
    become(ABROAD)
    before = counts()
    with pytest.raises(PackageRefused):
        package_receive(raw=bytes(changed), by=nadia)
    assert counts() == before


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(position=st.integers(min_value=0), mask=st.integers(min_value=1, max_value=255))
def test_any_byte_flip_inside_the_signed_parts_fails_the_signature(package_file, position, mask):
    parsed = envelope.parse(package_file)
    parts = [bytearray(parsed.header_bytes), bytearray(parsed.nonce), bytearray(parsed.ciphertext)]
    sizes = [len(part) for part in parts]
    index = position % sum(sizes)
    for part, size in zip(parts, sizes, strict=True):
        if index < size:
            part[index] ^= mask
            break
        index -= size
    forged = envelope.Package(parsed.header, bytes(parts[0]), bytes(parts[1]), bytes(parts[2]), parsed.signature)
    assert not envelope.signature_valid(forged, HERE.public.signing_key)
    assert envelope.signature_valid(parsed, HERE.public.signing_key)


def test_an_override_with_the_permission_and_a_reason_sends_without_consent(become, alice_case, bob, client,
                                                                            partner_abroad):
    from django.contrib.auth.models import Permission
    from django.urls import reverse

    from masarat.consent.models import ConsentOverride

    bob.user_permissions.add(Permission.objects.get(codename="override_consent"))
    client.force_login(bob)
    url = reverse("case-package-new", args=[alice_case.reference])
    assert "Reason for sending without consent" in client.get(url).content.decode()
    short = client.post(url, {"partner": partner_abroad.pk, "override_reason": "Urgent."})
    assert short.status_code == 409 and not OutgoingPackage.objects.exists()
    reason = "Her life is at risk and she cannot be reached before the flight home."
    response = client.post(url, {"partner": partner_abroad.pk, "override_reason": reason})
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment;")
    override = ConsentOverride.objects.get(case=alice_case)
    assert override.purpose == ConsentPurpose.TRANSFER_ABROAD and override.reason == reason
    assert OutgoingPackage.objects.count() == 1


def test_a_partner_key_that_cannot_be_used_is_refused_cleanly(become, consented_case, bob):
    from masarat.transnational.keys import encode
    from masarat.transnational.models import Partner

    broken = Partner.objects.create(name="Broken keys", country="ES", encryption_key=encode(bytes(32)),
                                    signing_key=encode(ABROAD.public.signing_key))
    with pytest.raises(PackageNotAllowed, match="encryption key cannot be used"):
        package_create(case=consented_case, partner=broken, by=bob)
    assert not OutgoingPackage.objects.exists()


@pytest.fixture
def acknowledgement_file(become, sent, nadia) -> bytes:
    become(ABROAD)
    raw = package_receive(raw=sent[1], by=nadia).acknowledgement.encode()
    become(HERE)
    return raw


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_byte_flip_in_an_acknowledgement_is_refused(acknowledgement_file, bob, data):
    position = data.draw(st.integers(min_value=0, max_value=len(acknowledgement_file) - 1), label="position")
    mask = data.draw(st.integers(min_value=1, max_value=255), label="mask")
    changed = bytearray(acknowledgement_file)
    changed[position] ^= mask
    with pytest.raises(PackageRefused):
        acknowledgement_receive(raw=bytes(changed), by=bob)
    assert OutgoingPackage.objects.get().status == PackageStatus.SENT
