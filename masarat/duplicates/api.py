"""The possible duplicates of a case's person in the API, and the coordinator's answers (same rules as the web)."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from masarat.access import policy
from masarat.accounts.models import User
from masarat.api.serializers import DetailSerializer
from masarat.cases.models import Case
from masarat.cases.selectors import case_file
from masarat.duplicates import services
from masarat.duplicates.labels import describe
from masarat.duplicates.models import DuplicateCheck, PersonLink
from masarat.people.models import Person

_NOT_FOUND = OpenApiResponse(DetailSerializer, description=_("Not found, or outside your scope."))
_REFUSED = OpenApiResponse(DetailSerializer, description=_("Your role does not allow this action."))
_CONFLICT = OpenApiResponse(DetailSerializer, description=_("Refused: the message says why."))


class ReasonSerializer(serializers.Serializer):
    field = serializers.CharField()
    outcome = serializers.CharField()
    weight = serializers.FloatField(help_text=_("In bits: positive when the field agrees."))
    field_label = serializers.CharField()
    outcome_label = serializers.CharField()


class CandidateSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    given_name_latin = serializers.CharField()
    family_name_latin = serializers.CharField()
    given_name_arabic = serializers.CharField()
    family_name_arabic = serializers.CharField()
    cases = serializers.ListField(child=serializers.CharField())
    score = serializers.FloatField(help_text=_("Probability of being the same person, 0 to 1."))
    reasons = ReasonSerializer(many=True)


class LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kept = serializers.IntegerField()
    merged = serializers.IntegerField()
    moved_cases = serializers.ListField(child=serializers.CharField())
    automatic = serializers.BooleanField()
    linked_at = serializers.DateTimeField()
    unlinked_at = serializers.DateTimeField(allow_null=True)


class DuplicatesSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    checked_at = serializers.DateTimeField(allow_null=True, help_text=_(
        "When the person was last compared with every other person; persons referred since were compared "
        "with them when they were referred."))
    candidates = CandidateSerializer(many=True)
    links = LinkSerializer(many=True)
    other_cases = serializers.ListField(child=serializers.CharField())


class PersonInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(help_text=_("The candidate person, as listed."))


class NotSameSerializer(serializers.Serializer):
    first = serializers.IntegerField()
    second = serializers.IntegerField()


def _link_data(link: PersonLink) -> dict[str, Any]:
    references = Case.objects.filter(pk__in=link.moved_case_ids).order_by("pk").values_list("reference", flat=True)
    return {"id": link.pk, "kept": link.kept_id, "merged": link.merged_id, "moved_cases": list(references),
            "automatic": link.automatic, "linked_at": link.linked_at, "unlinked_at": link.unlinked_at}


class _DuplicatesView(APIView):
    parser_classes = [JSONParser]

    def case(self, request: Request, reference: str) -> tuple[User, Case]:
        user = cast(User, request.user)
        case = case_file(viewer=user, reference=reference)
        policy.require(policy.can_review_duplicates(user, case))
        return user, case

    def other(self, request: Request, case: Case) -> Person:
        given = PersonInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if given.validated_data["person"] == case.person_id:
            raise Http404
        return get_object_or_404(Person, pk=given.validated_data["person"])


class CaseDuplicatesView(_DuplicatesView):
    @extend_schema(summary=_("Persons who may be the person of this case, with score and reasons (coordinators; "
                             "the read is recorded in the audit trail)."),
                   responses={200: DuplicatesSerializer, 403: _REFUSED, 404: _NOT_FOUND})
    def get(self, request: Request, reference: str) -> Response:
        user, case = self.case(request, reference)
        return Response(duplicates_data(case, user))


def duplicates_data(case: Case, user: User) -> dict[str, Any]:
    context = services.case_page_context(case=case, viewer=user)
    check = cast(DuplicateCheck | None, context["duplicates_check"])
    data = {
        "person": case.person_id,
        "checked_at": check.checked_at if check is not None else None,
        "candidates": [{
            "person": proposal.person.pk,
            "given_name_latin": proposal.person.given_name_latin,
            "family_name_latin": proposal.person.family_name_latin,
            "given_name_arabic": proposal.person.given_name_arabic,
            "family_name_arabic": proposal.person.family_name_arabic,
            "cases": [other.reference for other in proposal.cases],
            "score": round(proposal.score, 4),
            "reasons": [describe(reason) for reason in proposal.reasons],
        } for proposal in cast(list[services.Proposal], context["duplicates"])],
        "links": [_link_data(link) for link in cast(list[PersonLink], context["person_links"])],
        "other_cases": [other.reference for other in cast(list[Case], context["other_cases"])],
    }
    return cast(dict[str, Any], DuplicatesSerializer(data).data)


class CaseDuplicateCheckView(_DuplicatesView):
    @extend_schema(summary=_("Compare the person of this case with every other person now, and list the persons "
                             "who may be the same (coordinators; recorded in the audit trail)."),
                   request=None, responses={200: DuplicatesSerializer, 403: _REFUSED, 404: _NOT_FOUND})
    def post(self, request: Request, reference: str) -> Response:
        user, case = self.case(request, reference)
        services.case_check_again(case=case, by=user)
        return Response(duplicates_data(case, user))


class CaseDuplicateLinkView(_DuplicatesView):
    @extend_schema(summary=_("The candidate is the same person: the cases are linked to one person (reversible)."),
                   request=PersonInputSerializer,
                   responses={201: LinkSerializer, 403: _REFUSED, 404: _NOT_FOUND, 409: _CONFLICT})
    def post(self, request: Request, reference: str) -> Response:
        user, case = self.case(request, reference)
        assert case.person is not None
        link = services.persons_link(first=case.person, second=self.other(request, case), by=user)
        return Response(LinkSerializer(_link_data(link)).data, status=status.HTTP_201_CREATED)


class CaseDuplicateNotSameView(_DuplicatesView):
    @extend_schema(summary=_("The candidate is not the same person: the pair is never proposed again."),
                   request=PersonInputSerializer,
                   responses={201: NotSameSerializer, 403: _REFUSED, 404: _NOT_FOUND, 409: _CONFLICT})
    def post(self, request: Request, reference: str) -> Response:
        user, case = self.case(request, reference)
        assert case.person is not None
        pair = services.pair_mark_not_same(first=case.person, second=self.other(request, case), by=user)
        return Response({"first": pair.first_id, "second": pair.second_id}, status=status.HTTP_201_CREATED)


class CaseDuplicateUnlinkView(_DuplicatesView):
    @extend_schema(summary=_("Undo a link: each person gets back the cases they had before it."), request=None,
                   responses={200: LinkSerializer, 403: _REFUSED, 404: _NOT_FOUND, 409: _CONFLICT})
    def post(self, request: Request, reference: str, link_id: int) -> Response:
        user, case = self.case(request, reference)
        link = get_object_or_404(PersonLink, pk=link_id, kept_id=case.person_id)
        return Response(LinkSerializer(_link_data(services.link_undo(link=link, by=user))).data)
