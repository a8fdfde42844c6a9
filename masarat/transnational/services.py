"""Transnational referrals: a case package for a partner abroad, its reception, its acknowledgement.

Sending: only with consent to the transfer abroad (or a recorded override) and only to an active
partner in a country of MASARAT_TRANSFER_COUNTRIES; the file is returned to the caller and never
kept. Receiving: every check comes before anything is written, and a refused package leaves nothing
but the audit event of its refusal. The import goes through :func:`masarat.htcds.services.case_import`
(the referral rules and the duplicate check).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.consent.services import require_consent
from masarat.consent.vocabulary import ConsentPurpose
from masarat.htcds.services import HtcdsInvalid, case_document, case_import, document_loads
from masarat.transnational import envelope
from masarat.transnational.keys import Identity, IdentityMissing, PublicIdentity, identity
from masarat.transnational.models import IncomingPackage, OutgoingPackage, PackageStatus, Partner
from masarat.transnational.selectors import destination_allowed


class PackageNotAllowed(Exception):
    """A package that may not be created (destination, partner, or this instance's keys)."""


class PackageRefused(Exception):
    """A package or acknowledgement refused on reception; ``code`` names the reason in the audit trail."""

    def __init__(self, code: str, message: str, package_id: str = "") -> None:
        self.code, self.message, self.package_id = code, message, package_id
        super().__init__(message)


def _when(moment: datetime) -> str:
    return str(formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT"))


def _own_identity() -> Identity:
    try:
        return identity()
    except IdentityMissing as error:
        raise PackageNotAllowed(_("This organisation has no keys for transnational referrals yet: "
                                  "the operator must configure them.")) from error


# --- Sending ----------------------------------------------------------------------------------

@transaction.atomic
def package_create(*, case: Case, partner: Partner, by: User, override_reason: str = "") -> tuple[OutgoingPackage,
                                                                                                     bytes]:
    """Create the package of ``case`` for ``partner``: the record and the bytes of the file to hand over.

    Raises :class:`PackageNotAllowed` for a destination the data-protection list does not allow, and
    :class:`masarat.consent.services.ConsentMissing` without consent to the transfer abroad.
    """
    policy.require(policy.can_send_case_abroad(by, case))
    if not destination_allowed(partner):
        raise PackageNotAllowed(_("Transfers to %(partner)s are not allowed: the destination country is not on "
                                  "the list of countries allowed for transfers abroad.") % {"partner": partner})
    require_consent(case, ConsentPurpose.TRANSFER_ABROAD, by=by, override_reason=override_reason)
    sender = _own_identity()
    created_at = timezone.now().replace(microsecond=0)
    expires_at = created_at + timedelta(days=settings.MASARAT_PACKAGE_EXPIRY_DAYS)
    package = OutgoingPackage.objects.create(case=case, partner=partner, created_by=by, created_at=created_at,
                                             expires_at=expires_at)
    content = json.dumps(case_document(case), ensure_ascii=False, sort_keys=True).encode("utf-8")
    try:
        raw = envelope.seal(content=content, package_id=package.id, created_at=created_at, expires_at=expires_at,
                            sender=sender, recipient=PublicIdentity(partner.encryption_key_bytes,
                                                                    partner.signing_key_bytes))
    except envelope.Malformed as error:  # a key that cannot be used (e.g. a low-order point): nothing is kept
        raise PackageNotAllowed(_("The partner's encryption key cannot be used: ask the administrators to check "
                                  "it with the partner.")) from error
    record_event(actor=by, action="case.package_sent", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference,
                 details={"package": str(package.id), "partner": partner.pk, "country": str(partner.country.code)})
    return package, raw


# --- Receiving --------------------------------------------------------------------------------

def package_receive(*, raw: bytes, by: User) -> IncomingPackage:
    """Verify, decrypt and import a package addressed to this organisation; all or nothing.

    Raises :class:`PackageRefused` with the reason in the user's language (the refusal is audited).
    """
    policy.require(policy.can_receive_packages(by))
    try:
        with transaction.atomic():
            return _receive(raw, by)
    except PackageRefused as refusal:
        with transaction.atomic():
            record_event(actor=by, action="transnational.package_refused", target_type="package",
                         target_id=refusal.package_id, details={"reason": refusal.code})
        raise


def _receive(raw: bytes, by: User) -> IncomingPackage:
    try:
        package = envelope.parse(raw)
    except envelope.Malformed:
        raise PackageRefused("malformed", _("This file is not an intact case package: it was damaged or changed, "
                                            "or it is not a package.")) from None
    header, package_id = package.header, str(package.header.package_id)
    partner = Partner.objects.filter(fingerprint=header.sender, is_active=True).first()
    if partner is None:
        raise PackageRefused("unknown_sender", _("Sender unknown: the package is not signed by an active partner "
                                                 "of this organisation."), package_id)
    if not envelope.signature_valid(package, partner.signing_key_bytes):
        raise PackageRefused("signature", _("The signature does not match: the package was changed after it was "
                                            "signed."), package_id)
    try:
        own = identity()
    except IdentityMissing:
        raise PackageRefused("not_configured", _("This organisation has no keys for transnational referrals yet: "
                                                 "the operator must configure them."), package_id) from None
    if header.recipient != own.fingerprint:
        raise PackageRefused("misaddressed", _("This package is addressed to another organisation."), package_id)
    now = timezone.now()
    if header.expires_at <= now:
        raise PackageRefused("expired", _("This package expired on %(date)s: ask the sender for a new one.")
                             % {"date": _when(header.expires_at)}, package_id)
    previous = IncomingPackage.objects.filter(pk=header.package_id).first()
    if previous is not None:
        raise PackageRefused("replay", _("This package was already received on %(date)s.")
                             % {"date": _when(previous.received_at)}, package_id)
    try:
        document = document_loads(envelope.open_content(package, own))
    except envelope.Malformed:
        raise PackageRefused("undecryptable", _("The package cannot be decrypted with this organisation's key."),
                             package_id) from None
    except HtcdsInvalid as error:
        raise PackageRefused("invalid_case", _("The case in the package was refused, nothing was recorded: "
                                               "%(errors)s") % {"errors": error}, package_id) from None
    try:
        with transaction.atomic():
            case, not_kept = case_import(document=document, by=by)
            received_at = now.replace(microsecond=0)
            acknowledgement = envelope.acknowledgement_sign(
                package_id=header.package_id, received_at=received_at, reference=case.reference, sender=own,
                recipient=partner.fingerprint)
            incoming = IncomingPackage.objects.create(
                id=header.package_id, partner=partner, case=case, received_by=by, received_at=received_at,
                sent_at=header.created_at, acknowledgement=acknowledgement.decode("ascii"))
    except HtcdsInvalid as error:
        raise PackageRefused("invalid_case", _("The case in the package was refused, nothing was recorded: "
                                               "%(errors)s") % {"errors": error}, package_id) from None
    except IntegrityError:  # the same package received at the same moment by someone else
        raise PackageRefused("replay", _("This package was already received."), package_id) from None
    record_event(actor=by, action="case.package_received", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference,
                 details={"package": package_id, "partner": partner.pk, **({"not_kept": not_kept} if not_kept else {})})
    return incoming


# --- Acknowledgements -------------------------------------------------------------------------

def acknowledgement_receive(*, raw: bytes, by: User | None) -> OutgoingPackage:
    """Verify a partner's acknowledgement and mark the package acknowledged.

    ``by`` is ``None`` on the command line (the server's rights); a user must be able to send the
    package's case abroad. Raises :class:`PackageRefused` (audited).
    """
    if by is not None:
        policy.require(policy.can_acknowledge_packages(by))
    try:
        with transaction.atomic():
            return _acknowledge(raw, by)
    except PackageRefused as refusal:
        with transaction.atomic():
            record_event(actor=by, action="transnational.acknowledgement_refused", target_type="package",
                         target_id=refusal.package_id, details={"reason": refusal.code})
        raise


def _acknowledge(raw: bytes, by: User | None) -> OutgoingPackage:
    try:
        ack = envelope.acknowledgement_parse(raw)
    except envelope.Malformed:
        raise PackageRefused("malformed", _("This file is not an intact acknowledgement: it was damaged or "
                                            "changed, or it is not an acknowledgement.")) from None
    package_id = str(ack.package_id)
    package = (OutgoingPackage.objects.select_for_update().filter(pk=ack.package_id).first())
    if package is None or (by is not None and not policy.can_send_case_abroad(by, package.case)):
        raise PackageRefused("unknown_package", _("No package sent from here has this id."), package_id)
    partner = package.partner
    if ack.sender != partner.fingerprint or not envelope.acknowledgement_signature_valid(ack,
                                                                                         partner.signing_key_bytes):
        raise PackageRefused("signature", _("The signature does not match: the acknowledgement was changed, or it "
                                            "was not signed by the partner the package was sent to."), package_id)
    if ack.recipient != _own_fingerprint():
        raise PackageRefused("misaddressed", _("This acknowledgement is addressed to another organisation."),
                             package_id)
    if package.status == PackageStatus.ACKNOWLEDGED and package.acknowledged_at is not None:
        raise PackageRefused("replay", _("This package was already acknowledged on %(date)s.")
                             % {"date": _when(package.acknowledged_at)}, package_id)
    package.status, package.acknowledged_at, package.remote_reference = (
        PackageStatus.ACKNOWLEDGED, ack.received_at, ack.reference)
    package.save(update_fields=["status", "acknowledged_at", "remote_reference"])
    record_event(actor=by, action="case.package_acknowledged", target_type="case", target_id=str(package.case_id),
                 case_reference=package.case.reference,
                 details={"package": package_id, "partner": partner.pk, "remote_reference": ack.reference})
    return package


def _own_fingerprint() -> str:
    try:
        return identity().fingerprint
    except IdentityMissing:
        raise PackageRefused("not_configured", _("This organisation has no keys for transnational referrals yet: "
                                                 "the operator must configure them.")) from None
