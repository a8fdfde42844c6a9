"""The REST API: thin views over the selectors (which scope every read) and the services (which
hold every rule). Refusals follow ``masarat.api.errors``: an object outside the user's scope is
"not found" (404); an action refused on a collection or on an object the user can see is 403."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, permissions, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from masarat.access import policy
from masarat.accounts.models import User
from masarat.api.pagination import CaseQueuePagination
from masarat.api.serializers import (
    CaseDetailSerializer,
    CaseFiltersSerializer,
    CaseSummaryLines,
    CaseSummarySerializer,
    DecisionInputSerializer,
    DecisionResultSerializer,
    DetailSerializer,
    ReferralCreatedSerializer,
    ReferralInputSerializer,
    ReferralStatusDetailSerializer,
    ReferralStatusSerializer,
    ReviewInputSerializer,
)
from masarat.cases import selectors, services
from masarat.cases.models import Case, Decision
from masarat.cases.selectors import CaseFilters
from masarat.referrals.services import referral_submit
from masarat.sensitive.shield import shield_for

_ERROR = OpenApiResponse(DetailSerializer)
_FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description=_(
    "Field errors: {field: [messages]}, “non_field_errors” for the whole request."
))
_NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("Not found, or outside your scope."))
_REFUSED = OpenApiResponse(DetailSerializer, description=_("Your role does not allow this action."))
_CONFLICT = OpenApiResponse(DetailSerializer, description=_(
    "Refused by the lifecycle or the rules of the mechanism, or the case changed since the given version."
))


def _user(request: Request) -> User:
    return cast(User, request.user)  # IsAuthenticated ran before


class AuditedListMixin:
    """A list shows names: the page served is recorded in the audit trail, as on the web."""

    audit_action = "case.list"

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)  # type: ignore[misc]
        request: Request = self.request  # type: ignore[attr-defined]
        selectors.record_list_read(viewer=_user(request), references=self.references(page),
                                   kind=self.audit_action, filters=dict(request.query_params.items()))
        return page

    def references(self, page: Any) -> Sequence[str]:
        return [case.reference for case in page]


class MayReferOnPost(permissions.BasePermission):
    """Referring is a collection action: a user without a referring role gets 403."""

    message = _("Your role does not allow referring a person to the mechanism.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method != "POST" or policy.can_refer(_user(request))


@extend_schema_view(
    get=extend_schema(summary=_("Referrals you follow: your agency's (frontline) or those in your scope.")),
)
class ReferralListCreateView(AuditedListMixin, generics.ListAPIView):
    audit_action = "referral.list"
    serializer_class = ReferralStatusSerializer
    permission_classes = [permissions.IsAuthenticated, MayReferOnPost]
    parser_classes = [JSONParser]

    def get_queryset(self) -> Any:
        return selectors.referrals_of_agency(viewer=_user(self.request))

    @extend_schema(
        summary=_("Refer a person to the mechanism (frontline responders and coordinators)."),
        request=ReferralInputSerializer,
        parameters=[OpenApiParameter(
            "Idempotency-Key", str, OpenApiParameter.HEADER, required=False,
            description=_("Any unique string chosen by the client (64 characters at most): a retried request "
                          "with the same key returns the referral recorded the first time."),
        )],
        responses={201: ReferralCreatedSerializer, 400: _FIELD_ERRORS, 403: _REFUSED},
    )
    def post(self, request: Request) -> Response:
        given = ReferralInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        case = referral_submit(data=given.to_input(), by=_user(request),
                               submission_key=request.headers.get("Idempotency-Key", ""))
        body = ReferralCreatedSerializer(case, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": body["url"]})


@extend_schema_view(
    get=extend_schema(summary=_("The status of a referral and its history (without the reasons)."),
                      responses={200: ReferralStatusDetailSerializer, 404: _NOT_FOUND}),
)
class ReferralDetailView(generics.RetrieveAPIView):
    serializer_class = ReferralStatusDetailSerializer

    def get_object(self) -> Case:
        return selectors.referral_status(viewer=_user(self.request), reference=self.kwargs["reference"])


@extend_schema_view(
    get=extend_schema(summary=_("The case queue: cases whose file you may open, most urgent first."),
                      parameters=[CaseFiltersSerializer], responses={200: CaseSummarySerializer(many=True),
                                                                     400: _FIELD_ERRORS}),
)
class CaseListView(AuditedListMixin, generics.ListAPIView):
    # The queue is read as lines of values and shaped by ``CaseSummaryLines``, the fast twin of
    # ``CaseSummarySerializer`` (which stays the documented contract). No docstring: it would be the schema's.
    serializer_class = CaseSummarySerializer
    pagination_class = CaseQueuePagination

    def get_queryset(self) -> Any:
        return selectors.case_queue(viewer=_user(self.request), filters=self.filters())

    def filters(self) -> CaseFilters:
        # Without any filter in the query (the usual first page), the defaults are the filters: the
        # serializer, built afresh for each request, would only confirm them.
        if not any(name in self.request.query_params for name in CaseFiltersSerializer._declared_fields):
            return CaseFilters()
        given = CaseFiltersSerializer(data=self.request.query_params)
        given.is_valid(raise_exception=True)
        return CaseFilters(**given.validated_data)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        lines = self.paginate_queryset(self.get_queryset())
        line = CaseSummaryLines()
        return self.get_paginated_response([line(each) for each in lines])

    def references(self, page: Any) -> Sequence[str]:
        return [line["reference"] for line in page]


@extend_schema_view(
    get=extend_schema(summary=_("A case file (the read is recorded in the audit trail)."),
                      responses={200: CaseDetailSerializer, 404: _NOT_FOUND}),
)
class CaseDetailView(generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer

    def get_object(self) -> Case:
        case = selectors.case_file(viewer=_user(self.request), reference=self.kwargs["reference"])
        shield = shield_for(_user(self.request), case)
        referral = getattr(case, "referral", None)
        shield.apply([referral, *(referral.indicators.all() if referral is not None else [])])
        shield.audit(channel="api")
        case.hidden_categories = sorted(shield.hidden)  # type: ignore[attr-defined]
        return case


class CaseActionView(APIView):
    """A change of a case: the case is reached through the policy (404 outside the scope), then the
    user's right to decide is checked (403) before the body is read."""

    parser_classes = [JSONParser]

    def case_to_decide(self, request: Request, reference: str) -> Case:
        user = _user(request)
        case = policy.get_case_or_404(user, Case.objects.all(), reference)
        policy.require(policy.can_decide(user, case))
        return case

    def result(self, decision: Decision, status_code: int) -> Response:
        return Response(DecisionResultSerializer(decision).data, status=status_code)


class DecisionCreateView(CaseActionView):
    @extend_schema(
        summary=_("Record a preliminary or formal identification decision."),
        request=DecisionInputSerializer,
        responses={201: DecisionResultSerializer, 400: _FIELD_ERRORS, 403: _REFUSED, 404: _NOT_FOUND,
                   409: _CONFLICT},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = self.case_to_decide(request, reference)
        given = DecisionInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        decision = services.decision_record(
            case=case, stage=given.validated_data["stage"], outcome=given.validated_data["outcome"],
            reasons=given.validated_data["reasons"], by=_user(request),
            expected_version=given.validated_data["version"],
        )
        return self.result(decision, status.HTTP_201_CREATED)


class DecisionReviewView(CaseActionView):
    @extend_schema(
        summary=_("Second review of a negative decision, by another decision maker."),
        request=ReviewInputSerializer,
        responses={200: DecisionResultSerializer, 400: _FIELD_ERRORS, 403: _REFUSED, 404: _NOT_FOUND,
                   409: _CONFLICT},
    )
    def post(self, request: Request, reference: str, decision_id: int) -> Response:
        case = self.case_to_decide(request, reference)
        decision = case.decisions.filter(pk=decision_id).first()
        if decision is None:
            raise Http404
        given = ReviewInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        decision = services.decision_review(
            decision=decision, confirm=given.validated_data["confirm"],
            reasons=given.validated_data["reasons"], by=_user(request),
            expected_version=given.validated_data["version"],
        )
        return self.result(decision, status.HTTP_200_OK)
