"""The pathway lists run a fixed number of queries, however many referrals or services they show."""

from __future__ import annotations

from django.urls import reverse

from masarat.consent.services import consent_record
from masarat.directory.vocabulary import ServiceKind
from masarat.pathways import services
from tests.factories import make_case, make_service
from tests.web.test_query_counts import count_queries


def _presumed_and_sent(alice, bob, service):
    from masarat.cases.services import decision_record

    case = make_case(by=alice)
    decision_record(case=case, stage="preliminary", outcome="positive", reasons="Yes.", by=bob,
                    expected_version=None)
    consent_record(case=case, purpose="service_referral", given_by="person", by=bob)
    proposal = case.service_referrals.get(kind=ServiceKind.EMERGENCY_SHELTER)
    services.referral_send(referral=proposal, service=service, by=bob, note="Nearest.")


def test_the_provider_inbox_and_the_service_referrals_do_not_grow(client, alice, bob, service_provider):
    shelter = make_service(provider=service_provider.agency)
    _presumed_and_sent(alice, bob, shelter)
    client.force_login(service_provider)
    inbox_few = count_queries(client, reverse("provider-inbox"))
    client.force_login(bob)
    scope_few = count_queries(client, reverse("service-referrals"))
    for _ in range(6):
        _presumed_and_sent(alice, bob, shelter)
    client.force_login(service_provider)
    assert count_queries(client, reverse("provider-inbox")) == inbox_few
    client.force_login(bob)
    assert count_queries(client, reverse("service-referrals")) == scope_few


def test_the_directory_does_not_grow(client, alice, service_provider):
    make_service(provider=service_provider.agency)
    client.force_login(alice)
    few = count_queries(client, reverse("directory"))
    for _ in range(10):
        make_service(provider=service_provider.agency, languages=("fr", "ar", "en"))
    assert count_queries(client, reverse("directory")) == few
