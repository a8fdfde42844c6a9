"""Web download of a case as HTCDS 2.0, and the API endpoints (export and import)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from masarat.access import policy
from masarat.accounts.models import User
from masarat.api.views import MayReferOnPost
from masarat.cases.models import Case
from masarat.consent.services import ConsentMissing
from masarat.htcds.services import HtcdsInvalid, case_export, case_import, document_dumps
from masarat.web.http import AuthenticatedRequest


def _case(user: User, reference: str) -> Case:
    case = Case.objects.filter(reference=reference).select_related("person", "referring_agency").first()
    if case is None or not policy.can_exchange_case(user, case):
        raise Http404
    return case


@login_required
def download(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request.user, reference)
    try:
        document = case_export(case=case, by=request.user)
    except ConsentMissing as missing:
        messages.error(request, str(missing))
        return redirect("case", reference=case.reference)
    response = HttpResponse(document_dumps(document), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="htcds-{case.reference}.json"'
    return response


class CaseHtcdsView(APIView):
    @extend_schema(summary=_("A case as an HTCDS 2.0 document (coordinators who may open the file; audited)."),
                   responses={200: OpenApiTypes.OBJECT, 404: OpenApiResponse(description=_("Not found.")),
                              409: OpenApiResponse(description=_("No consent in force to transfer the case."))})
    def get(self, request: Request, reference: str) -> Response:
        user = cast(User, request.user)
        try:
            return Response(case_export(case=_case(user, reference), by=user))
        except ConsentMissing as missing:
            return Response({"detail": str(missing)}, status=status.HTTP_409_CONFLICT)


class HtcdsImportView(APIView):
    permission_classes = [permissions.IsAuthenticated, MayReferOnPost]
    parser_classes = [JSONParser]

    @extend_schema(
        summary=_("Refer a person from an HTCDS 2.0 document (frontline responders and coordinators)."),
        request=OpenApiTypes.OBJECT,
        responses={201: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 403: OpenApiResponse(description=_("Refused."))},
    )
    def post(self, request: Request) -> Response:
        try:
            case, not_kept = case_import(document=request.data, by=cast(User, request.user))
        except HtcdsInvalid as error:
            return Response(error.errors, status=status.HTTP_400_BAD_REQUEST)
        body: dict[str, Any] = {"reference": case.reference, "not_kept": not_kept}
        return Response(body, status=status.HTTP_201_CREATED)
