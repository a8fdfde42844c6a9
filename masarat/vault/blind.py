"""Blind indexes: keyed hashes that let Masarat find equal values without storing them.

Each purpose (a person's name token, a phone number, a document number...) has its own
derived key, so equal values in two purposes give unrelated hashes. Values are normalised by
the caller; this module only hashes.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from masarat.vault.keys import keyring

DIGEST_CHARS = 32  # 128 bits, in hexadecimal


@lru_cache(maxsize=64)
def _purpose_key(blind_index_key: bytes, purpose: str) -> bytes:
    return hmac.new(blind_index_key, b"masarat-blind-index:" + purpose.encode("utf-8"), hashlib.sha256).digest()


@lru_cache(maxsize=64)
def _keyed_hashes(blind_index_key: bytes, purpose: str) -> tuple[Any, Any]:
    """The inner and outer hashes of HMAC-SHA256 (RFC 2104) with the purpose's key, its padded key
    already absorbed: each value then costs two copies and two short updates, where ``hmac.new``
    would pad the key and hash it again (a person has some twenty values to index)."""
    key = _purpose_key(blind_index_key, purpose).ljust(_BLOCK, b"\0")  # 32 bytes: never over a block
    return (hashlib.sha256(bytes(byte ^ 0x36 for byte in key)), hashlib.sha256(bytes(byte ^ 0x5C for byte in key)))


_BLOCK = hashlib.sha256().block_size


def blind_index(purpose: str, value: str) -> str:
    """HMAC-SHA256 of the value under the purpose's key, in hexadecimal, cut to :data:`DIGEST_CHARS`."""
    inner, outer = _keyed_hashes(keyring().blind_index_key, purpose)
    inner = inner.copy()
    inner.update(value.encode("utf-8"))
    outer = outer.copy()
    outer.update(inner.digest())
    return str(outer.hexdigest()[:DIGEST_CHARS])
