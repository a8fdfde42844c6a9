from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from masarat.vault.keys import generate_key, reset_keyring

KEYS = {"k1": generate_key(), "k2": generate_key()}
BLIND_KEYS = {"b1": generate_key(), "b2": generate_key()}


@pytest.fixture
def use_keys(settings) -> Iterator[Callable[..., None]]:
    """Switch the keyring: ``use_keys("k2", "k1")`` makes k2 current and keeps k1 readable."""

    def use(*key_ids: str, blind: str = "b1") -> None:
        settings.MASARAT_ENCRYPTION_KEYS = ",".join(f"{key_id}:{KEYS[key_id]}" for key_id in key_ids)
        settings.MASARAT_BLIND_INDEX_KEY = BLIND_KEYS[blind]
        reset_keyring()

    yield use
    reset_keyring()
