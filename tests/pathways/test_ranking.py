from __future__ import annotations

from masarat.directory.vocabulary import Audience, ServiceKind
from masarat.organisations.models import AgencyKind
from masarat.organisations.regions import Region
from masarat.pathways.ranking import suggest
from tests.factories import make_agency, make_service


def _agency(name, region=Region.RABAT_SALE_KENITRA):
    return make_agency(kind=AgencyKind.SHELTER, region=region, name=name)


def test_ranking_eligible_then_free_place_then_region_then_language(presumed_case):
    """Aminata: a woman of 31 from Guinea in Rabat-Salé-Kénitra, who speaks French."""
    fes = Region.FES_MEKNES
    make_service(provider=_agency("Men only"), name="Men only", audience=Audience.MEN)
    make_service(provider=_agency("Full Rabat"), name="Full Rabat", capacity_free=0)
    make_service(provider=_agency("Fes French", fes), name="Fes French", region=fes, languages=("fr",))
    make_service(provider=_agency("Rabat Arabic"), name="Rabat Arabic", languages=("ar",), capacity_free=9)
    make_service(provider=_agency("Rabat French"), name="Rabat French", languages=("fr",), capacity_free=1)
    make_service(provider=_agency("Legal"), name="Legal", kind=ServiceKind.LEGAL_AID)

    ranked = suggest(presumed_case, ServiceKind.EMERGENCY_SHELTER)

    assert [item.service.name for item in ranked] == ["Rabat French", "Rabat Arabic", "Fes French", "Full Rabat"]
    first, _second, third, last = ranked
    assert first.reasons[0].startswith("takes this person")
    assert "1 free place" in first.reasons[1]
    assert "same region" in first.reasons and "speaks French" in first.reasons
    assert "no language in common with the person" in ranked[1].reasons
    assert any(reason.startswith("in another region") for reason in third.reasons)
    assert last.reasons[1].startswith("no free place")


def test_providers_already_asked_are_left_out(presumed_case):
    asked = make_service(provider=_agency("Asked"), name="Asked")
    other = make_service(provider=_agency("Other"), name="Other")
    ranked = suggest(presumed_case, ServiceKind.EMERGENCY_SHELTER, exclude_providers=[asked.provider_id])
    assert [item.service for item in ranked] == [other]
