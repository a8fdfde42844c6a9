"""Documents in the access-request export (what is kept, without the files) and the erasure (deleted)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from masarat.cases.models import Case
from masarat.documents.models import CaseDocument
from masarat.people.models import Person


def export_documents(person: Person, cases: Sequence[Case]) -> list[dict[str, Any]]:
    return [{"case": document.case.reference, "kind": document.kind, "filename": document.filename,
             "content_type": document.content_type, "size": document.size,
             "uploaded_at": document.uploaded_at.isoformat()}
            for document in CaseDocument.objects.filter(case__in=cases).defer("content").select_related("case")]


def erase_documents(person: Person, cases: Sequence[Case]) -> None:
    CaseDocument.objects.filter(case__in=cases).delete()
