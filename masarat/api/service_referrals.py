"""API for partners: the services directory (search, free places) and the service referrals a
provider receives (read the minimum its service needs, accept, decline, record the delivery).

Same access policy as the web pages: a referral outside the provider's agency is 404; an answer
the provider may not give now is 403; a refused or stale change is 409 (``masarat.api.errors``)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, cast

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.directory.models import Service
from masarat.directory.selectors import ServiceFilters, service_search
from masarat.directory.services import service_capacity_update
from masarat.directory.vocabulary import ServiceKind
from masarat.organisations.regions import Region
from masarat.pathways import selectors, services
from masarat.pathways.models import ServiceReferral
from masarat.pathways.vocabulary import Outcome, ReferralStatus
from masarat.people.vocabulary import Language

_NOT_FOUND = OpenApiResponse(description=_("Not found, or outside your scope."))
_REFUSED = OpenApiResponse(description=_("Your role does not allow this action now."))
_CONFLICT = OpenApiResponse(description=_("Refused by the rules, or the referral changed since the given version."))


def _user(request: Request) -> User:
    return cast(User, request.user)


# --- Directory ----------------------------------------------------------------------------------

class ServiceSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.name", read_only=True)
    languages = serializers.SerializerMethodField()

    class Meta:
        model = Service
        fields = ["id", "kind", "name", "provider", "region", "city", "languages", "audience", "min_age", "max_age",
                  "nationality_rule", "exploitation_forms", "opening_hours", "contact_phone", "contact_email",
                  "capacity_total", "capacity_free", "capacity_updated_at"]

    def get_languages(self, service: Service) -> list[str]:
        return service.language_codes


class ServiceFiltersSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ServiceKind.choices, required=False, allow_blank=True, default="")
    region = serializers.ChoiceField(choices=Region.choices, required=False, allow_blank=True, default="")
    city = serializers.CharField(required=False, allow_blank=True, default="")
    language = serializers.ChoiceField(choices=Language.choices, required=False, allow_blank=True, default="")
    age = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=0, max_value=120)
    free = serializers.BooleanField(source="with_free_places", required=False, default=False,
                                    help_text=_("true: only services with a free place (or not counted)."))
    q = serializers.CharField(source="search", required=False, allow_blank=True, default="")


class CapacitySerializer(serializers.Serializer):
    free = serializers.IntegerField(min_value=0)


def _require_directory(request: Request) -> None:
    from django.http import Http404

    if not policy.can_search_directory(_user(request)):
        raise Http404


@extend_schema_view(get=extend_schema(summary=_("Search the services directory."),
                                      parameters=[ServiceFiltersSerializer]))
class ServiceListView(generics.ListAPIView):
    serializer_class = ServiceSerializer

    def get_queryset(self) -> Any:
        _require_directory(self.request)
        filters = ServiceFiltersSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return service_search(ServiceFilters(**filters.validated_data))


class ServiceCapacityView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary=_("Update the free places of one of your agency's services."),
                   request=CapacitySerializer, responses={200: ServiceSerializer, 403: _REFUSED, 404: _NOT_FOUND})
    def post(self, request: Request, pk: int) -> Response:
        _require_directory(request)
        service = get_object_or_404(service_search(ServiceFilters()), pk=pk)
        policy.require(policy.can_edit_service(_user(request), service))
        given = CapacitySerializer(data=request.data)
        given.is_valid(raise_exception=True)
        service = service_capacity_update(service=service, free=given.validated_data["free"], by=_user(request))
        return Response(ServiceSerializer(service).data)


# --- Service referrals received -------------------------------------------------------------------

class SharedItemSerializer(serializers.Serializer):
    code = serializers.CharField(source="field")
    name = serializers.CharField(source="label", help_text=_("The field's name in your language."))
    value = serializers.CharField()


class ServiceReferralSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    service = serializers.IntegerField(source="service_id", read_only=True)
    deadline = serializers.SerializerMethodField(help_text=_("“overdue”, “due_this_week” or empty."))
    sharing_allowed = serializers.SerializerMethodField(
        help_text=_("False once consent is withdrawn: the fields are then no longer given."))
    shared = serializers.SerializerMethodField(help_text=_("Only the fields this service needs."))

    class Meta:
        model = ServiceReferral
        fields = ["id", "case_reference", "kind", "service", "status", "sent_at", "response_due_at", "deadline",
                  "responded_at", "decline_reason", "delivered_at", "outcome", "delivery_note", "sharing_allowed",
                  "shared", "version"]

    def get_deadline(self, referral: ServiceReferral) -> str:
        return selectors.answer_flag(referral)

    def get_sharing_allowed(self, referral: ServiceReferral) -> bool:
        return selectors.sharing_allowed(referral)

    @extend_schema_field(SharedItemSerializer(many=True))
    def get_shared(self, referral: ServiceReferral) -> list[dict[str, str]]:
        return [dict(SharedItemSerializer(item).data) for item in selectors.shared_record(referral)]


class InboxFiltersSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReferralStatus.choices, required=False, allow_blank=True, default="")
    deadline = serializers.ChoiceField(choices=[selectors.OVERDUE, selectors.DUE_THIS_WEEK], required=False,
                                       allow_blank=True, default="")


class AnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=_("The version of the referral you read."))


class DeclineSerializer(AnswerSerializer):
    reason = serializers.CharField()


class DeliverySerializer(AnswerSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField()


@extend_schema_view(get=extend_schema(summary=_("Service referrals sent to your agency (providers)."),
                                      parameters=[InboxFiltersSerializer]))
class ServiceReferralListView(generics.ListAPIView):
    serializer_class = ServiceReferralSerializer

    def get_queryset(self) -> Any:
        filters = InboxFiltersSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.provider_inbox(viewer=_user(self.request), status=filters.validated_data["status"],
                                        flag=filters.validated_data["deadline"])

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        record_event(actor=_user(self.request), action="service_referral.list", target_type="service_referral",
                     details={"referrals": [referral.pk for referral in (page if page is not None else queryset)]})
        return page


@extend_schema_view(get=extend_schema(summary=_("One service referral (the read is recorded)."),
                                      responses={200: ServiceReferralSerializer, 404: _NOT_FOUND}))
class ServiceReferralDetailView(generics.RetrieveAPIView):
    serializer_class = ServiceReferralSerializer

    def get_object(self) -> ServiceReferral:
        return selectors.provider_referral(viewer=_user(self.request), pk=self.kwargs["pk"])


class _AnswerView(APIView, ABC):
    """What the three answers of a provider share; each subclass says which service it calls."""

    parser_classes = [JSONParser]
    input_class: type[AnswerSerializer] = AnswerSerializer

    @abstractmethod
    def perform(self, referral: ServiceReferral, data: dict[str, Any], user: User) -> ServiceReferral:
        """Carry out the answer through the pathways service."""

    def post(self, request: Request, pk: int) -> Response:
        referral = selectors.provider_referral(viewer=_user(request), pk=pk)
        given = self.input_class(data=request.data)
        given.is_valid(raise_exception=True)
        referral = self.perform(referral, given.validated_data, _user(request))
        return Response(ServiceReferralSerializer(referral).data, status=status.HTTP_200_OK)


_ANSWER_RESPONSES = {200: ServiceReferralSerializer, 403: _REFUSED, 404: _NOT_FOUND, 409: _CONFLICT}


class ServiceReferralAcceptView(_AnswerView):
    @extend_schema(summary=_("Accept the referral."), request=AnswerSerializer, responses=_ANSWER_RESPONSES)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, referral: ServiceReferral, data: dict[str, Any], user: User) -> ServiceReferral:
        return services.referral_accept(referral=referral, by=user, expected_version=data["version"])


class ServiceReferralDeclineView(_AnswerView):
    input_class = DeclineSerializer

    @extend_schema(summary=_("Decline the referral, with a reason."), request=DeclineSerializer,
                   responses=_ANSWER_RESPONSES)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, referral: ServiceReferral, data: dict[str, Any], user: User) -> ServiceReferral:
        return services.referral_decline(referral=referral, reason=data["reason"], by=user,
                                         expected_version=data["version"])


class ServiceReferralDeliveryView(_AnswerView):
    input_class = DeliverySerializer

    @extend_schema(summary=_("Record what was delivered and the outcome."), request=DeliverySerializer,
                   responses=_ANSWER_RESPONSES)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, referral: ServiceReferral, data: dict[str, Any], user: User) -> ServiceReferral:
        return services.referral_record_delivery(referral=referral, note=data["note"], outcome=data["outcome"],
                                                 by=user, expected_version=data["version"])
