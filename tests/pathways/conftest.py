"""A presumed victim in Rabat (Bob's region), providers in Rabat and Tanger, a shelter user (Sami)."""

from __future__ import annotations

import pytest
from django.utils import translation

from masarat.cases.models import Case
from masarat.cases.services import decision_record
from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentPurpose
from masarat.directory.models import Service
from masarat.directory.vocabulary import Audience, ServiceKind
from masarat.organisations.models import AgencyKind
from masarat.organisations.regions import Region
from tests.factories import make_agency, make_service


@pytest.fixture
def presumed_case(alice, bob) -> Case:
    """Aminata Diallo (Guinea, French, 31), forced labour, presumed a victim by Bob."""
    from tests.factories import make_case

    case = make_case(by=alice)
    decision_record(case=case, stage="preliminary", outcome="positive", reasons="Strong indicators.", by=bob,
                    expected_version=None)
    case.refresh_from_db()
    return case


@pytest.fixture
def consented_case(presumed_case, bob) -> Case:
    consent_record(case=presumed_case, purpose=ConsentPurpose.SERVICE_REFERRAL, given_by="person", by=bob)
    return presumed_case


@pytest.fixture
def rabat_shelter(service_provider) -> Service:
    return make_service(provider=service_provider.agency, name="Foyer Rabat femmes", audience=Audience.WOMEN,
                        min_age=18, capacity_free=2)


@pytest.fixture
def tanger_shelter(db) -> Service:
    agency = make_agency(kind=AgencyKind.SHELTER, region=Region.TANGER_TETOUAN_AL_HOCEIMA, name="Foyer Tanger")
    return make_service(provider=agency, name="Foyer Tanger", region=Region.TANGER_TETOUAN_AL_HOCEIMA,
                        city="Tanger", capacity_free=5)


@pytest.fixture
def emergency_referral(consented_case):
    return consented_case.service_referrals.get(kind=ServiceKind.EMERGENCY_SHELTER)


@pytest.fixture(autouse=True)
def _in_english(client):
    """These tests read the interface's English source texts."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
