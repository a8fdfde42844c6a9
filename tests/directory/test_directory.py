from __future__ import annotations

import pytest
from django.urls import reverse

from masarat.audit.models import AuditEvent
from masarat.directory.selectors import ServiceFilters, service_search
from masarat.directory.services import CapacityRefused, service_capacity_update
from masarat.directory.vocabulary import ServiceKind
from masarat.organisations.models import AgencyKind
from masarat.organisations.regions import Region
from tests.factories import make_agency, make_service


@pytest.fixture
def services(service_provider):
    tanger = make_agency(kind=AgencyKind.NGO, region=Region.TANGER_TETOUAN_AL_HOCEIMA, name="ONG juridique")
    return {
        "shelter": make_service(provider=service_provider.agency, name="Foyer", capacity_free=0),
        "legal": make_service(provider=tanger, kind=ServiceKind.LEGAL_AID, name="Aide juridique Tanger",
                              city="Tanger", capacity_total=None, capacity_free=None, languages=("es",)),
        "child": make_service(provider=service_provider.agency, name="Enfants", max_age=17),
    }


def test_search_filters(services):
    def names(**filters):
        return {service.name for service in service_search(ServiceFilters(**filters))}

    assert names() == {"Foyer", "Aide juridique Tanger", "Enfants"}
    assert names(kind=ServiceKind.LEGAL_AID) == {"Aide juridique Tanger"}
    assert names(region=Region.RABAT_SALE_KENITRA) == {"Foyer", "Enfants"}
    assert names(language="es") == {"Aide juridique Tanger"}
    assert names(with_free_places=True) == {"Aide juridique Tanger", "Enfants"}
    assert names(age=30) == {"Foyer", "Aide juridique Tanger"}
    assert names(city="tang") == {"Aide juridique Tanger"}


def test_the_providers_own_user_updates_free_places_audited(services, service_provider):
    service_capacity_update(service=services["shelter"], free=4, by=service_provider)
    services["shelter"].refresh_from_db()
    assert services["shelter"].capacity_free == 4 and services["shelter"].capacity_updated_by == service_provider
    event = AuditEvent.objects.get(action="directory.capacity")
    assert event.details == {"from": 0, "to": 4} and event.actor == service_provider


def test_no_one_else_updates_free_places(services, service_provider, bob):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        service_capacity_update(service=services["shelter"], free=4, by=bob)
    with pytest.raises(PermissionDenied):  # a provider user, but of another agency
        service_capacity_update(service=services["legal"], free=1, by=service_provider)
    with pytest.raises(CapacityRefused):
        service_capacity_update(service=services["shelter"], free=11, by=service_provider)


def test_directory_pages(client, services, alice, service_provider):
    client.force_login(alice)
    page = client.get(reverse("directory"), {"kind": ServiceKind.LEGAL_AID})
    assert "Aide juridique Tanger" in page.content.decode() and "Foyer" not in page.content.decode()
    detail = client.get(reverse("directory-service", args=[services["shelter"].pk]))
    assert detail.status_code == 200 and 'name="free"' not in detail.content.decode()
    assert client.post(reverse("directory-service", args=[services["shelter"].pk]), {"free": 2}).status_code == 403
    client.force_login(service_provider)
    response = client.post(reverse("directory-service", args=[services["shelter"].pk]), {"free": 2})
    assert response.status_code == 302
    services["shelter"].refresh_from_db()
    assert services["shelter"].capacity_free == 2


def test_the_provider_edits_its_own_entry_audited(client, services, service_provider, alice):
    url = reverse("directory-service-edit", args=[services["shelter"].pk])
    client.force_login(alice)
    assert client.get(url).status_code == 403
    client.force_login(service_provider)
    assert client.get(url).status_code == 200
    data = {"name": "Foyer", "city": "Salé", "opening_hours": "24h/24", "contact_phone": "", "contact_email": "",
            "audience": "women", "min_age": 18, "max_age": 10, "nationality_rule": "any", "capacity_total": 10,
            "languages": ["fr"]}
    assert client.post(url, data).status_code == 400  # maximum age below the minimum
    data["max_age"] = ""
    assert client.post(url, data).status_code == 302
    shelter = services["shelter"]
    shelter.refresh_from_db()
    assert (shelter.city, shelter.audience, shelter.language_codes) == ("Salé", "women", ["fr"])
    event = AuditEvent.objects.filter(action="directory.update").latest("sequence")
    assert event.details["fields"] == ["audience", "city", "languages", "min_age", "opening_hours"]
    other = services["legal"]  # another agency's service
    assert client.get(reverse("directory-service-edit", args=[other.pk])).status_code == 403
