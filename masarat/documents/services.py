"""Attaching and reading documents: policy first, content encrypted, every download audited."""

from __future__ import annotations

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.cases.services import claim_case_version
from masarat.documents.models import CaseDocument
from masarat.documents.validation import SNIFF_BYTES, check_upload
from masarat.vault.cipher import decrypt_bytes, encrypt_bytes


@transaction.atomic
def document_attach(*, case: Case, kind: str, upload: UploadedFile, by: User,
                    expected_version: int | None) -> CaseDocument:
    policy.require(policy.can_manage_case(by, case))
    upload.seek(0)
    content_type = check_upload(name=upload.name or "", head=upload.read(SNIFF_BYTES), size=upload.size or 0)
    upload.seek(0)
    data = upload.read()
    claim_case_version(case, expected_version)
    document = CaseDocument(case=case, kind=kind, filename=upload.name or "", content_type=content_type,
                            size=len(data), sha256=hashlib.sha256(data).hexdigest(), uploaded_by=by)
    document.content = encrypt_bytes(data, context=document.encryption_context)
    document.save()
    record_event(actor=by, action="document.upload", target_type="document", target_id=str(document.pk),
                 case_reference=case.reference, details={"kind": kind, "size": len(data)})
    return document


def document_content(*, document: CaseDocument, by: User) -> bytes:
    """The plain content, for a user the policy allows; the download is recorded in the audit trail."""
    policy.require(policy.can_manage_case(by, document.case))
    data = decrypt_bytes(bytes(document.content), context=document.encryption_context)
    record_event(actor=by, action="document.download", target_type="document", target_id=str(document.pk),
                 case_reference=document.case.reference)
    return data
