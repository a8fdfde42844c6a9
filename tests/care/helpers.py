"""Adding records the way the pages do: through the record form and the one service."""

from __future__ import annotations

from typing import Any

from masarat.accounts.models import User
from masarat.cases.models import Case
from masarat.cases.records import RECORD_KINDS, CaseRecord, record_add


def add_record(case: Case, kind: str, by: User, /, **data: Any) -> CaseRecord:
    record_kind = RECORD_KINDS[kind]
    form = record_kind.form(data, case=case)
    assert form.is_valid(), form.errors
    return record_add(kind=record_kind, case=case, form=form, by=by, expected_version=None)


def form_errors(case: Case, kind: str, /, **data: Any) -> dict[str, list[str]]:
    form = RECORD_KINDS[kind].form(data, case=case)
    form.is_valid()
    return {name: [str(message) for message in messages] for name, messages in form.errors.items()}
