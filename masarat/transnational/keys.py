"""This instance's identity for transnational referrals: an X25519 key pair (packages are encrypted
for it) and an Ed25519 key pair (it signs what it sends), read from the environment, never stored.

``MASARAT_TRANSNATIONAL_ENCRYPTION_KEY`` and ``MASARAT_TRANSNATIONAL_SIGNING_KEY`` hold the two
private keys, 32 bytes each in URL-safe base64 (``masarat transnational keys generate`` prints a
pair). Partners receive the public keys and the fingerprint (``masarat transnational identity``).
In demo mode, without keys, fixed demo keys are derived: they are public, for fictitious data only.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass
from functools import lru_cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_BYTES = 32


def encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode_key(text: str) -> bytes:
    """32 bytes from URL-safe base64; ValueError with a plain reason otherwise."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise ValueError("a key is written in URL-safe base64") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(f"a key is {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def fingerprint(encryption_key: bytes, signing_key: bytes) -> str:
    """The fingerprint of a pair of public keys: 64 hexadecimal digits, compared by people in groups of 4."""
    return hashlib.sha256(b"masarat-identity-v1\x00" + encryption_key + signing_key).hexdigest()


def grouped(value: str) -> str:
    """A fingerprint as people read it aloud to compare it: ``3F2A 9C01 …``."""
    return " ".join(value[i:i + 4] for i in range(0, len(value), 4)).upper()


@dataclass(frozen=True)
class PublicIdentity:
    encryption_key: bytes
    signing_key: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.encryption_key, self.signing_key)


@dataclass(frozen=True)
class Identity:
    """This instance's private keys."""

    encryption: X25519PrivateKey
    signing: Ed25519PrivateKey

    @property
    def public(self) -> PublicIdentity:
        return PublicIdentity(self.encryption.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
                              self.signing.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))

    @property
    def fingerprint(self) -> str:
        return self.public.fingerprint


def identity_from(encryption_key: str, signing_key: str) -> Identity:
    return Identity(X25519PrivateKey.from_private_bytes(decode_key(encryption_key)),
                    Ed25519PrivateKey.from_private_bytes(decode_key(signing_key)))


def generate_pair() -> tuple[str, str]:
    """New private keys: (encryption, signing), URL-safe base64."""
    def raw(key: X25519PrivateKey | Ed25519PrivateKey) -> bytes:
        return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())

    return encode(raw(X25519PrivateKey.generate())), encode(raw(Ed25519PrivateKey.generate()))


def demo_identity(label: str = "instance") -> Identity:
    """Fixed keys for the demo and the tests only: derived from a public text, so anyone can read with them."""
    def derive(purpose: str) -> str:
        return encode(hashlib.sha256(f"masarat-demo-only-transnational-{label}-{purpose}".encode()).digest())

    return identity_from(derive("encryption"), derive("signing"))


class IdentityMissing(ImproperlyConfigured):
    """Transnational referrals need this instance's keys."""


@lru_cache(maxsize=4)
def _identity(encryption_key: str, signing_key: str, demo_allowed: bool) -> Identity:
    if not encryption_key and not signing_key and demo_allowed:
        return demo_identity()
    if not encryption_key or not signing_key:
        raise IdentityMissing("MASARAT_TRANSNATIONAL_ENCRYPTION_KEY and MASARAT_TRANSNATIONAL_SIGNING_KEY "
                              "(or their _FILE variants) must be set to send or receive packages.")
    try:
        return identity_from(encryption_key, signing_key)
    except ValueError as error:
        raise IdentityMissing(f"MASARAT_TRANSNATIONAL_*_KEY: {error} ('masarat transnational keys generate').") \
            from None


def identity() -> Identity:
    """This instance's identity, from the settings (cached per value, so a changed setting is seen)."""
    return _identity(getattr(settings, "MASARAT_TRANSNATIONAL_ENCRYPTION_KEY", ""),
                     getattr(settings, "MASARAT_TRANSNATIONAL_SIGNING_KEY", ""),
                     bool(settings.MASARAT_DEMO_KEYS_ALLOWED))


def public_encryption_key(raw: bytes) -> X25519PublicKey:
    return X25519PublicKey.from_public_bytes(raw)


def public_signing_key(raw: bytes) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(raw)
