"""Demo data: agencies, accounts and about two years of cases at every stage of the mechanism.

Every case goes through the real services (referral, acknowledgement, decisions, second reviews,
reconsiderations, assignment, closure), so the demo shows data the product itself would have
written. Each referral is submitted with the moment it was planned for (``received_at``), in
chronological order, so references follow the referrals within each year. The later steps are
stamped "now" by the services; afterwards the history of each case (its timeline, decisions and
dates, never the append-only audit trail) is moved back in time with queryset updates, so that the
queues show cases overdue, due soon and long settled.
"""

from __future__ import annotations

import random
import string
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum
from itertools import pairwise
from typing import Protocol, TypeVar

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from masarat.accounts.models import CoordinationScope, Role, User
from masarat.care.models import GuardianAppointment
from masarat.care.selectors import child_case_blockers
from masarat.cases.lifecycle import AWAITING_FORMAL, Status
from masarat.cases.models import Case, CaseEvent, Decision
from masarat.cases.schedule import apply_deadline, local_date, reflection_period_end
from masarat.cases.services import (
    case_acknowledge,
    case_assign_case_manager,
    case_close,
    case_request_reconsideration,
    decision_record,
    decision_review,
)
from masarat.cases.vocabulary import DecisionOutcome, DecisionStage, ExploitationForm
from masarat.deadlines.calendar import WorkingCalendar, deadline_setting, working_calendar
from masarat.demo.actionplan import add_action_plan_progress
from masarat.demo.casework import add_casework
from masarat.demo.directory import add_service_referrals, add_services, backdate_proposals
from masarat.demo.names import ARABIC_SCRIPT_NATIONALITIES, POOLS, Name, NamePool
from masarat.demo.screenings import add_screenings
from masarat.organisations.models import Agency, AgencyKind
from masarat.organisations.regions import Region
from masarat.people.ages import ADULT_AGE, age_band
from masarat.people.models import Person
from masarat.people.vocabulary import BirthDatePrecision, DocumentKind, Language, Sex
from masarat.referrals.services import draft_save, referral_submit
from masarat.referrals.validation import DocumentInput, ReferralInput
from masarat.referrals.vocabulary import Consent, Indicator, UrgentNeed

DEMO_PASSWORD = "masarat-demo"  # noqa: S105 - published in the README; demo mode only
DEFAULT_CASES = 200
DEFAULT_RANDOM_SEED = 2023
HISTORY_DAYS = 700  # "about two years" of referrals
CHILD_SHARE = 0.32  # of consenting referrals; with the anonymous (adult) notifications, ~30% of all
CASE_MANAGER_CASELOAD = 15


class Writer(Protocol):
    def write(self, msg: str) -> object: ...


class SeedConflict(Exception):
    """Some demo accounts exist but not all: seeding would collide with data someone else made."""


# --- Agencies and accounts --------------------------------------------------------------------

@dataclass(frozen=True)
class AgencySpec:
    name: str
    kind: AgencyKind
    region: Region
    city: str


COMMISSION = AgencySpec("Commission nationale de lutte contre la traite des êtres humains",
                        AgencyKind.NATIONAL_COMMISSION, Region.RABAT_SALE_KENITRA, "Rabat")
FOCAL_POINT_RABAT = AgencySpec("Point focal régional Rabat-Salé-Kénitra", AgencyKind.NATIONAL_COMMISSION,
                               Region.RABAT_SALE_KENITRA, "Rabat")
FOCAL_POINT_TANGER = AgencySpec("Point focal régional Tanger-Tétouan-Al Hoceïma", AgencyKind.NATIONAL_COMMISSION,
                                Region.TANGER_TETOUAN_AL_HOCEIMA, "Tanger")
POLICE_RABAT = AgencySpec("Préfecture de police de Rabat", AgencyKind.POLICE, Region.RABAT_SALE_KENITRA, "Rabat")
NGO_TANGER = AgencySpec("Association Tanja Solidarité", AgencyKind.NGO, Region.TANGER_TETOUAN_AL_HOCEIMA, "Tanger")
SOCIAL_SERVICES_RABAT = AgencySpec("Entraide nationale – Délégation de Rabat", AgencyKind.SOCIAL_SERVICES,
                                   Region.RABAT_SALE_KENITRA, "Rabat")
SHELTER_TANGER = AgencySpec("Centre d'accueil d'urgence de Tanger", AgencyKind.SHELTER,
                            Region.TANGER_TETOUAN_AL_HOCEIMA, "Tanger")
GENDARMERIE_SOUSS = AgencySpec("Gendarmerie royale – Compagnie de Biougra", AgencyKind.GENDARMERIE,
                               Region.SOUSS_MASSA, "Biougra")
LABOUR_INSPECTION_CASABLANCA = AgencySpec("Inspection du travail – Direction régionale de Casablanca-Settat",
                                          AgencyKind.LABOUR_INSPECTION, Region.CASABLANCA_SETTAT, "Casablanca")
HEALTH_FES = AgencySpec("CHU Hassan II de Fès – Unité de prise en charge des victimes de violence",
                        AgencyKind.HEALTH, Region.FES_MEKNES, "Fès")
CONSULATE_CASABLANCA = AgencySpec("Consulat général de Côte d'Ivoire à Casablanca", AgencyKind.CONSULATE,
                                  Region.CASABLANCA_SETTAT, "Casablanca")
PROSECUTION_RABAT = AgencySpec("Parquet près le tribunal de première instance de Rabat", AgencyKind.PROSECUTION,
                               Region.RABAT_SALE_KENITRA, "Rabat")
IOM_RABAT = AgencySpec("Organisation internationale pour les migrations (OIM) – Mission au Maroc",
                       AgencyKind.INTERNATIONAL_ORGANISATION, Region.RABAT_SALE_KENITRA, "Rabat")

AGENCIES: tuple[AgencySpec, ...] = (
    COMMISSION, FOCAL_POINT_RABAT, FOCAL_POINT_TANGER, POLICE_RABAT, NGO_TANGER, SOCIAL_SERVICES_RABAT,
    SHELTER_TANGER, GENDARMERIE_SOUSS, LABOUR_INSPECTION_CASABLANCA, HEALTH_FES, CONSULATE_CASABLANCA, IOM_RABAT,
    PROSECUTION_RABAT,
)


@dataclass(frozen=True)
class AccountSpec:
    username: str
    first_name: str
    last_name: str
    role: Role
    agency: AgencySpec
    scope: str = ""
    superuser: bool = False


_FRONTLINE = Role.FRONTLINE_RESPONDER
ACCOUNTS: tuple[AccountSpec, ...] = (
    AccountSpec("national.coordinator", "Nadia", "Benjelloun", Role.COORDINATOR, COMMISSION,
                scope=CoordinationScope.NATIONAL),
    AccountSpec("rabat.coordinator", "Karim", "El Fassi", Role.COORDINATOR, FOCAL_POINT_RABAT,
                scope=CoordinationScope.REGIONAL),
    AccountSpec("tanger.coordinator", "Salma", "Amrani", Role.COORDINATOR, FOCAL_POINT_TANGER,
                scope=CoordinationScope.REGIONAL),
    AccountSpec("police.rabat", "Hamza", "Alaoui", _FRONTLINE, POLICE_RABAT),
    AccountSpec("ngo.tanger", "Leila", "Ouazzani", _FRONTLINE, NGO_TANGER),
    AccountSpec("gendarmerie.souss", "Abdelilah", "Ouchen", _FRONTLINE, GENDARMERIE_SOUSS),
    AccountSpec("inspection.casablanca", "Souad", "Bennani", _FRONTLINE, LABOUR_INSPECTION_CASABLANCA),
    AccountSpec("health.fes", "Hicham", "Idrissi", _FRONTLINE, HEALTH_FES),
    AccountSpec("consulate.casablanca", "Adjoua", "Kouassi", _FRONTLINE, CONSULATE_CASABLANCA),
    AccountSpec("iom.rabat", "Sara", "Mansouri", _FRONTLINE, IOM_RABAT),
    AccountSpec("casemanager", "Meryem", "Tazi", Role.CASE_MANAGER, SOCIAL_SERVICES_RABAT),
    AccountSpec("shelter.tanger", "Imane", "Chraibi", Role.SERVICE_PROVIDER, SHELTER_TANGER),
    AccountSpec("parquet.rabat", "Driss", "Sqalli", Role.JUSTICE, PROSECUTION_RABAT),
    AccountSpec("analyst", "Omar", "Berrada", Role.ANALYST, COMMISSION),
    AccountSpec("auditor", "Rachida", "Lahlou", Role.AUDITOR, COMMISSION),
    AccountSpec("admin", "Youssef", "Kettani", Role.ADMINISTRATOR, COMMISSION, superuser=True),
)
DEMO_USERNAMES: tuple[str, ...] = tuple(account.username for account in ACCOUNTS)


@dataclass(frozen=True)
class AccountRow:
    """One line of the accounts table printed at the end of the command."""

    username: str
    name: str
    role: str
    agency: str
    region: str


@dataclass(frozen=True)
class SeedReport:
    created: bool
    cases_by_status: dict[str, int]
    accounts: list[AccountRow]

    @property
    def cases_created(self) -> int:
        return sum(self.cases_by_status.values())


def demo_accounts() -> list[AccountRow]:
    users = {user.username: user for user in
             User.objects.filter(username__in=DEMO_USERNAMES).select_related("agency")}
    return [
        AccountRow(
            username=user.username, name=user.get_full_name(), role=str(user.get_role_display()),
            agency=user.agency.name if user.agency else "",
            region=f"{user.region} {Region(user.region).label}" if user.agency else "",
        )
        for username in DEMO_USERNAMES if (user := users.get(username)) is not None
    ]


def _create_agencies() -> dict[AgencySpec, Agency]:
    # get_or_create: an agency of the same name may already exist (it is not demo-only data).
    return {
        spec: Agency.objects.get_or_create(
            name=spec.name, defaults={"kind": spec.kind, "region": spec.region, "city": spec.city})[0]
        for spec in AGENCIES
    }


def _create_accounts(agencies: dict[AgencySpec, Agency]) -> dict[str, User]:
    # One hash for all: hashing is deliberately slow, and every demo account shares the published password.
    password = make_password(DEMO_PASSWORD)
    users = {}
    for spec in ACCOUNTS:
        users[spec.username] = User.objects.create(
            username=spec.username, first_name=spec.first_name, last_name=spec.last_name, password=password,
            role=spec.role, agency=agencies[spec.agency], coordination_scope=spec.scope,
            is_staff=spec.superuser, is_superuser=spec.superuser,
        )
    return users


# --- Profiles of the persons referred ---------------------------------------------------------

F, M = Sex.FEMALE, Sex.MALE
EF, IN = ExploitationForm, Indicator


@dataclass(frozen=True)
class Profile:
    """A pattern of exploitation met in Morocco, so that each demo case is plausible as a whole."""

    nationalities: tuple[str, ...]  # repeated codes weigh more
    sexes: tuple[str, ...]
    forms: tuple[str, ...]  # the first is always recorded, the others sometimes
    indicators: tuple[str, ...]
    circumstances: tuple[str, ...]  # French, as a frontline responder writes it; {city} is filled in
    child_ages: tuple[int, int] | None = None
    adult_ages: tuple[int, int] | None = None
    recruitment: tuple[str, ...] = ()  # countries; empty means the person's own country
    abroad: tuple[str, ...] = ()  # exploited in one of these countries rather than in Morocco
    documents: tuple[str, ...] = ()
    withheld: float = 0.2  # how often a document is held by someone else


PROFILES: dict[str, Profile] = {
    "ma_domestic_girl": Profile(
        ("MA",), (F,), (EF.SERVITUDE, EF.CHILD_LABOUR),
        (IN.EXCESSIVE_HOURS, IN.WAGES_WITHHELD, IN.ISOLATION, IN.MOVEMENT_RESTRICTED, IN.VIOLENCE,
         IN.ABUSE_OF_VULNERABILITY),
        ("Jeune fille employée comme « petite bonne » chez une famille à {city} ; elle n'est pas scolarisée "
         "et ne perçoit aucun salaire.",
         "Signalée par une voisine : la fille travaille du matin au soir dans un appartement à {city} et porte "
         "des traces de coups.",
         "Placée par son père auprès d'un intermédiaire ; l'argent de son travail domestique à {city} est versé "
         "directement à la famille."),
        child_ages=(11, 17), documents=(DocumentKind.BIRTH_CERTIFICATE,), withheld=0.1,
    ),
    "child_begging": Profile(
        ("MA", "MA", "SY", "GN", "ML", "SN", "CI"), (F, M), (EF.FORCED_BEGGING,),
        (IN.CONTROLLED_BY_OTHERS, IN.VIOLENCE, IN.THREATS, IN.ABUSE_OF_VULNERABILITY, IN.ISOLATION),
        ("Enfant repéré en train de mendier près de la gare de {city} ; un adulte récupère l'argent chaque soir.",
         "Enfant trouvé seul la nuit à {city}, contraint de mendier aux feux rouges sous la surveillance d'un "
         "homme.",
         "Enfant qui mendie devant une mosquée de {city} ; la femme qui l'accompagne n'est pas sa mère selon "
         "ses dires."),
        child_ages=(5, 15),
    ),
    "ma_child_labour": Profile(
        ("MA",), (M,), (EF.CHILD_LABOUR, EF.FORCED_LABOUR),
        (IN.EXCESSIVE_HOURS, IN.WAGES_WITHHELD, IN.ABUSIVE_CONDITIONS, IN.ABUSE_OF_VULNERABILITY),
        ("Garçon travaillant dans un atelier de mécanique à {city}, douze heures par jour, sans salaire ni "
         "scolarité.",
         "Adolescent employé sur un bateau de pêche à {city} ; le patron retient sa paie pour « rembourser » "
         "son hébergement.",
         "Recruté dans son douar pour la cueillette ; à {city}, il travaille dans les serres et dort avec des "
         "adultes dans un hangar."),
        child_ages=(12, 17), documents=(DocumentKind.BIRTH_CERTIFICATE,),
    ),
    "ma_forced_marriage": Profile(
        ("MA",), (F,), (EF.FORCED_MARRIAGE, EF.SERVITUDE),
        (IN.ABUSE_OF_VULNERABILITY, IN.VIOLENCE, IN.MOVEMENT_RESTRICTED, IN.CONTROLLED_BY_OTHERS, IN.THREATS),
        ("Mariée par sa famille à un homme beaucoup plus âgé contre une somme d'argent ; elle s'est enfuie "
         "à {city}.",
         "Mariage coutumier non enregistré ; la jeune femme est enfermée et contrainte aux travaux domestiques "
         "par la belle-famille à {city}."),
        child_ages=(14, 17), adult_ages=(19, 23),
        documents=(DocumentKind.NATIONAL_ID, DocumentKind.BIRTH_CERTIFICATE),
    ),
    "ma_sexual": Profile(
        ("MA",), (F,), (EF.SEXUAL_EXPLOITATION,),
        (IN.DECEPTION, IN.VIOLENCE, IN.CONTROLLED_BY_OTHERS, IN.THREATS, IN.MOVEMENT_RESTRICTED),
        ("Recrutée par un homme qui se présentait comme son fiancé, puis contrainte à la prostitution dans des "
         "appartements loués à {city}.",
         "Promesse d'un emploi de serveuse à {city} ; on lui a confisqué son téléphone et imposé des clients.",
         "Orientée par le service des urgences de {city} après des violences ; elle décrit un réseau qui "
         "l'oblige à se prostituer."),
        child_ages=(15, 17), adult_ages=(19, 30), documents=(DocumentKind.NATIONAL_ID,),
    ),
    "ma_returnee_domestic": Profile(
        ("MA",), (F,), (EF.SERVITUDE, EF.FORCED_LABOUR),
        (IN.DECEPTION, IN.DOCUMENTS_WITHHELD, IN.WAGES_WITHHELD, IN.MOVEMENT_RESTRICTED, IN.EXCESSIVE_HOURS),
        ("Revenue du Golfe où elle travaillait comme domestique sans salaire ; son employeur gardait son "
         "passeport. Elle s'est présentée à {city} à son retour.",
         "Rapatriée avec l'aide du consulat : recrutée par une agence de {city} pour un emploi d'aide-soignante "
         "dans le Golfe, elle était enfermée et travaillait sans repos.",
         "Contrat signé à {city} pour un emploi domestique dans le Golfe ; salaire jamais versé, passeport "
         "confisqué, retour financé par sa famille."),
        adult_ages=(22, 45), recruitment=("MA",), abroad=("SA", "SA", "AE", "KW", "QA", "OM"),
        documents=(DocumentKind.PASSPORT, DocumentKind.NATIONAL_ID), withheld=0.3,
    ),
    "ma_scam_centre": Profile(
        ("MA",), (M,), (EF.OTHER, EF.FORCED_LABOUR),
        (IN.DECEPTION, IN.DOCUMENTS_WITHHELD, IN.MOVEMENT_RESTRICTED, IN.VIOLENCE, IN.THREATS, IN.DEBT_BONDAGE),
        ("Recruté sur les réseaux sociaux pour un poste de traducteur en Thaïlande, il a été conduit dans un "
         "centre d'escroquerie en ligne ; rapatrié, il s'est présenté à la police de {city}.",
         "Forcé à escroquer des internautes sous la menace de coups dans un complexe gardé ; sa famille à "
         "{city} a payé une « rançon » pour sa libération."),
        adult_ages=(20, 35), recruitment=("MA",), abroad=("MM", "MM", "KH"),
        documents=(DocumentKind.PASSPORT,), withheld=0.5,
    ),
    "wa_sexual": Profile(
        ("NG", "NG", "NG", "CI", "CM", "GN", "CD", "GH"), (F,), (EF.SEXUAL_EXPLOITATION,),
        (IN.DEBT_BONDAGE, IN.DECEPTION, IN.THREATS, IN.CONTROLLED_BY_OTHERS, IN.VIOLENCE, IN.MOVEMENT_RESTRICTED),
        ("Recrutée au pays avec la promesse d'un emploi de coiffeuse en Europe ; à {city}, elle doit "
         "rembourser une dette par la prostitution.",
         "Accompagnée par une association à {city} : elle dit être surveillée par une « madame » qui garde son "
         "passeport et fixe le montant de sa dette.",
         "A traversé le Niger et l'Algérie ; retenue dans un appartement à {city} et forcée à se prostituer.",
         "Rencontrée lors d'une maraude à {city} ; elle parle d'un serment prêté avant le départ et d'une dette "
         "impossible à rembourser."),
        child_ages=(15, 17), adult_ages=(19, 32), documents=(DocumentKind.PASSPORT,), withheld=0.6,
    ),
    "wa_labour": Profile(
        ("SN", "GN", "ML", "CI", "CM", "GH"), (M,), (EF.FORCED_LABOUR, EF.OTHER),
        (IN.WAGES_WITHHELD, IN.EXCESSIVE_HOURS, IN.ABUSIVE_CONDITIONS, IN.THREATS, IN.DEBT_BONDAGE, IN.DECEPTION),
        ("Travaille sur un chantier à {city} sans être payé depuis quatre mois ; l'employeur menace de le "
         "dénoncer à la police.",
         "Recruté pour un travail agricole ; à {city}, il travaille douze heures par jour et dort dans un "
         "hangar.",
         "Le passeur lui fait payer le passage vers l'Espagne en travail non rémunéré dans un entrepôt de "
         "{city}."),
        child_ages=(16, 17), adult_ages=(19, 40),
        documents=(DocumentKind.PASSPORT, DocumentKind.REFUGEE_CARD), withheld=0.3,
    ),
    "ca_domestic": Profile(
        ("CM", "CD", "CD", "CI"), (F,), (EF.SERVITUDE, EF.FORCED_LABOUR),
        (IN.DECEPTION, IN.EXCESSIVE_HOURS, IN.WAGES_WITHHELD, IN.ISOLATION, IN.DOCUMENTS_WITHHELD),
        ("Venue pour un emploi de nounou promis par une compatriote ; à {city}, elle travaille jour et nuit "
         "chez une famille sans salaire.",
         "Employée chez une famille à {city} qui garde son passeport et la menace d'expulsion si elle se "
         "plaint."),
        adult_ages=(20, 38), documents=(DocumentKind.PASSPORT, DocumentKind.REFUGEE_CARD), withheld=0.4,
    ),
    "ph_domestic": Profile(
        ("PH",), (F,), (EF.SERVITUDE,),
        (IN.DOCUMENTS_WITHHELD, IN.MOVEMENT_RESTRICTED, IN.EXCESSIVE_HOURS, IN.WAGES_WITHHELD, IN.ISOLATION,
         IN.DECEPTION),
        ("Employée de maison recrutée aux Philippines par une agence ; son employeur à {city} a confisqué son "
         "passeport et ne lui verse plus de salaire.",
         "A contacté son ambassade : elle travaille sept jours sur sept à {city}, n'a pas le droit de sortir "
         "et dort dans la cuisine.",
         "Arrivée avec un contrat de deux ans ; à {city}, l'employeur a doublé ses heures et retient trois mois "
         "de salaire."),
        adult_ages=(24, 45), recruitment=("PH",),
        documents=(DocumentKind.PASSPORT, DocumentKind.RESIDENCE_PERMIT), withheld=0.7,
    ),
    "bd_labour": Profile(
        ("BD",), (M,), (EF.FORCED_LABOUR,),
        (IN.DEBT_BONDAGE, IN.DECEPTION, IN.DOCUMENTS_WITHHELD, IN.ABUSIVE_CONDITIONS, IN.WAGES_WITHHELD),
        ("Recruté au Bangladesh pour un emploi en usine à {city} ; il doit rembourser les frais de voyage et "
         "ne peut pas quitter le logement fourni.",
         "Groupe d'ouvriers découvert lors d'un contrôle à {city} : passeports gardés par le chef de chantier, "
         "salaires inférieurs à ceux promis."),
        adult_ages=(20, 40), recruitment=("BD",), documents=(DocumentKind.PASSPORT,), withheld=0.6,
    ),
    "agri_labour": Profile(
        ("MA", "MA", "MA", "ML", "SN"), (F, M), (EF.FORCED_LABOUR, EF.CHILD_LABOUR),
        (IN.WAGES_WITHHELD, IN.DEBT_BONDAGE, IN.ABUSIVE_CONDITIONS, IN.EXCESSIVE_HOURS, IN.CONTROLLED_BY_OTHERS),
        ("Travail dans les serres près de {city} ; l'intermédiaire qui organise le transport retient la moitié "
         "de la paie pour une dette.",
         "Logement dans un hangar à {city} avec une vingtaine d'ouvriers agricoles ; journées de douze heures "
         "et salaire versé irrégulièrement."),
        child_ages=(15, 17), adult_ages=(19, 50), documents=(DocumentKind.NATIONAL_ID,), withheld=0.3,
    ),
}

# The languages of each nationality: the first is the person's main language, the others are
# added at random.
LANGUAGES: dict[str, tuple[str, ...]] = {
    "MA": (Language.DARIJA, Language.ARABIC, Language.AMAZIGH, Language.FRENCH),
    "NG": (Language.ENGLISH, Language.YORUBA, Language.IGBO, Language.HAUSA),
    "GH": (Language.ENGLISH,),
    "CI": (Language.FRENCH,),
    "SN": (Language.WOLOF, Language.FRENCH),
    "GN": (Language.FULA, Language.FRENCH),
    "ML": (Language.BAMBARA, Language.FRENCH),
    "CM": (Language.FRENCH, Language.ENGLISH),
    "CD": (Language.FRENCH, Language.LINGALA, Language.SWAHILI),
    "PH": (Language.TAGALOG, Language.ENGLISH),
    "BD": (Language.BENGALI,),
    "SY": (Language.ARABIC,),
}
# An interpreter is needed when the person speaks none of the languages of the Moroccan administration.
ADMINISTRATION_LANGUAGES = frozenset({Language.ARABIC, Language.DARIJA, Language.FRENCH})

CITIES: dict[str, tuple[str, ...]] = {
    Region.TANGER_TETOUAN_AL_HOCEIMA: ("Tanger", "Tanger", "Tétouan", "Fnideq", "Larache"),
    Region.FES_MEKNES: ("Fès", "Meknès", "Sefrou", "Taza"),
    Region.RABAT_SALE_KENITRA: ("Rabat", "Salé", "Témara", "Kénitra"),
    Region.CASABLANCA_SETTAT: ("Casablanca", "Mohammédia", "El Jadida", "Berrechid"),
    Region.SOUSS_MASSA: ("Agadir", "Biougra", "Inezgane", "Aït Melloul", "Taroudant"),
}
MOBILE_PREFIXES = ("61", "62", "66", "67", "68", "70", "76")


@dataclass(frozen=True)
class ReferrerSpec:
    """A frontline account that refers cases, and the situations its agency typically meets.

    A profile named twice is met twice as often.
    """

    username: str
    weight: int
    profiles: tuple[str, ...]
    nationality: str = ""  # a consulate refers its own nationals


REFERRERS: tuple[ReferrerSpec, ...] = (
    ReferrerSpec("police.rabat", 38, ("ma_domestic_girl", "child_begging", "child_begging", "ma_sexual", "wa_sexual",
                                      "ph_domestic", "ma_forced_marriage", "ma_returnee_domestic", "ma_scam_centre",
                                      "wa_labour")),
    ReferrerSpec("ngo.tanger", 38, ("wa_sexual", "wa_sexual", "wa_labour", "child_begging", "child_begging",
                                    "ca_domestic", "ma_child_labour", "ma_sexual", "ma_domestic_girl")),
    ReferrerSpec("gendarmerie.souss", 6, ("agri_labour", "agri_labour", "ma_child_labour", "ma_domestic_girl")),
    ReferrerSpec("inspection.casablanca", 5, ("ph_domestic", "bd_labour", "wa_labour", "ma_child_labour")),
    ReferrerSpec("health.fes", 4, ("ma_sexual", "ma_domestic_girl", "ma_forced_marriage", "ca_domestic")),
    ReferrerSpec("consulate.casablanca", 4, ("wa_sexual", "wa_labour", "ca_domestic"), nationality="CI"),
    ReferrerSpec("iom.rabat", 5, ("ma_returnee_domestic", "ma_scam_centre", "wa_sexual", "ca_domestic",
                                  "bd_labour")),
)


# --- The cast: who refers, decides and reviews ------------------------------------------------

@dataclass(frozen=True)
class Referrer:
    user: User
    spec: ReferrerSpec

    @property
    def region(self) -> str:
        return self.user.region


@dataclass(frozen=True)
class Cast:
    national: User
    regional: dict[str, User]  # region -> its regional coordinator
    case_manager: User
    referrers: list[Referrer]

    @classmethod
    def from_users(cls, users: dict[str, User]) -> Cast:
        regional = {user.region: user for user in users.values()
                    if user.role == Role.COORDINATOR and user.coordination_scope == CoordinationScope.REGIONAL}
        return cls(
            national=users["national.coordinator"], regional=regional, case_manager=users["casemanager"],
            referrers=[Referrer(users[spec.username], spec) for spec in REFERRERS],
        )

    def decider(self, region: str) -> User:
        return self.regional.get(region, self.national)

    def reviewer(self, region: str) -> User | None:
        """A negative decision needs a second coordinator; only regions with their own coordinator have two."""
        return self.national if region in self.regional else None


# --- The path of each case through the lifecycle ----------------------------------------------

class Move(Enum):
    ACKNOWLEDGE = "acknowledge"
    DECIDE = "decide"
    REVIEW = "review"
    RECONSIDER = "reconsider"
    ASSIGN = "assign"
    CLOSE = "close"


@dataclass(frozen=True)
class Step:
    move: Move
    stage: str = ""
    outcome: str = ""
    confirm: bool = False

    @property
    def presumes(self) -> bool:
        """Whether the step makes the person a presumed victim, which starts the reflection period."""
        preliminary = self.stage == DecisionStage.PRELIMINARY
        return preliminary and ((self.move is Move.DECIDE and self.outcome == DecisionOutcome.POSITIVE)
                                or (self.move is Move.REVIEW and not self.confirm))

    @property
    def formal_conclusion(self) -> bool:
        """A formal decision other than a request for information: refused during the reflection period."""
        return (self.move is Move.DECIDE and self.stage == DecisionStage.FORMAL
                and self.outcome != DecisionOutcome.MORE_INFORMATION)


_PRE, _FOR = DecisionStage.PRELIMINARY, DecisionStage.FORMAL
_POS, _NEG, _MORE = DecisionOutcome.POSITIVE, DecisionOutcome.NEGATIVE, DecisionOutcome.MORE_INFORMATION
ACK = Step(Move.ACKNOWLEDGE)
P_POS, P_NEG, P_MORE = Step(Move.DECIDE, _PRE, _POS), Step(Move.DECIDE, _PRE, _NEG), Step(Move.DECIDE, _PRE, _MORE)
F_POS, F_NEG, F_MORE = Step(Move.DECIDE, _FOR, _POS), Step(Move.DECIDE, _FOR, _NEG), Step(Move.DECIDE, _FOR, _MORE)
P_CONFIRM, P_OVERTURN = Step(Move.REVIEW, _PRE, confirm=True), Step(Move.REVIEW, _PRE)
F_CONFIRM, F_OVERTURN = Step(Move.REVIEW, _FOR, confirm=True), Step(Move.REVIEW, _FOR)
RECONSIDER, ASSIGN, CLOSE = Step(Move.RECONSIDER), Step(Move.ASSIGN), Step(Move.CLOSE)

Path = tuple[Step, ...]
_IDENTIFIED: Path = (ACK, P_POS, F_POS)
_NOT_PRESUMED: Path = (ACK, P_NEG, P_CONFIRM)
_NOT_IDENTIFIED: Path = (ACK, P_POS, F_NEG, F_CONFIRM)

# The ways to reach each status, with their weights.
PATHS: dict[Status, tuple[tuple[int, Path], ...]] = {
    Status.REFERRED: ((1, ()),),
    Status.AWAITING_PRELIMINARY: ((5, (ACK,)), (1, (*_NOT_PRESUMED, RECONSIDER))),
    Status.PRELIMINARY_INFORMATION: ((1, (ACK, P_MORE)),),
    Status.PRELIMINARY_NEGATIVE_REVIEW: ((3, (ACK, P_NEG)), (1, (ACK, P_MORE, P_NEG))),
    Status.NOT_PRESUMED: ((1, _NOT_PRESUMED),),
    Status.REFLECTION_PERIOD: ((6, (ACK, P_POS)), (2, (ACK, P_MORE, P_POS)), (1, (ACK, P_NEG, P_OVERTURN)),
                               (1, (*_NOT_IDENTIFIED, RECONSIDER))),
    Status.FORMAL_INFORMATION: ((1, (ACK, P_POS, F_MORE)),),
    Status.FORMAL_NEGATIVE_REVIEW: ((1, (ACK, P_POS, F_NEG)),),
    Status.IDENTIFIED: ((6, _IDENTIFIED), (2, (ACK, P_POS, F_MORE, F_POS)), (1, (ACK, P_POS, F_NEG, F_OVERTURN)),
                        (1, (ACK, P_NEG, P_OVERTURN, F_POS))),
    Status.NOT_IDENTIFIED: ((1, _NOT_IDENTIFIED),),
    Status.CLOSED: ((6, (*_IDENTIFIED, CLOSE)), (2, (*_NOT_PRESUMED, CLOSE)), (1, (*_NOT_IDENTIFIED, CLOSE)),
                    (1, (ACK, CLOSE)), (1, (ACK, P_POS, CLOSE))),
    Status.ANONYMOUS_NOTIFICATION: ((1, ()),),
}

# How many cases of each status, out of 100: a realistic spread, with a visible backlog.
STATUS_WEIGHTS: dict[Status, int] = {
    Status.REFERRED: 4, Status.AWAITING_PRELIMINARY: 7, Status.PRELIMINARY_INFORMATION: 3,
    Status.PRELIMINARY_NEGATIVE_REVIEW: 3, Status.NOT_PRESUMED: 6, Status.REFLECTION_PERIOD: 12,
    Status.FORMAL_INFORMATION: 3, Status.FORMAL_NEGATIVE_REVIEW: 3, Status.IDENTIFIED: 25,
    Status.NOT_IDENTIFIED: 5, Status.CLOSED: 23, Status.ANONYMOUS_NOTIFICATION: 6,
}
# Statuses whose next deadline runs in working days from the last step: short waits, often overdue.
WAITING_ON_COORDINATOR = frozenset({
    Status.REFERRED, Status.AWAITING_PRELIMINARY, Status.PRELIMINARY_INFORMATION,
    Status.PRELIMINARY_NEGATIVE_REVIEW, Status.FORMAL_NEGATIVE_REVIEW,
})
# Presumed or identified: the cases a case manager follows.
MANAGED_STATUSES = frozenset({
    Status.REFLECTION_PERIOD, Status.FORMAL_INFORMATION, Status.FORMAL_NEGATIVE_REVIEW, Status.IDENTIFIED,
})

REASONS: dict[Step, tuple[str, ...]] = {
    P_POS: ("Indicateurs concordants de recrutement trompeur et de contrainte : présomption retenue.",
            "Récit cohérent et documents retenus par l'employeur : il y a des motifs raisonnables de croire qu'il "
            "s'agit d'une victime."),
    P_NEG: ("Les éléments recueillis relèvent d'un litige de travail, sans indice de contrainte.",
            "Aucun élément de recrutement ni d'exploitation n'apparaît à ce stade."),
    P_MORE: ("Le formulaire ne précise pas les conditions de travail : un entretien complémentaire est demandé.",
             "Avis demandé à l'association qui accompagne la personne avant de se prononcer."),
    F_POS: ("Au vu de l'entretien approfondi et des pièces, la qualité de victime au sens de la loi 27-14 est "
            "établie.",),
    F_NEG: ("Les éléments réunis ne permettent pas d'établir l'exploitation au sens de la loi 27-14.",),
    F_MORE: ("Le rapport de l'enquête de police est attendu avant la décision formelle.",
             "Un second entretien avec interprète est demandé."),
    P_CONFIRM: ("Second examen : la décision négative est confirmée, la motivation est suffisante.",),
    F_CONFIRM: ("Second examen : la décision négative est confirmée après relecture du dossier.",),
    P_OVERTURN: ("Second examen : des indicateurs forts ont été sous-estimés ; la personne est présumée victime.",),
    F_OVERTURN: ("Second examen : les éléments de contrainte sont établis ; la décision est infirmée.",),
    RECONSIDER: ("Nouveaux éléments : la personne a remis des messages de menaces de son recruteur.",
                 "L'association a recueilli un témoignage qui confirme la retenue des salaires."),
}
CLOSE_REASONS: dict[str, tuple[str, ...]] = {
    Status.IDENTIFIED: ("Accompagnement terminé : la personne a un emploi et un logement stables.",
                        "Retour volontaire au pays d'origine organisé avec l'OIM."),
    Status.NOT_PRESUMED: ("Décision négative confirmée ; la personne est orientée vers les services de droit commun.",),
    Status.NOT_IDENTIFIED: ("Décision négative confirmée, sans demande de réexamen dans le délai.",),
}
FOLLOW_UP_PLAN = "Appel de suivi par la gestionnaire de cas à trois mois, puis à six mois."
CLOSE_REASON_OTHERWISE = ("La personne est injoignable depuis trois mois malgré plusieurs relances.",
                          "La personne a quitté le Maroc ; le dossier est clos.")


def _needs_review(path: Path) -> bool:
    return any(step.move is Move.REVIEW for step in path)


# --- Planning ---------------------------------------------------------------------------------

@dataclass
class CasePlan:
    status: Status
    referrer: Referrer
    steps: list[Step]
    moments: list[datetime] = field(default_factory=list)  # the referral, then one per step
    data: ReferralInput | None = None


def _allocate_statuses(rng: random.Random, count: int) -> list[Status]:
    """Every status at least once (when there are enough cases), the rest by weight."""
    statuses = list(Status)
    if count < len(statuses):
        return rng.sample(statuses, count)
    chosen = statuses + rng.choices(statuses, weights=[STATUS_WEIGHTS[s] for s in statuses], k=count - len(statuses))
    rng.shuffle(chosen)
    return chosen


def _plan_case(rng: random.Random, status: Status, cast: Cast) -> CasePlan:
    options = PATHS[status]
    referrers = cast.referrers
    if all(_needs_review(path) for _, path in options):
        referrers = [r for r in referrers if cast.reviewer(r.region) is not None]
    referrer = rng.choices(referrers, weights=[r.spec.weight for r in referrers])[0]
    if cast.reviewer(referrer.region) is None:
        options = tuple((weight, path) for weight, path in options if not _needs_review(path))
    path = rng.choices([path for _, path in options], weights=[weight for weight, _ in options])[0]
    return CasePlan(status=status, referrer=referrer, steps=list(path))


def _add_case_management(rng: random.Random, plans: list[CasePlan], cast: Cast) -> None:
    """Give the case manager (social services of Rabat) presumed and identified victims of the region."""
    region = cast.case_manager.region
    eligible = [plan for plan in plans if plan.status in MANAGED_STATUSES and plan.referrer.region == region]
    for plan in rng.sample(eligible, min(CASE_MANAGER_CASELOAD, len(eligible))):
        presumption = max(index for index, step in enumerate(plan.steps) if step.presumes)
        plan.steps.insert(presumption + 1, ASSIGN)


def _gap_days(rng: random.Random, step: Step, previous: Step | None) -> int:
    """Days between a step and the one before it, as they go in a mechanism under some strain."""
    match step.move:
        case Move.ACKNOWLEDGE:
            return rng.choice((0, 0, 1, 1, 1, 2, 3))
        case Move.DECIDE if step.stage == DecisionStage.FORMAL:
            if previous is not None and previous.presumes and step.formal_conclusion:
                return deadline_setting("reflection_period_days") + rng.randint(0, 60)
            return rng.randint(10, 40)
        case Move.DECIDE:
            return rng.randint(1, 7) if rng.random() < 0.8 else rng.randint(8, 25)
        case Move.REVIEW:
            return rng.randint(1, 8)
        case Move.RECONSIDER:
            return rng.randint(4, 25)
        case Move.ASSIGN:
            return rng.randint(1, 10)
        case Move.CLOSE:
            return rng.randint(15, 200)
    raise AssertionError(step)


def _days_since_last_step(rng: random.Random, status: Status, span: int) -> int:
    """How long ago the case last moved: this is what makes the queue a mix of overdue and due soon."""
    if status in WAITING_ON_COORDINATOR:
        return rng.randint(0, 5) if rng.random() < 0.5 else rng.randint(6, 120)
    if status in AWAITING_FORMAL:
        # The formal decision is due when the reflection period ends, 30 days after the presumption.
        return rng.randint(0, 30) if rng.random() < 0.55 else rng.randint(31, 200)
    return rng.randint(1, max(1, HISTORY_DAYS - span))


def _working_day_near(rng: random.Random, calendar: WorkingCalendar, day: date, latest: date) -> date:
    """The working day before or after ``day`` (never after ``latest``), so weekends spread both ways."""
    forward = rng.random() < 0.5  # drawn every time, so that the same seed gives the same data any day
    later = day
    while not calendar.is_working_day(later):
        later += timedelta(days=1)
    if forward and later <= latest:
        return later
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _schedule_days(rng: random.Random, plan: CasePlan, calendar: WorkingCalendar, today: date) -> list[date]:
    """The day of the referral and of each step, laid out backwards from the last step.

    Coordinators act on working days. A formal conclusion comes after the reflection period that
    the last presumption opened, so that presumption is moved early enough.
    """
    gaps = [_gap_days(rng, step, previous) for previous, step in zip([None, *plan.steps], plan.steps, strict=False)]
    day = today - timedelta(days=_days_since_last_step(rng, plan.status, sum(gaps)))
    reflection_days = deadline_setting("reflection_period_days")
    latest = today  # a step is never later than the one after it
    latest_presumption: date | None = None
    days: list[date] = []
    for step, gap in zip(reversed(plan.steps), reversed(gaps), strict=True):
        if step.presumes and latest_presumption is not None:
            latest, latest_presumption = min(latest, latest_presumption), None
        day = _working_day_near(rng, calendar, min(day, latest), latest)
        latest = day
        days.append(day)
        if step.formal_conclusion:
            latest_presumption = day - timedelta(days=reflection_days)
        day -= timedelta(days=gap)
    days.append(day)  # the referral: frontline responders meet people on any day
    return days[::-1]


def _schedule(rng: random.Random, plan: CasePlan, calendar: WorkingCalendar, now: datetime) -> list[datetime]:
    days = _schedule_days(rng, plan, calendar, timezone.localdate(now))
    zone = timezone.get_current_timezone()
    moments = [datetime.combine(days[0], time(rng.randint(7, 22), rng.randint(0, 59)), tzinfo=zone)]
    moments += [datetime.combine(day, time(rng.randint(8, 16), rng.randint(0, 59)), tzinfo=zone) for day in days[1:]]
    # Nothing in the future, and steps of the same day in order.
    moments[-1] = min(moments[-1], now - timedelta(minutes=rng.randint(5, 90)))
    for index in range(len(moments) - 2, -1, -1):
        earlier = moments[index + 1] - timedelta(minutes=rng.randint(20, 120))  # drawn always, for reproducibility
        if moments[index] >= moments[index + 1]:
            moments[index] = earlier
    return moments


# --- The person and the referral form ---------------------------------------------------------

def _choose_profile(rng: random.Random, spec: ReferrerSpec, child: bool) -> Profile:
    def fits(profile: Profile) -> bool:
        return (profile.child_ages if child else profile.adult_ages) is not None

    keys = [key for key in spec.profiles if fits(PROFILES[key])]
    return PROFILES[rng.choice(keys)] if keys else rng.choice([p for p in PROFILES.values() if fits(p)])


def _birth_fields(rng: random.Random, age: int, referred_on: date) -> dict[str, object]:
    """What the responder knew of the age, with the varied precision of real referrals.

    The referral is validated on the day it was received, so a child who has turned 18 since is
    still judged a child, as the responder judged.
    """
    born = referred_on - timedelta(days=int(365.25 * age) + rng.randint(1, 360))
    precision = rng.choices(list(BirthDatePrecision), weights=(35, 10, 30, 25))[0]
    fields: dict[str, object] = {"birth_precision": precision}
    if precision == BirthDatePrecision.FULL:
        fields["birth_date"] = born
    elif precision == BirthDatePrecision.YEAR_MONTH:
        fields.update(birth_year=born.year, birth_month=born.month)
    elif precision == BirthDatePrecision.YEAR:
        fields["birth_year"] = born.year
    else:
        fields["estimated_age"] = age
    return fields


def _name_fields(rng: random.Random, nationality: str, sex: str) -> dict[str, str]:
    pool: NamePool = POOLS[nationality]
    given: Name = rng.choice(pool.female if sex == Sex.FEMALE else pool.male)
    family: Name = rng.choice(pool.female_family if sex == Sex.FEMALE and pool.female_family else pool.family)
    latin = {"given_name_latin": given[0], "family_name_latin": family[0]}
    arabic = {"given_name_arabic": given[1], "family_name_arabic": family[1]}
    has_arabic = bool(given[1] and family[1])
    if nationality in ARABIC_SCRIPT_NATIONALITIES:
        # Mostly both scripts; sometimes only the one the responder wrote.
        script = rng.choices(("both", "arabic", "latin"), weights=(85, 10, 5))[0]
        return {**(latin if script != "arabic" else {}), **(arabic if script != "latin" else {})}
    return {**latin, **(arabic if has_arabic and rng.random() < 0.2 else {})}


def _document_number(rng: random.Random, kind: str, year: int) -> str:
    def digits(count: int) -> str:
        return "".join(rng.choices(string.digits, k=count))

    letters = "".join(rng.choices(string.ascii_uppercase, k=2))
    match kind:
        case DocumentKind.NATIONAL_ID:
            return f"{letters}{digits(6)}"
        case DocumentKind.BIRTH_CERTIFICATE:
            return f"{rng.randint(12, 2400)}/{year}"
        case DocumentKind.REFUGEE_CARD:
            return f"{digits(3)}-{year % 100:02d}C{digits(5)}"
        case _:
            return f"{letters[0]}{digits(8)}"


def _documents(rng: random.Random, profile: Profile, nationality: str, birth_year: int) -> list[DocumentInput]:
    if not profile.documents or rng.random() < 0.4:
        return []
    kind = rng.choice(profile.documents)
    issued_by = "MA" if kind in (DocumentKind.REFUGEE_CARD, DocumentKind.RESIDENCE_PERMIT) else nationality
    year = birth_year if kind == DocumentKind.BIRTH_CERTIFICATE else rng.randint(2015, 2024)
    return [DocumentInput(kind=kind, number=_document_number(rng, kind, year), issuing_country=issued_by,
                          is_held_by_person=rng.random() >= profile.withheld)]


def _languages(rng: random.Random, nationality: str) -> list[str]:
    main, *others = LANGUAGES[nationality]
    return [main, *(language for language in others if rng.random() < 0.4)]


def _phone(rng: random.Random) -> str:
    pairs = " ".join(f"{rng.randint(0, 99):02d}" for _ in range(3))
    return f"+212 6 {rng.choice(MOBILE_PREFIXES)} {pairs}"


def _sample(rng: random.Random, values: Sequence[str], low: int, high: int) -> list[str]:
    return rng.sample(list(values), min(len(values), rng.randint(low, high)))


def _exploitation_fields(rng: random.Random, profile: Profile, nationality: str, region: str) -> dict[str, object]:
    forms = [profile.forms[0], *(form for form in profile.forms[1:] if rng.random() < 0.25)]
    fields: dict[str, object] = {
        "exploitation_forms": forms,
        "recruitment_countries": [rng.choice(profile.recruitment or (nationality,))],
    }
    if profile.abroad:
        fields["exploitation_countries"] = [rng.choice(profile.abroad)]
    else:
        elsewhere = [rng.choice(Region.values)] if rng.random() < 0.15 else []
        fields.update(exploitation_countries=["MA"], exploitation_regions=list(dict.fromkeys([region, *elsewhere])))
    return fields


def _urgent_needs(rng: random.Random, languages: Iterable[str]) -> list[str]:
    odds = {UrgentNeed.SHELTER: 0.3, UrgentNeed.MEDICAL: 0.2, UrgentNeed.SAFETY: 0.15}
    needs: list[str] = [need for need, chance in odds.items() if rng.random() < chance]
    if not ADMINISTRATION_LANGUAGES.intersection(languages):
        needs.append(UrgentNeed.INTERPRETER)
    return needs


def _consent(*, child: bool, anonymous: bool) -> Consent:
    if child:
        return Consent.NOT_REQUIRED_CHILD  # a child is referred without needing consent
    return Consent.REFUSED if anonymous else Consent.GIVEN


def _referral_input(rng: random.Random, plan: CasePlan) -> ReferralInput:
    anonymous = plan.status == Status.ANONYMOUS_NOTIFICATION
    child = not anonymous and rng.random() < CHILD_SHARE
    profile = _choose_profile(rng, plan.referrer.spec, child)
    nationality = plan.referrer.spec.nationality or rng.choice(profile.nationalities)
    sex = rng.choice(profile.sexes)
    ages = profile.child_ages if child else profile.adult_ages
    assert ages is not None, "_choose_profile only returns profiles for this age group"
    age = rng.randint(*ages)
    referred_on = local_date(plan.moments[0])
    birth = _birth_fields(rng, age, referred_on)
    region = plan.referrer.region
    languages = _languages(rng, nationality)
    documents = _documents(rng, profile, nationality, referred_on.year - age)
    indicators = _sample(rng, profile.indicators, 2, 4)
    if any(not document.is_held_by_person for document in documents):
        indicators.append(Indicator.DOCUMENTS_WITHHELD)
    consent = _consent(child=child, anonymous=anonymous)
    person: dict[str, object] = {} if anonymous else {
        **_name_fields(rng, nationality, sex),
        "phone": _phone(rng) if rng.random() < 0.35 else "",
        "documents": documents,
        "circumstances": rng.choice(profile.circumstances).format(city=rng.choice(CITIES[region])),
    }
    return ReferralInput(
        sex=sex, consent=consent, region=region, nationalities=[nationality], languages=languages,
        encountered_on=referred_on - timedelta(days=rng.choice((0, 0, 0, 1, 2, 5))),
        indicators=list(dict.fromkeys(indicators)), urgent_needs=_urgent_needs(rng, languages),
        consent_informed_by="" if child else plan.referrer.user.get_full_name(),
        consent_language="" if child else languages[0],
        **birth, **person, **_exploitation_fields(rng, profile, nationality, region),  # type: ignore[arg-type]
    )


def plan_cases(rng: random.Random, count: int, cast: Cast, *, now: datetime,
               spread: Callable[[CasePlan], None] | None = None) -> list[CasePlan]:
    """Plan ``count`` cases; ``spread`` may move a case's moments back in time before its person is drawn."""
    calendar = working_calendar()
    plans = [_plan_case(rng, status, cast) for status in _allocate_statuses(rng, count)]
    _add_case_management(rng, plans, cast)
    for plan in plans:
        plan.moments = _schedule(rng, plan, calendar, now)
        if spread is not None:
            spread(plan)
        plan.data = _referral_input(rng, plan)
    return plans


# --- Running the services ---------------------------------------------------------------------

def _end_reflection_period(case: Case) -> None:
    # The services run today, while the backdated reflection period is long over: end it so that
    # the formal decision is accepted. Backdating sets the real end date afterwards.
    Case.objects.filter(pk=case.pk).update(reflection_ends_on=timezone.localdate() - timedelta(days=1))


def _appoint_guardian(case: Case, by: User) -> None:
    """A child's case proceeds to its formal decision only once a guardian represents the child."""
    GuardianAppointment.objects.create(
        case=case, recorded_by=by, guardian_name="Tuteur désigné par le juge des mineurs",
        appointed_by="Tribunal de première instance, juge des mineurs", appointed_on=timezone.localdate(),
    )


def _perform(rng: random.Random, step: Step, case: Case, plan: CasePlan, cast: Cast) -> None:
    decider = cast.decider(case.region)
    match step.move:
        case Move.ACKNOWLEDGE:
            case_acknowledge(case=case, by=decider, expected_version=None)
        case Move.DECIDE:
            if step.formal_conclusion:
                _end_reflection_period(case)
                if child_case_blockers(case):
                    _appoint_guardian(case, decider)
            decision_record(case=case, stage=step.stage, outcome=step.outcome, reasons=rng.choice(REASONS[step]),
                            by=decider, expected_version=None)
        case Move.REVIEW:
            reviewer = cast.reviewer(case.region)
            assert reviewer is not None, "planning gives reviews only to regions with two coordinators"
            # The related manager hands back this very case object, so it stays current.
            decision_review(decision=case.decisions.latest("id"), confirm=step.confirm,
                            reasons=rng.choice(REASONS[step]), by=reviewer, expected_version=None)
        case Move.RECONSIDER:
            case_request_reconsideration(case=case, reason=rng.choice(REASONS[step]), by=plan.referrer.user,
                                         expected_version=None)
        case Move.ASSIGN:
            case_assign_case_manager(case=case, case_manager=cast.case_manager, by=decider, expected_version=None)
        case Move.CLOSE:
            reason = rng.choice(CLOSE_REASONS.get(case.status, CLOSE_REASON_OTHERWISE))
            case_close(case=case, reason=reason, follow_up_plan=FOLLOW_UP_PLAN, by=decider, expected_version=None)


def _execute(rng: random.Random, plan: CasePlan, cast: Cast) -> Case:
    assert plan.data is not None
    case = referral_submit(data=plan.data, by=plan.referrer.user, received_at=plan.moments[0])
    for step in plan.steps:
        _perform(rng, step, case, plan, cast)
    if case.status != plan.status:
        raise RuntimeError(f"{case.reference} reached {case.status}, not {plan.status}: the lifecycle changed.")
    return case


# --- Backdating -------------------------------------------------------------------------------

@dataclass
class Timeline:
    """The key dates of a case, read from its plan the way the services would have set them."""

    referred_at: datetime
    waiting_since: datetime  # when the wait for the next deadline began
    last_change: datetime
    acknowledged_at: datetime | None = None
    preliminary_decided_at: datetime | None = None
    formal_decided_at: datetime | None = None
    closed_at: datetime | None = None
    presumed_at: datetime | None = None
    decided_at: list[datetime] = field(default_factory=list)
    reviewed_at: dict[int, datetime] = field(default_factory=dict)  # index of the decision -> its review


def _timeline(plan: CasePlan) -> Timeline:
    referred_at = plan.moments[0]
    line = Timeline(referred_at=referred_at, waiting_since=referred_at, last_change=plan.moments[-1])
    for step, moment in zip(plan.steps, plan.moments[1:], strict=True):
        if step.move is Move.ASSIGN:
            continue  # no change of status: the deadline keeps running
        # The preliminary deadline runs from the referral, not from the acknowledgement.
        line.waiting_since = referred_at if step.move is Move.ACKNOWLEDGE else moment
        if step.presumes:
            line.presumed_at = moment
        if step.move is Move.ACKNOWLEDGE:
            line.acknowledged_at = moment
        elif step.move is Move.DECIDE:
            line.decided_at.append(moment)
            if step.outcome != DecisionOutcome.MORE_INFORMATION:
                if step.stage == DecisionStage.PRELIMINARY:
                    line.preliminary_decided_at = moment
                else:
                    line.formal_decided_at = moment
        elif step.move is Move.REVIEW:
            line.reviewed_at[len(line.decided_at) - 1] = moment
        elif step.move is Move.CLOSE:
            line.closed_at = moment
    return line


def _backdate_case(case: Case, line: Timeline, data: ReferralInput, calendar: WorkingCalendar) -> None:
    case.referred_at = line.referred_at
    case.acknowledged_at = line.acknowledged_at
    case.preliminary_decided_at = line.preliminary_decided_at
    case.formal_decided_at = line.formal_decided_at
    case.closed_at = line.closed_at
    case.updated_at = line.last_change
    case.reflection_ends_on = reflection_period_end(local_date(line.presumed_at)) if line.presumed_at else None
    case.waiting_since = local_date(line.waiting_since)
    apply_deadline(case, calendar)
    # The age at referral, as the referral service would have computed it on the backdated day.
    referred_on = local_date(line.referred_at)
    age = data.birth(referred_on).youngest_age_on(referred_on)
    case.age_at_referral, case.age_band = age, age_band(age)
    case.is_child = age is not None and age < ADULT_AGE


RowT = TypeVar("RowT", bound=Model)


def _by_case(rows: Iterable[RowT]) -> dict[int, list[RowT]]:
    grouped: dict[int, list[RowT]] = defaultdict(list)
    for row in rows:
        grouped[row.case_id].append(row)  # type: ignore[attr-defined]
    return grouped


def backdate(executed: list[tuple[CasePlan, Case]]) -> None:
    calendar = working_calendar()
    ids = [case.pk for _, case in executed]
    events = _by_case(CaseEvent.objects.filter(case_id__in=ids).order_by("case_id", "id"))
    decisions = _by_case(Decision.objects.filter(case_id__in=ids).order_by("case_id", "id"))
    cases = Case.objects.in_bulk(ids)
    persons = Person.objects.in_bulk([case.person_id for case in cases.values() if case.person_id])
    for plan, created in executed:
        assert plan.data is not None
        line = _timeline(plan)
        case_events = events[created.pk]
        # Acknowledging also assigns the coordinator: that event shares the moment of the acknowledgement.
        step_events = [event for event in case_events if event.action != "assign_coordinator"]
        if len(step_events) != len(plan.moments):
            raise RuntimeError(f"{created.reference}: {len(step_events)} timeline events for "
                               f"{len(plan.moments)} steps; the services changed what they record.")
        for event, moment in zip(step_events, plan.moments, strict=True):
            event.at = moment
        for previous, event in pairwise(case_events):
            if event.action == "assign_coordinator":
                event.at = previous.at
        for index, (decision, moment) in enumerate(zip(decisions[created.pk], line.decided_at, strict=True)):
            decision.decided_at = moment
            decision.reviewed_at = line.reviewed_at.get(index, decision.reviewed_at)
        case = cases[created.pk]
        _backdate_case(case, line, plan.data, calendar)
        if case.person_id:
            person = persons[case.person_id]
            person.created_at = person.updated_at = line.referred_at
            if person.estimated_age is not None:
                person.estimated_on = local_date(line.referred_at)
    CaseEvent.objects.bulk_update([e for rows in events.values() for e in rows], ["at"], batch_size=500)
    Decision.objects.bulk_update([d for rows in decisions.values() for d in rows], ["decided_at", "reviewed_at"],
                                 batch_size=500)
    Case.objects.bulk_update(cases.values(), [
        "referred_at", "acknowledged_at", "preliminary_decided_at", "formal_decided_at", "closed_at", "updated_at",
        "reflection_ends_on", "due_step", "due_on", "waiting_since", "age_at_referral", "age_band", "is_child",
    ], batch_size=500)
    Person.objects.bulk_update(persons.values(), ["created_at", "updated_at", "estimated_on"], batch_size=500)


# --- The draft and the whole seeding ----------------------------------------------------------

DRAFT = {
    "given_name_latin": ["Mariam"],
    "family_name_latin": ["Kouyaté"],
    "sex": [Sex.FEMALE.value],
    "region": [Region.RABAT_SALE_KENITRA.value],
    "nationalities": ["ML"],
    "circumstances": ["Rencontrée à la gare routière de Rabat : dit travailler dans un salon de coiffure sans "
                      "salaire. Entretien à compléter avec un interprète bambara."],
}


def _say(stdout: Writer | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def seed_demo(*, cases: int = DEFAULT_CASES, random_seed: int = DEFAULT_RANDOM_SEED,
              stdout: Writer | None = None) -> SeedReport:
    """Load the demo data once; when the demo accounts exist already, create nothing."""
    existing = set(User.objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True))
    if existing == set(DEMO_USERNAMES):
        return SeedReport(created=False, cases_by_status={}, accounts=demo_accounts())
    if existing:
        raise SeedConflict(f"Some demo accounts exist already ({', '.join(sorted(existing))}) but not all; "
                           "seeding would mix demo data with other data.")
    rng = random.Random(random_seed)
    with transaction.atomic():
        _say(stdout, "Creating agencies and demo accounts…")
        users = _create_accounts(_create_agencies())
        cast = Cast.from_users(users)
        plans = plan_cases(rng, cases, cast, now=timezone.now())
        _say(stdout, f"Referring {cases} cases and moving them through the mechanism…")
        # In the order they were referred, so that the references of each year follow that order.
        chronological = sorted(plans, key=lambda plan: plan.moments[0])
        executed = [(plan, _execute(rng, plan, cast)) for plan in chronological]
        _say(stdout, "Backdating their histories…")
        backdate(executed)
        ids = [case.pk for _, case in executed]
        _say(stdout, "Adding screenings to part of the referrals…")
        add_screenings(rng, Case.objects.filter(pk__in=ids).select_related("referred_by")
                       .prefetch_related("exploitation_forms").order_by("pk"))
        _say(stdout, "Adding assistance plans and proceedings…")
        add_casework(rng, Case.objects.filter(pk__in=ids).order_by("pk"), case_manager=users["casemanager"],
                     prosecutor=users["parquet.rabat"])
        draft_save(author=users["police.rabat"], data=DRAFT)
        _say(stdout, "Adding the services directory…")
        add_services(rng)
        backdate_proposals()
        add_service_referrals(rng, users)
        _say(stdout, "Adding progress on the example action plan…")
        add_action_plan_progress(users)
    statuses = Counter(Case.objects.filter(pk__in=ids).values_list("status", flat=True))
    return SeedReport(
        created=True, cases_by_status={status: statuses[status] for status in Status if statuses[status]},
        accounts=demo_accounts(),
    )

