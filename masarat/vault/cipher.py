"""Authenticated encryption of one value (AES-256-GCM), bound to where it is stored.

A token reads ``ev1:<key id>:<base64(nonce + ciphertext + tag)>``. The associated data is the
value's context (for example ``people.Person.given_name_latin``), so a ciphertext copied into
another column or another table does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from masarat.vault.keys import Keyring, keyring

PREFIX = "ev1"
NONCE_BYTES = 12


class DecryptionError(ValueError):
    """A stored value is not a token, names an unknown key, or was altered."""


def encrypt(plaintext: str, *, context: str, ring: Keyring | None = None) -> str:
    ring = ring or keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.key(ring.current_id)).encrypt(nonce, plaintext.encode("utf-8"), context.encode("utf-8"))
    body = base64.urlsafe_b64encode(nonce + sealed).decode("ascii")
    return f"{PREFIX}:{ring.current_id}:{body}"


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
    if key_id not in ring.keys:
        raise DecryptionError(f"encrypted with key {key_id!r}, which is not in the keyring")
    nonce, sealed = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
    try:
        return AESGCM(ring.keys[key_id]).decrypt(nonce, sealed, context.encode("utf-8")).decode("utf-8")
    except InvalidTag:
        raise DecryptionError("an encrypted value was altered or belongs elsewhere") from None


def is_current(token: str, ring: Keyring | None = None) -> bool:
    ring = ring or keyring()
    return key_id_of(token) == ring.current_id
