"""Model fields stored encrypted: the database holds only ``ev1:`` tokens.

An encrypted field cannot be filtered or ordered on (the ciphertext is random); search goes
through blind indexes kept beside it. The empty value of an optional field is stored as an
empty string (for text) or NULL, so that "not known" stays cheap and visible to no one.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import models

from masarat.vault.cipher import decrypt, encrypt


class EncryptedMixin:
    """Encrypts on the way to the database and decrypts on the way back."""

    name: str
    model: Any

    def encryption_context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def to_plaintext(self, value: Any) -> str:
        return str(value)

    def from_plaintext(self, text: str) -> Any:
        return text

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return value
        return encrypt(self.to_plaintext(value), context=self.encryption_context())

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return self.from_plaintext(decrypt(value, context=self.encryption_context()))

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        # Comparing ciphertexts means nothing: only "is it set?" may be asked of the database.
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)  # type: ignore[misc]


class EncryptedTextField(EncryptedMixin, models.TextField):
    pass


class EncryptedIntegerField(EncryptedMixin, models.TextField):
    if TYPE_CHECKING:  # what the model's attribute takes and gives (read by django-stubs)
        _pyi_private_set_type: int | models.expressions.Combinable  # type: ignore[assignment]
        _pyi_private_get_type: int  # type: ignore[assignment]
    def to_python(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        return int(value)

    def from_plaintext(self, text: str) -> Any:
        return int(text)


class EncryptedDateField(EncryptedMixin, models.TextField):
    if TYPE_CHECKING:
        _pyi_private_set_type: date | models.expressions.Combinable  # type: ignore[assignment]
        _pyi_private_get_type: date  # type: ignore[assignment]
    def to_python(self, value: Any) -> Any:
        if value is None or value == "" or isinstance(value, date):
            return value or None
        return date.fromisoformat(str(value))

    def to_plaintext(self, value: Any) -> str:
        return value.isoformat()

    def from_plaintext(self, text: str) -> Any:
        return date.fromisoformat(text)


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """A JSON document (a form as typed, for example), stored as one encrypted token."""

    if TYPE_CHECKING:
        _pyi_private_set_type: Any
        _pyi_private_get_type: Any

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) and value else value

    def to_plaintext(self, value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True)

    def from_plaintext(self, text: str) -> Any:
        return json.loads(text)

    def value_to_string(self, obj: models.Model) -> str:
        # What serializers (backups) write: JSON, which to_python reads back.
        return self.to_plaintext(self.value_from_object(obj))


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedMixin]]:
    """Every encrypted column of the installed models, in a stable order."""
    from django.apps import apps

    found = [
        (model, field) for model in apps.get_models() for field in model._meta.concrete_fields
        if isinstance(field, EncryptedMixin)
    ]
    return sorted(found, key=lambda pair: (pair[0]._meta.label, pair[1].name))
