"""Authenticated encryption of one value (AES-256-GCM), bound to where it is stored.

A token reads ``ev1:<key id>:<base64(nonce + ciphertext + tag)>``. The associated data is the
value's context (for example ``people.Person.given_name_latin``), so a ciphertext copied into
another column or another table does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from masarat.vault.keys import Keyring, keyring

PREFIX = "ev1"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    """A stored value is not a token, names an unknown key, or was altered."""


def encrypt(plaintext: str, *, context: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    body = base64.urlsafe_b64encode(_seal(plaintext.encode("utf-8"), context, ring)).decode("ascii")
    return f"{PREFIX}:{ring.current_id}:{body}"


@lru_cache(maxsize=16)
def _aead(key: bytes) -> AESGCM:
    # Setting up a key costs more than sealing a short value: one per key, reused (it keeps no state).
    return AESGCM(key)


def _seal(data: bytes, context: str, ring: Keyring) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _aead(ring.key(ring.current_id)).encrypt(nonce, data, context.encode("utf-8"))


def _open(key_id: str, raw: bytes, context: str, ring: Keyring) -> bytes:
    if key_id not in ring.keys:
        raise DecryptionError(f"encrypted with key {key_id!r}, which is not in the keyring")
    try:
        return _aead(ring.keys[key_id]).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode("utf-8"))
    except InvalidTag:
        raise DecryptionError("an encrypted value was altered or belongs elsewhere") from None


def encrypt_bytes(data: bytes, *, context: str, ring: Keyring | None = None) -> bytes:
    """Encrypt a file's content: ``ev1:<key id>:`` then nonce, ciphertext and tag, in binary."""
    ring = ring or keyring()
    return f"{PREFIX}:{ring.current_id}:".encode("ascii") + _seal(data, context, ring)


def decrypt_bytes(blob: bytes, *, context: str, ring: Keyring | None = None) -> bytes:
    ring = ring or keyring()
    prefix, _, rest = blob.partition(b":")
    key_id, _, raw = rest.partition(b":")
    if prefix != PREFIX.encode("ascii") or not key_id or not raw:
        raise DecryptionError("not an encrypted file")
    return _open(key_id.decode("ascii", "replace"), raw, context, ring)


def split_token(token: str) -> tuple[str, bytes]:
    prefix, _, rest = token.partition(":")
    key_id, _, body = rest.partition(":")
    if prefix != PREFIX or not key_id or not body:
        raise DecryptionError("not an encrypted value")
    try:
        return key_id, base64.urlsafe_b64decode(body.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise DecryptionError("an encrypted value is damaged") from None


def key_id_of(token: str) -> str:
    return split_token(token)[0]


def decrypt(token: str, *, context: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    key_id, raw = split_token(token)
    return _open(key_id, raw, context, ring).decode("utf-8")


def is_current(token: str, ring: Keyring | None = None) -> bool:
    ring = ring or keyring()
    return key_id_of(token) == ring.current_id
