"""Builders of test data. They go through the same services as the product."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from masarat.accounts.models import CoordinationScope, Role, User
from masarat.cases.models import Case
from masarat.directory.models import Service, ServiceLanguage
from masarat.directory.vocabulary import ServiceKind
from masarat.organisations.models import Agency, AgencyKind
from masarat.organisations.regions import Region
from masarat.referrals.services import referral_submit
from masarat.referrals.validation import ReferralInput
from masarat.referrals.vocabulary import Consent

_sequence = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_agency(*, kind: str = AgencyKind.POLICE, region: str = Region.RABAT_SALE_KENITRA, name: str = "") -> Agency:
    return Agency.objects.create(name=name or f"Agency {next(_sequence)}", kind=kind, region=region)


def make_user(
    *, role: str, agency: Agency | None = None, username: str = "", scope: str = "", **fields: Any
) -> User:
    if agency is None:
        agency = make_agency()
    if role == Role.COORDINATOR and not scope:
        scope = CoordinationScope.REGIONAL
    user = User(
        username=username or f"user{next(_sequence)}", agency=agency, role=role, coordination_scope=scope,
        first_name=fields.pop("first_name", "Test"), last_name=fields.pop("last_name", "User"), **fields,
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def referral_input(**overrides: Any) -> ReferralInput:
    data = ReferralInput(
        sex="female",
        birth_precision="year",
        birth_year=1995,
        consent=Consent.GIVEN,
        consent_informed_by="Officer Test",
        consent_language="fr",
        region=Region.RABAT_SALE_KENITRA,
        given_name_latin="Aminata",
        family_name_latin="Diallo",
        nationalities=["GN"],
        languages=["fr"],
        exploitation_forms=["ForcedLabour"],
        circumstances="Found working without pay in a farm.",
    )
    return replace(data, **overrides)


def make_case(*, by: User, **overrides: Any) -> Case:
    return referral_submit(data=referral_input(**overrides), by=by)


def make_service(*, provider: Agency, languages: tuple[str, ...] = ("fr", "ar"), **fields: Any) -> Service:
    """A service of the directory; by default an emergency shelter in Rabat taking everyone."""
    values: dict[str, Any] = {
        "kind": ServiceKind.EMERGENCY_SHELTER, "name": f"Service {next(_sequence)}", "region": provider.region,
        "city": "Rabat", "capacity_total": 10, "capacity_free": 3, **fields,
    }
    service = Service.objects.create(provider=provider, **values)
    ServiceLanguage.objects.bulk_create([ServiceLanguage(service=service, language=code) for code in languages])
    return service
