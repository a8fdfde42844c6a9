"""Standing cast of every access test (the Alice/Bob/Charlie habit).

- ``alice``: frontline responder of the Rabat police, who refers.
- ``bob``: regional coordinator of Rabat-Salé-Kénitra, who decides on Alice's referrals.
- ``charlie``: frontline responder of an NGO in Tanger: another agency, who must be refused.
- ``dana``: regional coordinator of Tanger-Tétouan-Al Hoceïma: another region, refused.
- ``nadia``: national coordinator, who sees every region.
- ``prosecutor``: a justice user of Rabat, who sees proceedings and offenders, not the file.
Plus one user of each other role.
"""

from __future__ import annotations

import pytest
from hypothesis import settings as hypothesis_settings

from masarat.accounts.models import CoordinationScope, Role, User
from masarat.cases.models import Case
from masarat.organisations.models import Agency, AgencyKind
from masarat.organisations.regions import Region
from tests.factories import make_agency, make_case, make_user

# Generated examples are judged on what they find, never on their speed: a busy CI machine must not
# turn a slow example into a failure (performance is measured by the benchmarks, not by tests).
hypothesis_settings.register_profile("masarat", deadline=None)
hypothesis_settings.load_profile("masarat")


@pytest.fixture
def rabat_police(db) -> Agency:
    return make_agency(kind=AgencyKind.POLICE, region=Region.RABAT_SALE_KENITRA, name="Police Rabat")


@pytest.fixture
def tanger_ngo(db) -> Agency:
    return make_agency(kind=AgencyKind.NGO, region=Region.TANGER_TETOUAN_AL_HOCEIMA, name="ONG Tanger")


@pytest.fixture
def commission(db) -> Agency:
    return make_agency(kind=AgencyKind.NATIONAL_COMMISSION, region=Region.RABAT_SALE_KENITRA,
                       name="Commission nationale")


@pytest.fixture
def alice(rabat_police) -> User:
    return make_user(role=Role.FRONTLINE_RESPONDER, agency=rabat_police, username="alice", first_name="Alice")


@pytest.fixture
def alice_colleague(rabat_police) -> User:
    return make_user(role=Role.FRONTLINE_RESPONDER, agency=rabat_police, username="amal")


@pytest.fixture
def bob(commission) -> User:
    agency = make_agency(kind=AgencyKind.NATIONAL_COMMISSION, region=Region.RABAT_SALE_KENITRA,
                         name="Point focal Rabat")
    return make_user(role=Role.COORDINATOR, agency=agency, username="bob", first_name="Bob")


@pytest.fixture
def bob_colleague(bob) -> User:
    return make_user(role=Role.COORDINATOR, agency=bob.agency, username="basma", first_name="Basma")


@pytest.fixture
def charlie(tanger_ngo) -> User:
    return make_user(role=Role.FRONTLINE_RESPONDER, agency=tanger_ngo, username="charlie", first_name="Charlie")


@pytest.fixture
def dana(db) -> User:
    agency = make_agency(kind=AgencyKind.NATIONAL_COMMISSION, region=Region.TANGER_TETOUAN_AL_HOCEIMA,
                         name="Point focal Tanger")
    return make_user(role=Role.COORDINATOR, agency=agency, username="dana", first_name="Dana")


@pytest.fixture
def nadia(commission) -> User:
    return make_user(role=Role.COORDINATOR, agency=commission, username="nadia", scope=CoordinationScope.NATIONAL)


@pytest.fixture
def case_manager(rabat_police) -> User:
    agency = make_agency(kind=AgencyKind.SOCIAL_SERVICES, region=Region.RABAT_SALE_KENITRA, name="Entraide Rabat")
    return make_user(role=Role.CASE_MANAGER, agency=agency, username="carla")


@pytest.fixture
def service_provider(db) -> User:
    agency = make_agency(kind=AgencyKind.SHELTER, region=Region.RABAT_SALE_KENITRA, name="Foyer Rabat")
    return make_user(role=Role.SERVICE_PROVIDER, agency=agency, username="sami")


@pytest.fixture
def prosecutor(db) -> User:
    """A justice user (public prosecution) of Rabat-Salé-Kénitra: proceedings and offenders, not the file."""
    agency = make_agency(kind=AgencyKind.PROSECUTION, region=Region.RABAT_SALE_KENITRA, name="Parquet Rabat")
    return make_user(role=Role.JUSTICE, agency=agency, username="paul", first_name="Paul")


@pytest.fixture
def analyst(commission) -> User:
    return make_user(role=Role.ANALYST, agency=commission, username="ana")


@pytest.fixture
def auditor(commission) -> User:
    return make_user(role=Role.AUDITOR, agency=commission, username="aude")


@pytest.fixture
def administrator(commission) -> User:
    return make_user(role=Role.ADMINISTRATOR, agency=commission, username="root-admin", is_staff=True,
                     is_superuser=True)


@pytest.fixture
def alice_case(alice) -> Case:
    """A referral by Alice (Rabat police) in Rabat-Salé-Kénitra."""
    return make_case(by=alice)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Production hashing is deliberately slow; tests need many sign-ins."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_name_statistics():
    """How common names are is cached for minutes by a running server; each test has its own persons."""
    from masarat.duplicates import index

    index._CACHE.clear()
    index._NAME_COUNTS.clear()
    yield
    index._CACHE.clear()
    index._NAME_COUNTS.clear()
