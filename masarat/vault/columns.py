"""Work on encrypted columns as stored: encrypt existing plaintext (migrations), re-encrypt under
the current key (rotation), count tokens per key (status).

These functions read the stored text itself, not the decrypted value, through a cast that
bypasses the field's decryption; they work on historical models inside migrations too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast

from masarat.vault.cipher import PREFIX, DecryptionError, decrypt, encrypt
from masarat.vault.keys import Keyring, keyring

TOKEN_START = f"{PREFIX}:"
NOT_ENCRYPTED = "(not encrypted)"


def context_of(model: type[models.Model], field_name: str) -> str:
    """The associated data of a column's tokens: the same as the field's own."""
    return f"{model._meta.label}.{field_name}"


def _stored(model: type[models.Model], field_name: str) -> models.QuerySet[Any]:
    """Rows whose column holds something, with that text as ``stored`` (never decrypted)."""
    column = model._meta.get_field(field_name)
    assert isinstance(column, models.Field)
    return (model._base_manager.annotate(stored=Cast(column.attname, output_field=TextField()))
            .filter(stored__isnull=False).exclude(stored=""))


def _write_stored(model: type[models.Model], field_name: str, pk: Any, old: str, new: str) -> bool:
    """Replace the stored text of one row, only if it is still ``old`` (a concurrent save wins)."""
    column = model._meta.get_field(field_name)
    assert isinstance(column, models.Field)
    return bool(_stored(model, field_name).filter(pk=pk, stored=old).update(**{column.attname: Value(new)}))


def encrypt_plaintext_column(model: type[models.Model], field_name: str, *, batch_size: int = 500) -> int:
    """Encrypt the rows of a column that still hold plaintext (a data migration). Returns the count."""
    context, done = context_of(model, field_name), 0
    plaintext = _stored(model, field_name).exclude(stored__startswith=TOKEN_START).order_by("pk")
    while rows := list(plaintext.values_list("pk", "stored")[:batch_size]):
        for pk, text in rows:
            done += _write_stored(model, field_name, pk, text, encrypt(text, context=context))
    return done


def decrypt_column_to_plaintext(model: type[models.Model], field_name: str, *, batch_size: int = 500) -> int:
    """The reverse of :func:`encrypt_plaintext_column` (undoing the migration)."""
    context, done = context_of(model, field_name), 0
    tokens = _stored(model, field_name).filter(stored__startswith=TOKEN_START).order_by("pk")
    while rows := list(tokens.values_list("pk", "stored")[:batch_size]):
        for pk, token in rows:
            done += _write_stored(model, field_name, pk, token, decrypt(token, context=context))
    return done


def stale_tokens(model: type[models.Model], field_name: str, ring: Keyring) -> models.QuerySet[Any]:
    """Rows of a column encrypted under another key than the current one."""
    return (_stored(model, field_name).filter(stored__startswith=TOKEN_START)
            .exclude(stored__startswith=f"{TOKEN_START}{ring.current_id}:"))


@dataclass(frozen=True)
class BatchDone:
    column: str
    rotated: int  # in this batch
    left: int  # in this column, after this batch


def rotate_column(model: type[models.Model], field_name: str, *, batch_size: int,
                  progress: Callable[[BatchDone], None] | None = None) -> int:
    """Re-encrypt a column's stale tokens under the current key, one transaction per batch.

    Interrupted, it loses at most the batch in progress; run again, it finds the tokens still
    stale and goes on. The application keeps reading both keys meanwhile, and a row saved while
    its batch runs keeps what was saved.
    """
    ring, context, total = keyring(), context_of(model, field_name), 0
    while True:
        with transaction.atomic():
            rows = list(stale_tokens(model, field_name, ring).order_by("pk").values_list("pk", "stored")[:batch_size])
            if not rows:
                return total
            rotated = 0
            for pk, token in rows:
                try:
                    text = decrypt(token, context=context, ring=ring)
                except DecryptionError as error:
                    raise DecryptionError(f"{context}, row {pk}: {error}") from None
                rotated += _write_stored(model, field_name, pk, token, encrypt(text, context=context, ring=ring))
        total += rotated
        if progress is not None:
            progress(BatchDone(context, rotated, stale_tokens(model, field_name, ring).count()))


def column_status(model: type[models.Model], field_name: str) -> Counter[str]:
    """How many values of a column each key protects (and how many are not encrypted)."""
    counts: Counter[str] = Counter()
    for stored in _stored(model, field_name).values_list("stored", flat=True).iterator(chunk_size=2000):
        if stored.startswith(TOKEN_START):
            counts[stored.split(":", 2)[1]] += 1
        else:
            counts[NOT_ENCRYPTED] += 1
    return counts


def encrypt_columns_migration(app_label: str, columns: dict[str, list[str]]) -> Any:
    """A migration operation that encrypts the plaintext already stored in ``columns``
    ({model name: [field names]}), and decrypts it back when the migration is reversed."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        for model_name, fields in columns.items():
            for name in fields:
                encrypt_plaintext_column(apps.get_model(app_label, model_name), name)

    def backwards(apps: Any, schema_editor: Any) -> None:
        for model_name, fields in columns.items():
            for name in fields:
                decrypt_column_to_plaintext(apps.get_model(app_label, model_name), name)

    return migrations.RunPython(forwards, backwards)
