"""The file format of a case package and of its acknowledgement: the cryptography, nothing else.

A package is one JSON object, written in a single canonical form (sorted keys, no spaces, ASCII):

``{"ciphertext": B64, "format": "masarat-package", "header": B64, "nonce": B64, "signature": B64, "version": 1}``

- ``header`` is the canonical JSON of: package id (UUID), sender and recipient fingerprints,
  ``created_at``, ``expires_at`` (ISO 8601, UTC), the sender's ephemeral X25519 public key and the
  content type (``htcds-2.0``).
- The content is encrypted for the recipient: X25519 between the ephemeral key and the recipient's
  key, HKDF-SHA256 (salt: both public keys) gives a 256-bit key, AES-256-GCM with a random 96-bit
  nonce and the header's bytes as associated data.
- ``signature`` is the sender's Ed25519 signature over a domain label, the header, the nonce and the
  ciphertext (lengths prefixed). It is checked before anything in the header is believed.

Only the canonical form is accepted: a file that differs in a single byte from what the sender wrote
is refused, even where JSON or base64 would have tolerated the change.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import struct
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from masarat.transnational.keys import Identity, PublicIdentity, public_signing_key

PACKAGE_FORMAT = "masarat-package"
ACK_FORMAT = "masarat-acknowledgement"
VERSION = 1
CONTENT = "htcds-2.0"
MAX_BYTES = 4 * 1024 * 1024
NONCE_BYTES = 12
_PACKAGE_LABEL = b"masarat-package-v1\x00"
_ACK_LABEL = b"masarat-acknowledgement-v1\x00"
_HKDF_INFO = b"masarat-package-v1 aes-256-gcm"
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
HEADER_KEYS = frozenset({"format", "version", "package_id", "sender", "recipient", "created_at", "expires_at",
                         "ephemeral_key", "content"})
ACK_KEYS = frozenset({"format", "version", "package_id", "sender", "recipient", "received_at", "reference"})


class Malformed(Exception):
    """Not an intact package or acknowledgement (damaged, changed, or not one at all)."""


def canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def unb64(text: Any) -> bytes:
    """Strict base64: only the one spelling that encodes these bytes."""
    if not isinstance(text, str):
        raise Malformed("a base64 text is expected")
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise Malformed("invalid base64") from None
    if b64(raw) != text:
        raise Malformed("non-canonical base64")
    return raw


def _loads_canonical(raw: bytes, keys: frozenset[str]) -> dict[str, Any]:
    if len(raw) > MAX_BYTES:
        raise Malformed("too large")
    try:
        value = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise Malformed("not JSON") from None
    if not isinstance(value, dict) or set(value) != keys or canonical(value) != raw:
        raise Malformed("not in canonical form")
    return value


def _signed_message(label: bytes, *parts: bytes) -> bytes:
    return label + b"".join(struct.pack(">I", len(part)) + part for part in parts)


def _timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise Malformed("a date and time is expected")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Malformed("a date and time is expected") from None
    if moment.tzinfo is None:
        raise Malformed("a date and time with its time zone is expected")
    return moment


def _fingerprint(value: Any) -> str:
    if not isinstance(value, str) or not _FINGERPRINT.match(value):
        raise Malformed("a fingerprint is expected")
    return value


def _package_id(value: Any) -> uuid.UUID:
    if not isinstance(value, str):
        raise Malformed("a package id is expected")
    try:
        parsed = uuid.UUID(value)
    except ValueError:
        raise Malformed("a package id is expected") from None
    if str(parsed) != value:
        raise Malformed("a package id is expected")
    return parsed


def _shared_key(private: X25519PrivateKey, public: bytes, salt: bytes) -> bytes:
    try:
        secret = private.exchange(X25519PublicKey.from_public_bytes(public))
    except ValueError:
        raise Malformed("invalid key") from None
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_HKDF_INFO).derive(secret)


# --- Packages ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Header:
    package_id: uuid.UUID
    sender: str
    recipient: str
    created_at: datetime
    expires_at: datetime
    ephemeral_key: bytes


@dataclass(frozen=True)
class Package:
    header: Header
    header_bytes: bytes
    nonce: bytes
    ciphertext: bytes
    signature: bytes


def seal(*, content: bytes, package_id: uuid.UUID, created_at: datetime, expires_at: datetime,
         sender: Identity, recipient: PublicIdentity) -> bytes:
    """The package file of ``content`` from ``sender`` for ``recipient``."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    header = canonical({
        "format": PACKAGE_FORMAT, "version": VERSION, "package_id": str(package_id),
        "sender": sender.fingerprint, "recipient": recipient.fingerprint,
        "created_at": created_at.isoformat(), "expires_at": expires_at.isoformat(),
        "ephemeral_key": b64(ephemeral_public), "content": CONTENT,
    })
    key = _shared_key(ephemeral, recipient.encryption_key, ephemeral_public + recipient.encryption_key)
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, content, header)
    signature = sender.signing.sign(_signed_message(_PACKAGE_LABEL, header, nonce, ciphertext))
    return canonical({"format": PACKAGE_FORMAT, "version": VERSION, "header": b64(header), "nonce": b64(nonce),
                      "ciphertext": b64(ciphertext), "signature": b64(signature)})


def parse(raw: bytes) -> Package:
    """Read a package file (nothing verified yet but its form). Raises :class:`Malformed`."""
    envelope = _loads_canonical(raw, frozenset({"format", "version", "header", "nonce", "ciphertext", "signature"}))
    if envelope["format"] != PACKAGE_FORMAT or envelope["version"] != VERSION:
        raise Malformed("not a package of this version")
    header_bytes = unb64(envelope["header"])
    fields = _loads_canonical(header_bytes, HEADER_KEYS)
    if fields["format"] != PACKAGE_FORMAT or fields["version"] != VERSION or fields["content"] != CONTENT:
        raise Malformed("not a package of this version")
    ephemeral_key = unb64(fields["ephemeral_key"])
    nonce, signature = unb64(envelope["nonce"]), unb64(envelope["signature"])
    if len(ephemeral_key) != 32 or len(nonce) != NONCE_BYTES or len(signature) != 64:
        raise Malformed("wrong sizes")
    header = Header(package_id=_package_id(fields["package_id"]), sender=_fingerprint(fields["sender"]),
                    recipient=_fingerprint(fields["recipient"]), created_at=_timestamp(fields["created_at"]),
                    expires_at=_timestamp(fields["expires_at"]), ephemeral_key=ephemeral_key)
    return Package(header, header_bytes, nonce, unb64(envelope["ciphertext"]), signature)


def signature_valid(package: Package, signing_key: bytes) -> bool:
    try:
        public_signing_key(signing_key).verify(
            package.signature, _signed_message(_PACKAGE_LABEL, package.header_bytes, package.nonce, package.ciphertext))
    except (InvalidSignature, ValueError):
        return False
    return True


def open_content(package: Package, recipient: Identity) -> bytes:
    """Decrypt a verified package addressed to ``recipient``. Raises :class:`Malformed`."""
    own = recipient.public.encryption_key
    key = _shared_key(recipient.encryption, package.header.ephemeral_key, package.header.ephemeral_key + own)
    try:
        return AESGCM(key).decrypt(package.nonce, package.ciphertext, package.header_bytes)
    except InvalidTag:
        raise Malformed("decryption failed") from None


# --- Acknowledgements -------------------------------------------------------------------------

@dataclass(frozen=True)
class Acknowledgement:
    package_id: uuid.UUID
    sender: str
    recipient: str
    received_at: datetime
    reference: str
    body: bytes
    signature: bytes


def acknowledgement_sign(*, package_id: uuid.UUID, received_at: datetime, reference: str, sender: Identity,
                         recipient: str) -> bytes:
    """The acknowledgement that ``sender`` (the receiver of the package) returns to ``recipient``."""
    body = canonical({"format": ACK_FORMAT, "version": VERSION, "package_id": str(package_id),
                      "sender": sender.fingerprint, "recipient": recipient, "received_at": received_at.isoformat(),
                      "reference": reference})
    signature = sender.signing.sign(_signed_message(_ACK_LABEL, body))
    return canonical({"format": ACK_FORMAT, "version": VERSION, "body": b64(body), "signature": b64(signature)})


def acknowledgement_parse(raw: bytes) -> Acknowledgement:
    envelope = _loads_canonical(raw, frozenset({"format", "version", "body", "signature"}))
    if envelope["format"] != ACK_FORMAT or envelope["version"] != VERSION:
        raise Malformed("not an acknowledgement of this version")
    body = unb64(envelope["body"])
    fields = _loads_canonical(body, ACK_KEYS)
    if fields["format"] != ACK_FORMAT or fields["version"] != VERSION:
        raise Malformed("not an acknowledgement of this version")
    reference = fields["reference"]
    if not isinstance(reference, str) or not 0 < len(reference) <= 64:
        raise Malformed("a reference is expected")
    signature = unb64(envelope["signature"])
    if len(signature) != 64:
        raise Malformed("wrong sizes")
    return Acknowledgement(_package_id(fields["package_id"]), _fingerprint(fields["sender"]),
                           _fingerprint(fields["recipient"]), _timestamp(fields["received_at"]), reference,
                           body, signature)


def acknowledgement_signature_valid(ack: Acknowledgement, signing_key: bytes) -> bool:
    try:
        public_signing_key(signing_key).verify(ack.signature, _signed_message(_ACK_LABEL, ack.body))
    except (InvalidSignature, ValueError):
        return False
    return True
