"""Helpers of the notification tests: a service referral sent to Sami's shelter, and who got what."""

from __future__ import annotations

import pytest

from masarat.accounts.models import User
from masarat.cases import services as case_services
from masarat.cases.models import Case
from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentPurpose
from masarat.notifications.models import Notification
from masarat.pathways.models import ServiceReferral
from masarat.pathways.services import pathway_add_service, referral_send
from tests.factories import make_service


def told(kind: str) -> set[str]:
    """Usernames of everyone who got a notification of this kind."""
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def assigned_case(alice_case: Case, bob: User, case_manager: User) -> Case:
    """Alice's referral, assigned to Bob (coordinator) and Carla (case manager), consent recorded."""
    case_services.case_assign_coordinator(case=alice_case, coordinator=bob, by=bob, expected_version=None)
    case_services.case_assign_case_manager(case=alice_case, case_manager=case_manager, by=bob, expected_version=None)
    consent_record(case=alice_case, purpose=ConsentPurpose.SERVICE_REFERRAL, given_by="person", by=bob)
    consent_record(case=alice_case, purpose=ConsentPurpose.CASE_TRANSFER, given_by="person", by=bob)
    alice_case.refresh_from_db()
    return alice_case


@pytest.fixture
def sent_referral(assigned_case: Case, bob: User, service_provider: User) -> ServiceReferral:
    service = make_service(provider=service_provider.agency)
    referral = pathway_add_service(case=assigned_case, kind=service.kind, by=bob)
    return referral_send(referral=referral, service=service, by=bob)
