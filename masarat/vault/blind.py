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


def blind_index(purpose: str, value: str) -> str:
    key = _purpose_key(keyring().blind_index_key, purpose)
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()[:DIGEST_CHARS]
