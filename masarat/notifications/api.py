"""The user's own notifications in the API: list (unread first) and mark read. Same rules as the inbox."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from masarat.access import policy
from masarat.accounts.models import User
from masarat.notifications import selectors, services
from masarat.notifications.models import Notification


def _user(request: Request) -> User:
    user = cast(User, request.user)
    if not policy.can_use_inbox(user):
        raise Http404
    return user


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.SerializerMethodField(help_text=_("The notification in your language (no name, ever)."))
    link = serializers.SerializerMethodField(help_text=_("The web page it points to."))
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "reference", "params", "text", "link", "created_at", "read", "read_at"]

    def get_text(self, notification: Notification) -> str:
        return selectors.describe(notification)

    def get_link(self, notification: Notification) -> str:
        return selectors.link(notification)

    def get_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class NotificationFiltersSerializer(serializers.Serializer):
    unread = serializers.BooleanField(required=False, default=False, help_text=_("true: only unread ones."))


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False,
                                default=list, max_length=500,
                                help_text=_("Your notifications to mark read."))
    all = serializers.BooleanField(required=False, default=False, help_text=_("true: mark every one read."))


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class NotificationPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


@extend_schema_view(get=extend_schema(summary=_("Your notifications, unread first."),
                                      parameters=[NotificationFiltersSerializer]))
class NotificationListView(generics.ListAPIView):
    serializer_class = NotificationSerializer
    pagination_class = NotificationPagination

    def get_queryset(self) -> Any:
        filters = NotificationFiltersSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.inbox(viewer=_user(self.request), unread_only=filters.validated_data["unread"])


class NotificationReadView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(summary=_("Mark some (or all) of your notifications read."), request=MarkReadSerializer,
                   responses={200: MarkedSerializer, 404: OpenApiResponse(description=_("Not found."))})
    def post(self, request: Request) -> Response:
        user = _user(request)
        given = MarkReadSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if given.validated_data["all"]:
            marked = services.mark_all_read(user=user)
        else:
            marked = services.mark_read(user=user, ids=given.validated_data["ids"])
        return Response({"marked": marked, "unread": selectors.unread_count(viewer=user)})
