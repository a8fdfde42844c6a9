"""Case management, proceedings and documents in the API. The same forms as the web pages check the
input (one set of rules), the same policy reaches the case: outside one's scope, or for a record one
may not keep (offenders for anyone but the justice users), the case is "not found" (404)."""

from __future__ import annotations

from typing import Any, cast

from django.forms import BaseForm
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.record_views import case_for_record
from masarat.cases.records import RECORD_KINDS, record_add, record_values, records_of
from masarat.documents.forms import DocumentForm
from masarat.documents.models import CaseDocument, DocumentKind
from masarat.documents.selectors import case_for_documents, document_of_case, documents_of
from masarat.documents.services import document_attach, document_content
from masarat.documents.validation import SIGNATURES, UploadRefused
from masarat.documents.views import attachment_response
from masarat.proceedings.selectors import offender_counts
from masarat.sensitive.shield import restricted_text, shield_for
from masarat.web.forms import VersionedForm

RECORD = {"type": "object", "description": _("The record's fields, as in the page's form, with its id, when and "
                                             "by whom it was recorded."), "additionalProperties": True}
RECORD_LIST = {"type": "array", "items": RECORD}
FILE_TYPES = [content_type for _magic, content_type, _endings in SIGNATURES]


class CaseDocumentSerializer(serializers.Serializer):
    """A document of a case, without its content."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    filename = serializers.CharField()
    content_type = serializers.ChoiceField(choices=FILE_TYPES)
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    url = serializers.URLField(help_text=_("Where to download it."))


class OffenderCountSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    investigated = serializers.IntegerField()
    prosecuted = serializers.IntegerField()
    convicted = serializers.IntegerField()
    acquitted = serializers.IntegerField()


KIND = OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=sorted(RECORD_KINDS),
                        description=_("The kind of record."))


def _user(request: Request) -> User:
    return cast(User, request.user)


def form_data(body: Any) -> dict[str, Any]:
    """A JSON body as a form reads it: single values only (text, number, true or false)."""
    if not isinstance(body, dict):
        raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [_("Send an object of fields.")]})
    wrong = [name for name, value in body.items() if isinstance(value, list | dict)]
    if wrong:
        raise ValidationError({name: [_("Give a single value.")] for name in wrong})
    return {name: value if isinstance(value, bool) else "" if value is None else str(value)
            for name, value in body.items()}


def form_errors(*forms: BaseForm) -> ValidationError:
    """Django form errors as the API gives field errors: {field: [messages]}, non_field_errors."""
    errors: dict[str, list[str]] = {}
    for form in forms:
        for name, messages in form.errors.items():
            key = api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name
            errors.setdefault(key, []).extend(str(message) for message in messages)
    return ValidationError(errors)


class CaseRecordsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(operation_id="cases_records_list",
                   summary=_("The records of one kind kept on a case (the read is recorded in the audit trail)."),
                   parameters=[KIND], responses={200: RECORD_LIST})
    def get(self, request: Request, reference: str, kind: str) -> Response:
        case, record_kind = case_for_record(_user(request), reference, kind)
        record_event(actor=_user(request), action=f"case.record.{kind}.read", target_type="case",
                     target_id=str(case.pk), case_reference=case.reference)
        shield = shield_for(_user(request), case)
        records = shield.apply(records_of(record_kind.model, case))
        shield.audit(channel="api")
        return Response([record_values(record_kind, record) for record in records])

    @extend_schema(summary=_("Add a record to a case; give the “version” of the case you read."),
                   parameters=[KIND], request={"application/json": OpenApiTypes.OBJECT}, responses={201: RECORD})
    def post(self, request: Request, reference: str, kind: str) -> Response:
        case, record_kind = case_for_record(_user(request), reference, kind)
        data = form_data(request.data)
        if record_kind.initial is not None:
            # A new version keeps a sensitive part the user may not read as it is; writing it is refused.
            hidden = shield_for(_user(request), case).hidden_fields(record_kind.model(case=case))
            if sent := [name for name in hidden if data.get(name)]:
                raise ValidationError({name: [restricted_text(hidden[name])] for name in sent})
        version = VersionedForm(data)
        form = record_kind.form(data, case=case)
        if not (version.is_valid() and form.is_valid()):
            raise form_errors(version, form)
        record = record_add(kind=record_kind, case=case, form=form, by=_user(request),
                            expected_version=version.cleaned_data["version"])
        shield_for(_user(request), case).apply([record])
        return Response(record_values(record_kind, record), status=status.HTTP_201_CREATED)


def document_data(request: Request, document: CaseDocument) -> dict[str, Any]:
    return {"id": document.pk, "kind": document.kind, "filename": document.filename,
            "content_type": document.content_type, "size": document.size, "uploaded_at": document.uploaded_at,
            "url": reverse("api-case-document", args=[document.case.reference, document.pk], request=request)}


class CaseDocumentsView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(operation_id="cases_documents_list", summary=_("The documents of a case, without their content."),
                   responses={200: CaseDocumentSerializer(many=True)})
    def get(self, request: Request, reference: str) -> Response:
        case = case_for_documents(viewer=_user(request), reference=reference)
        shield = shield_for(_user(request), case)
        documents = shield.apply(documents_of(case))
        shield.audit(channel="api")
        return Response([document_data(request, document) for document in documents])

    @extend_schema(summary=_("Attach a PDF, PNG or JPEG file (multipart: version, kind, file)."),
                   request={"multipart/form-data": {"type": "object", "properties": {
                       "version": {"type": "integer"}, "kind": {"type": "string", "enum": DocumentKind.values},
                       "file": {"type": "string", "format": "binary"}}, "required": ["version", "kind", "file"]}},
                   responses={201: CaseDocumentSerializer})
    def post(self, request: Request, reference: str) -> Response:
        case = case_for_documents(viewer=_user(request), reference=reference)
        form = DocumentForm(request.data, request.FILES)
        if not form.is_valid():
            raise form_errors(form)
        try:
            document = document_attach(case=case, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"],
                                       by=_user(request), expected_version=form.cleaned_data["version"])
        except UploadRefused as exc:
            raise ValidationError({"file": [str(exc)]}) from exc
        return Response(document_data(request, document), status=status.HTTP_201_CREATED)


class CaseDocumentView(APIView):
    @extend_schema(summary=_("Download a document (the download is recorded in the audit trail)."),
                   responses={(200, content_type): OpenApiTypes.BINARY for content_type in FILE_TYPES})
    def get(self, request: Request, reference: str, document_id: int) -> HttpResponse:
        document = document_of_case(viewer=_user(request), reference=reference, document_id=document_id)
        return attachment_response(document, document_content(document=document, by=_user(request)))


class OffenderStatisticsView(APIView):
    @extend_schema(summary=_("Suspected offenders per year and status, without identities (analysts, "
                             "coordinators, justice users)."),
                   responses={200: OffenderCountSerializer(many=True)})
    def get(self, request: Request) -> Response:
        counts = offender_counts(viewer=_user(request))
        return Response([{"year": year, **by_status} for year, by_status in counts.items()])
