"""The keyring: encryption keys and the blind-index key, read from the environment, never stored.

``MASARAT_ENCRYPTION_KEYS`` lists ``id:key`` pairs separated by commas, the current key first;
older keys stay listed until ``masarat keys rotate`` has re-encrypted everything they protect.
Keys are 32 random bytes in URL-safe base64 (``masarat keys generate`` prints one).
``MASARAT_BLIND_INDEX_KEY`` keys the HMACs that let Masarat search without plaintext; it is not
rotated with the encryption keys (changing it means recomputing every index: ``masarat keys reindex``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
KEY_BYTES = 32


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, bytes]
    blind_index_key: bytes

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise ImproperlyConfigured(
                f"Data was encrypted with key {key_id!r}, which MASARAT_ENCRYPTION_KEYS no longer lists."
            ) from None


def generate_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def decode_key(name: str, text: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise ImproperlyConfigured(f"{name}: a key must be URL-safe base64 ('masarat keys generate').") from None
    if len(raw) != KEY_BYTES:
        raise ImproperlyConfigured(f"{name}: a key must be {KEY_BYTES} bytes, not {len(raw)}.")
    return raw


def parse_keyring(encryption_keys: str, blind_index_key: str) -> Keyring:
    pairs: dict[str, bytes] = {}
    order: list[str] = []
    for item in (part.strip() for part in encryption_keys.split(",")):
        if not item:
            continue
        key_id, separator, text = item.partition(":")
        if not separator or not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                "MASARAT_ENCRYPTION_KEYS: each entry is 'id:key', the id made of letters, digits, '-' or '_'."
            )
        if key_id in pairs:
            raise ImproperlyConfigured(f"MASARAT_ENCRYPTION_KEYS: the key id {key_id!r} appears twice.")
        pairs[key_id] = decode_key("MASARAT_ENCRYPTION_KEYS", text)
        order.append(key_id)
    if not order:
        raise ImproperlyConfigured("MASARAT_ENCRYPTION_KEYS must list at least one key.")
    if not blind_index_key:
        raise ImproperlyConfigured("MASARAT_BLIND_INDEX_KEY must be set.")
    return Keyring(order[0], pairs, decode_key("MASARAT_BLIND_INDEX_KEY", blind_index_key))


def demo_keyring() -> Keyring:
    """Fixed keys for the demo and the tests only: their data is fictitious and their keys public."""
    def derive(label: str) -> bytes:
        return hashlib.sha256(f"masarat-demo-only-{label}".encode()).digest()

    return Keyring("demo", {"demo": derive("encryption")}, derive("blind-index"))


@lru_cache(maxsize=1)
def keyring() -> Keyring:
    encryption_keys = getattr(settings, "MASARAT_ENCRYPTION_KEYS", "")
    blind_index_key = getattr(settings, "MASARAT_BLIND_INDEX_KEY", "")
    if not encryption_keys and not blind_index_key and settings.MASARAT_DEMO_KEYS_ALLOWED:
        return demo_keyring()
    return parse_keyring(encryption_keys, blind_index_key)


def reset_keyring() -> None:
    """Forget the cached keyring (after the settings changed, in tests)."""
    keyring.cache_clear()
