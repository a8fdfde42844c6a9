from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases.models import Case
from masarat.documents.models import CaseDocument


def documents_of(case: Case) -> QuerySet[CaseDocument]:
    """The list of a case's documents, without their content."""
    return CaseDocument.objects.filter(case=case).defer("content").select_related("uploaded_by")


def case_for_documents(*, viewer: User, reference: str) -> Case:
    """The case whose documents the viewer may attach and read; for anyone else it does not exist (404)."""
    case = policy.get_case_or_404(viewer, Case.objects.all(), reference)
    if not policy.can_manage_case(viewer, case):
        raise Http404
    return case


def document_of_case(*, viewer: User, reference: str, document_id: int) -> CaseDocument:
    """A document through the policy: outside the viewer's scope it does not exist (404)."""
    from masarat.sensitive.shield import shield_for

    case = case_for_documents(viewer=viewer, reference=reference)
    try:
        document = CaseDocument.objects.select_related("case").get(case=case, pk=document_id)
    except CaseDocument.DoesNotExist as exc:
        raise Http404 from exc
    shield = shield_for(viewer, case)
    shield.apply([document])
    if shield.restricts(document):
        raise Http404  # a sensitive category the viewer may not read: neither its name nor its content
    shield.audit(channel="document")
    return document
