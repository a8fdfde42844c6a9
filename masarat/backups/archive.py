"""The encrypted backup file: a header in clear, then authenticated chunks, then an end record.

    MASARAT-BACKUP 1\\n
    {"key_id": ..., "created_at": ...}\\n        (the header, authenticated by every chunk)
    chunk*: kind (1 byte: D data, E end) | length (4 bytes) | nonce (12) | ciphertext+tag

Each chunk's associated data is the header's digest, the chunk's position and its kind, so that
chunks cannot be altered, reordered, dropped or taken from another backup. A file without its end
record (a copy cut short) is refused. The key is derived (HKDF-SHA256) from an encryption key of
the keyring: a stolen backup is useless without the keys, which never sit beside it.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils.translation import gettext as _

from masarat.vault.keys import Keyring, keyring

MAGIC = b"MASARAT-BACKUP 1\n"
CHUNK_BYTES = 1 << 20
DATA, END = b"D", b"E"
NONCE_BYTES = 12
MAX_HEADER_BYTES = 4096


class BackupError(Exception):
    """The file is not a Masarat backup, was altered, cut short, or needs a key we do not hold."""


def backup_key(ring: Keyring, key_id: str) -> bytes:
    if key_id not in ring.keys:
        raise BackupError(_("this backup was made with key %(key)s, which MASARAT_ENCRYPTION_KEYS does not list")
                          % {"key": repr(key_id)})
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"masarat-backup").derive(ring.keys[key_id])


def _associated(header_digest: bytes, index: int, kind: bytes) -> bytes:
    return header_digest + struct.pack(">Q", index) + kind


class BackupWriter:
    """A text stream (``write(str)``) whose content lands encrypted in ``target``."""

    def __init__(self, target: BinaryIO, metadata: dict[str, object], ring: Keyring | None = None) -> None:
        ring = ring or keyring()
        header = json.dumps({**metadata, "key_id": ring.current_id}, sort_keys=True).encode("utf-8") + b"\n"
        self._target = target
        self._aead = AESGCM(backup_key(ring, ring.current_id))
        self._digest = hashlib.sha256(MAGIC + header).digest()
        self._buffer = bytearray()
        self._index = 0
        target.write(MAGIC + header)

    def write(self, text: str) -> int:
        self._buffer += text.encode("utf-8")
        while len(self._buffer) >= CHUNK_BYTES:
            self._seal(DATA, bytes(self._buffer[:CHUNK_BYTES]))
            del self._buffer[:CHUNK_BYTES]
        return len(text)

    def flush(self) -> None:
        """Nothing to do: content is sealed chunk by chunk (serializers call flush)."""

    def close(self, manifest: dict[str, object]) -> None:
        if self._buffer:
            self._seal(DATA, bytes(self._buffer))
            self._buffer.clear()
        self._seal(END, json.dumps(manifest, sort_keys=True).encode("utf-8"))

    def _seal(self, kind: bytes, plaintext: bytes) -> None:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plaintext, _associated(self._digest, self._index, kind))
        self._target.write(kind + struct.pack(">I", len(sealed)) + nonce + sealed)
        self._index += 1


class BackupReader:
    """Reads a backup back: :attr:`metadata` at once, the content as lines, the manifest at the end."""

    def __init__(self, source: BinaryIO, ring: Keyring | None = None) -> None:
        self._source = source
        if source.read(len(MAGIC)) != MAGIC:
            raise BackupError(_("this file is not a Masarat backup"))
        header = source.readline(MAX_HEADER_BYTES)
        try:
            self.metadata: dict[str, object] = json.loads(header)
        except ValueError:
            raise BackupError(_("the backup's header is damaged")) from None
        if not isinstance(self.metadata, dict):
            raise BackupError(_("the backup's header is damaged"))
        self._aead = AESGCM(backup_key(ring or keyring(), str(self.metadata.get("key_id", ""))))
        self._digest = hashlib.sha256(MAGIC + header).digest()
        self.manifest: dict[str, object] | None = None

    def chunks(self) -> Iterator[bytes]:
        index = 0
        while True:
            kind = self._source.read(1)
            if not kind:
                raise BackupError(_("the backup is incomplete (it ends before its end record)"))
            if kind not in (DATA, END):
                raise BackupError(_("the backup is damaged"))
            length_bytes = self._source.read(4)
            if len(length_bytes) != 4:
                raise BackupError(_("the backup is incomplete (it ends before its end record)"))
            (length,) = struct.unpack(">I", length_bytes)
            if length > CHUNK_BYTES + 64:
                raise BackupError(_("the backup is damaged"))
            nonce, sealed = self._source.read(NONCE_BYTES), self._source.read(length)
            if len(sealed) != length:
                raise BackupError(_("the backup is incomplete (it ends before its end record)"))
            try:
                plaintext = self._aead.decrypt(nonce, sealed, _associated(self._digest, index, kind))
            except InvalidTag:
                raise BackupError(_("the backup was altered (part %(part)d does not authenticate)")
                                  % {"part": index + 1}) from None
            index += 1
            if kind == END:
                self.manifest = json.loads(plaintext)
                if self._source.read(1):
                    raise BackupError(_("the backup has data after its end record"))
                return
            yield plaintext

    def lines(self) -> Iterator[str]:
        pending = b""
        for chunk in self.chunks():
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for line in complete:
                if line:
                    yield line.decode("utf-8")
        if pending:
            yield pending.decode("utf-8")
