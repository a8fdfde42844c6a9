"""API for partners: directory search and free places; a provider's service referrals."""

from __future__ import annotations

import pytest

from masarat.directory.vocabulary import ServiceKind
from masarat.pathways import services
from tests.api import client_for

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/directory/services/"
REFERRALS = "/api/v1/service-referrals/"


@pytest.fixture
def sent(emergency_referral, rabat_shelter, bob):
    return services.referral_send(referral=emergency_referral, service=rabat_shelter, by=bob)


def test_directory_search_with_filters(rabat_shelter, tanger_shelter, alice, analyst):
    response = client_for(alice).get(SERVICES, {"region": "MA-01"})
    assert response.status_code == 200
    assert [item["name"] for item in response.json()["results"]] == ["Foyer Tanger"]
    assert response.json()["results"][0]["languages"] == ["fr", "ar"]
    assert client_for(alice).get(SERVICES, {"kind": "nonsense"}).status_code == 400
    assert client_for(analyst).get(SERVICES).status_code == 404


def test_only_the_providers_user_updates_free_places(rabat_shelter, service_provider, bob):
    url = f"{SERVICES}{rabat_shelter.pk}/capacity/"
    assert client_for(bob).post(url, {"free": 1}, format="json").status_code == 403
    response = client_for(service_provider).post(url, {"free": 1}, format="json")
    assert response.status_code == 200 and response.json()["capacity_free"] == 1
    assert client_for(service_provider).post(url, {"free": 99}, format="json").status_code == 409


def test_the_provider_lists_and_reads_only_the_permitted_fields(sent, service_provider):
    body = client_for(service_provider).get(REFERRALS).json()
    assert [item["id"] for item in body["results"]] == [sent.pk]
    detail = client_for(service_provider).get(f"{REFERRALS}{sent.pk}/").json()
    assert {item["code"] for item in detail["shared"]} == {"given_name", "sex", "age", "languages", "urgent_needs"}
    assert "Diallo" not in str(detail) and "circumstances" not in str(detail)
    assert detail["deadline"] == "due_this_week" and detail["sharing_allowed"] is True


@pytest.mark.parametrize("outsider", ["bob", "alice", "case_manager", "analyst"])
def test_others_get_nothing(request, sent, outsider):
    user = request.getfixturevalue(outsider)
    assert client_for(user).get(REFERRALS).json()["results"] == []
    assert client_for(user).get(f"{REFERRALS}{sent.pk}/").status_code == 404
    assert client_for(user).post(f"{REFERRALS}{sent.pk}/accept/", {"version": sent.version},
                                 format="json").status_code == 404


def test_accept_then_delivery_and_stale_versions(sent, service_provider):
    client = client_for(service_provider)
    assert client.post(f"{REFERRALS}{sent.pk}/accept/", {"version": sent.version + 5}, format="json"
                       ).status_code == 409
    accepted = client.post(f"{REFERRALS}{sent.pk}/accept/", {"version": sent.version}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    # Answered already: accepting again is not allowed.
    again = client.post(f"{REFERRALS}{sent.pk}/accept/", {"version": accepted.json()["version"]}, format="json")
    assert again.status_code == 403
    delivered = client.post(f"{REFERRALS}{sent.pk}/delivery/", {"version": accepted.json()["version"],
                                                                "outcome": "completed", "note": "Five nights."},
                            format="json")
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"


def test_decline_needs_a_reason_and_escalates(sent, service_provider, tanger_shelter):
    client = client_for(service_provider)
    assert client.post(f"{REFERRALS}{sent.pk}/decline/", {"version": sent.version}, format="json"
                       ).status_code == 400
    response = client.post(f"{REFERRALS}{sent.pk}/decline/", {"version": sent.version, "reason": "Full."},
                           format="json")
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == "declined" and sent.next_suggestion == tanger_shelter
    assert sent.kind == ServiceKind.EMERGENCY_SHELTER


def test_the_api_inbox_does_not_grow_with_the_referrals(alice, bob, service_provider, rabat_shelter):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.pathways.test_query_counts import _presumed_and_sent

    client = client_for(service_provider)
    _presumed_and_sent(alice, bob, rabat_shelter)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(REFERRALS).status_code == 200
        return len(captured)

    count()  # the first request of a token also records when it was first used
    few = count()
    for _ in range(5):
        _presumed_and_sent(alice, bob, rabat_shelter)
    assert count() == few
