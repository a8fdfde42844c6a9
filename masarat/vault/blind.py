"""Blind indexes: keyed hashes that let Masarat find equal values without storing them.

Each purpose (a person's name token, a phone number, a document number...) has its own
derived key, so equal values in two purposes give unrelated hashes. Values are normalised by
the caller; this module only hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from masarat.vault.keys import keyring

DIGEST_CHARS = 32  # 128 bits, in hexadecimal


@lru_cache(maxsize=64)
def _purpose_key(blind_index_key: bytes, purpose: str) -> bytes:
    return hmac.new(blind_index_key, b"masarat-blind-index:" + purpose.encode("utf-8"), hashlib.sha256).digest()


@lru_cache(maxsize=64)
def _keyed_hmac(blind_index_key: bytes, purpose: str) -> hmac.HMAC:
    """The purpose's HMAC-SHA256 with its key already absorbed: each value then costs a copy and a
    short update, where ``hmac.new`` would pad the key and hash it again (a person has some twenty
    values to index)."""
    return hmac.new(_purpose_key(blind_index_key, purpose), digestmod=hashlib.sha256)


def blind_index(purpose: str, value: str) -> str:
    """HMAC-SHA256 of the value under the purpose's key, in hexadecimal, cut to :data:`DIGEST_CHARS`."""
    keyed = _keyed_hmac(keyring().blind_index_key, purpose).copy()
    keyed.update(value.encode("utf-8"))
    return keyed.hexdigest()[:DIGEST_CHARS]
