"""Upload and download of a case's documents: through the policy, every download audited."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.cases.services import CaseChanged
from masarat.documents.forms import DocumentForm
from masarat.documents.models import CaseDocument
from masarat.documents.selectors import case_for_documents, document_of_case
from masarat.documents.services import document_attach, document_content
from masarat.documents.validation import UploadRefused
from masarat.web.http import AuthenticatedRequest


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    user = request.user
    case = case_for_documents(viewer=user, reference=reference)
    status = 200
    if request.method == "POST":
        form = DocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document_attach(case=case, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                                by=user, expected_version=form.cleaned_data["version"])
            except (CaseChanged, UploadRefused) as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, _("Document attached."))
                return redirect("case", reference=case.reference)
        else:
            status = 400
    else:
        form = DocumentForm(initial={"version": case.version})
    return render(request, "documents/upload.html", {"case": case, "form": form}, status=status)


def attachment_response(document: CaseDocument, data: bytes) -> HttpResponse:
    """The file as a download, never displayed in the page, its type never guessed by the browser."""
    response = HttpResponse(data, content_type=document.content_type)
    ascii_name = document.filename.encode("ascii", "ignore").decode().replace('"', "") or "document"
    response["Content-Disposition"] = (f'attachment; filename="{ascii_name}"; '
                                       f"filename*=UTF-8''{quote(document.filename)}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET"])
def download(request: AuthenticatedRequest, reference: str, document_id: int) -> HttpResponse:
    document = document_of_case(viewer=request.user, reference=reference, document_id=document_id)
    return attachment_response(document, document_content(document=document, by=request.user))
