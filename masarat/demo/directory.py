"""Demo services directory: the providers of a plausible national network, with free places."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from masarat.accounts.models import User
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.consent.services import consent_record
from masarat.consent.vocabulary import ConsentGiver, ConsentPurpose
from masarat.deadlines.calendar import working_calendar
from masarat.directory.models import Service, ServiceLanguage
from masarat.directory.vocabulary import Audience, NationalityRule, ServiceKind
from masarat.organisations.models import Agency, AgencyKind
from masarat.organisations.regions import Region
from masarat.pathways.models import PathwayStep, ServiceReferral
from masarat.pathways.ranking import suggest
from masarat.pathways.services import referral_accept, referral_decline, referral_record_delivery, referral_send
from masarat.pathways.vocabulary import Outcome, ReferralStatus

K, R, A = ServiceKind, Region, Audience
EVERY_DAY = "7j/7, 24h/24"
OFFICE = "Lun.–ven. 8h30–16h30"


@dataclass(frozen=True)
class ServiceSpec:
    provider: str
    provider_kind: AgencyKind
    kind: ServiceKind
    name: str
    region: Region
    city: str
    languages: tuple[str, ...]
    audience: Audience = A.EVERYONE
    min_age: int | None = None
    max_age: int | None = None
    nationality: NationalityRule = NationalityRule.ANY
    forms: tuple[str, ...] = ()
    places: int | None = None
    hours: str = OFFICE


SHELTER_TANGER_NAME = "Centre d'accueil d'urgence de Tanger"
_S, _N, _H, _I = AgencyKind.SHELTER, AgencyKind.NGO, AgencyKind.HEALTH, AgencyKind.INTERNATIONAL_ORGANISATION
SERVICES: tuple[ServiceSpec, ...] = (
    ServiceSpec(SHELTER_TANGER_NAME, _S, K.EMERGENCY_SHELTER, "Hébergement d'urgence femmes – Tanger",
                R.TANGER_TETOUAN_AL_HOCEIMA, "Tanger", ("ar", "ary", "fr", "es"), A.WOMEN, 18, None, places=12,
                hours=EVERY_DAY),
    ServiceSpec(SHELTER_TANGER_NAME, _S, K.EMERGENCY_SHELTER, "Hébergement d'urgence hommes – Tanger",
                R.TANGER_TETOUAN_AL_HOCEIMA, "Tanger", ("ar", "ary", "fr"), A.MEN, 18, None, places=8,
                hours=EVERY_DAY),
    ServiceSpec(SHELTER_TANGER_NAME, _S, K.PSYCHOLOGICAL, "Écoute et soutien psychologique – Tanger",
                R.TANGER_TETOUAN_AL_HOCEIMA, "Tanger", ("ar", "ary", "fr")),
    ServiceSpec("Maison d'accueil Dar Al Amane – Rabat", _S, K.EMERGENCY_SHELTER, "Accueil d'urgence femmes – Rabat",
                R.RABAT_SALE_KENITRA, "Rabat", ("ar", "ary", "fr", "en"), A.WOMEN, 18, None, places=10,
                hours=EVERY_DAY),
    ServiceSpec("Maison d'accueil Dar Al Amane – Rabat", _S, K.LONG_TERM_SHELTER, "Foyer de moyen séjour – Rabat",
                R.RABAT_SALE_KENITRA, "Rabat", ("ar", "ary", "fr"), A.WOMEN, 18, None, places=20),
    ServiceSpec("Centre de protection de l'enfance – Salé", _S, K.EMERGENCY_SHELTER, "Accueil d'urgence enfants – Salé",
                R.RABAT_SALE_KENITRA, "Salé", ("ar", "ary", "fr"), A.EVERYONE, None, 17, places=15, hours=EVERY_DAY),
    ServiceSpec("Centre de protection de l'enfance – Salé", _S, K.EDUCATION, "Scolarisation et soutien scolaire",
                R.RABAT_SALE_KENITRA, "Salé", ("ar", "fr"), A.EVERYONE, 6, 17),
    ServiceSpec("Foyer Al Karama – Casablanca", _S, K.EMERGENCY_SHELTER, "Hébergement d'urgence – Casablanca",
                R.CASABLANCA_SETTAT, "Casablanca", ("ar", "ary", "fr", "en"), A.EVERYONE, 18, None, places=0,
                hours=EVERY_DAY),
    ServiceSpec("Association Fès Solidarité – Accueil", _S, K.EMERGENCY_SHELTER, "Accueil d'urgence – Fès",
                R.FES_MEKNES, "Fès", ("ar", "ary", "fr"), A.WOMEN, 16, None, places=6, hours=EVERY_DAY),
    ServiceSpec("CHU Ibn Sina – Unité d'accueil des victimes", _H, K.MEDICAL, "Consultation médicale et soins",
                R.RABAT_SALE_KENITRA, "Rabat", ("ar", "ary", "fr", "en"), hours=EVERY_DAY),
    ServiceSpec("CHU Ibn Sina – Unité d'accueil des victimes", _H, K.PSYCHOLOGICAL,
                "Psychiatrie et psychotraumatologie", R.RABAT_SALE_KENITRA, "Rabat", ("ar", "fr")),
    ServiceSpec("Centre hospitalier Mohammed VI – Tanger", _H, K.MEDICAL, "Urgences et unité femmes et enfants",
                R.TANGER_TETOUAN_AL_HOCEIMA, "Tanger", ("ar", "ary", "fr", "es"), hours=EVERY_DAY),
    ServiceSpec("Association Adala – Aide juridique", _N, K.LEGAL_AID, "Conseil et accompagnement juridique",
                R.RABAT_SALE_KENITRA, "Rabat", ("ar", "fr", "en")),
    ServiceSpec("Association Adala – Aide juridique", _N, K.LEGAL_AID, "Permanence juridique – Casablanca",
                R.CASABLANCA_SETTAT, "Casablanca", ("ar", "fr")),
    ServiceSpec("Réseau des interprètes solidaires", _N, K.INTERPRETATION, "Interprétariat (présence ou téléphone)",
                R.RABAT_SALE_KENITRA, "Rabat", ("en", "fr", "wo", "bm", "ff", "ln", "ha", "yo", "ig", "tl", "bn", "ur"),
                hours=EVERY_DAY),
    ServiceSpec("Organisation internationale pour les migrations (OIM) – Mission au Maroc", _I, K.VOLUNTARY_RETURN,
                "Retour volontaire et réintégration", R.RABAT_SALE_KENITRA, "Rabat", ("fr", "en", "ar"),
                nationality=NationalityRule.FOREIGN),
    ServiceSpec("Organisation internationale pour les migrations (OIM) – Mission au Maroc", _I, K.FAMILY_TRACING,
                "Recherche familiale", R.RABAT_SALE_KENITRA, "Rabat", ("fr", "en", "ar")),
    ServiceSpec("Consulat général de Côte d'Ivoire à Casablanca", AgencyKind.CONSULATE, K.CONSULAR_ASSISTANCE,
                "Assistance consulaire aux ressortissants ivoiriens", R.CASABLANCA_SETTAT, "Casablanca", ("fr",),
                nationality=NationalityRule.FOREIGN),
    ServiceSpec("Entraide nationale – Délégation de Rabat", AgencyKind.SOCIAL_SERVICES, K.FINANCIAL_ASSISTANCE,
                "Aide financière d'urgence", R.RABAT_SALE_KENITRA, "Rabat", ("ar", "ary", "fr")),
    ServiceSpec("Entraide nationale – Délégation de Rabat", AgencyKind.SOCIAL_SERVICES, K.VOCATIONAL_TRAINING,
                "Formation professionnelle et insertion", R.RABAT_SALE_KENITRA, "Rabat", ("ar", "ary", "fr"),
                A.EVERYONE, 16, None),
    ServiceSpec("Association Tanja Solidarité", _N, K.VOCATIONAL_TRAINING, "Ateliers d'insertion – Tanger",
                R.TANGER_TETOUAN_AL_HOCEIMA, "Tanger", ("ar", "ary", "fr", "es"), A.WOMEN, 18, None,
                forms=("SexualExploitation", "Servitude")),
)


def add_services(rng: random.Random) -> int:
    """Create the providers (reusing agencies of the same name) and their services; return how many."""
    now = timezone.now()
    for spec in SERVICES:
        provider, _created = Agency.objects.get_or_create(
            name=spec.provider, defaults={"kind": spec.provider_kind, "region": spec.region, "city": spec.city})
        free = None if spec.places is None else (rng.randint(1, spec.places) if spec.places else 0)
        service = Service.objects.create(
            provider=provider, kind=spec.kind, name=spec.name, region=spec.region, city=spec.city,
            audience=spec.audience, min_age=spec.min_age, max_age=spec.max_age, nationality_rule=spec.nationality,
            exploitation_forms=list(spec.forms), opening_hours=spec.hours, contact_phone="+212 5 37 00 00 00",
            capacity_total=spec.places, capacity_free=free,
            capacity_updated_at=now if spec.places is not None else None,
        )
        ServiceLanguage.objects.bulk_create([ServiceLanguage(service=service, language=code)
                                             for code in spec.languages])
    return len(SERVICES)


def add_service_referrals(rng: random.Random, users: dict[str, User], *, count: int = 6) -> int:
    """Consent and emergency-shelter referrals for recent presumed victims of Tanger, so that the shelter's
    inbox and the coordinator's escalations hold something: sent, accepted, delivered, declined."""
    coordinator, shelter_user = users["tanger.coordinator"], users["shelter.tanger"]
    cases = list(Case.objects.filter(region=Region.TANGER_TETOUAN_AL_HOCEIMA, status=Status.REFLECTION_PERIOD,
                                     person__isnull=False).order_by("-preliminary_decided_at")[:count])
    sent = 0
    for number, case in enumerate(cases):
        giver = ConsentGiver.BEST_INTERESTS if case.is_child else ConsentGiver.PERSON
        consent_record(case=case, purpose=ConsentPurpose.SERVICE_REFERRAL, given_by=giver,
                       giver_name="Décision d'intérêt supérieur" if case.is_child else "", by=coordinator)
        proposal = case.service_referrals.filter(kind=ServiceKind.EMERGENCY_SHELTER,
                                                 status=ReferralStatus.PROPOSED).first()
        choices = suggest(case, ServiceKind.EMERGENCY_SHELTER) if proposal is not None else []
        if proposal is None or not choices:
            continue
        referral = referral_send(referral=proposal, service=choices[0].service, by=coordinator)
        sent += 1
        if referral.service is None or referral.service.provider_id != shelter_user.agency_id:
            continue
        step = number % 3
        if step == 1:
            referral_accept(referral=referral, by=shelter_user)
            if rng.random() < 0.5:
                referral_record_delivery(referral=referral, note="Hébergement, repas et kit d'hygiène.",
                                         outcome=Outcome.ONGOING, by=shelter_user)
        elif step == 2:
            referral_decline(referral=referral, reason="Plus de place ce soir.", by=shelter_user)
    return sent


RECENT_DAYS = 45


def backdate_proposals() -> None:
    """Proposals were made when the demo cases were decided, in the past: their deadlines run from then,
    so that older ones show as overdue; those of closed cases were skipped when the case closed."""
    calendar = working_calendar()
    recent = timezone.now() - timedelta(days=RECENT_DAYS)
    days: dict[tuple[int | None, str], int] = {
        (step.template_id, step.kind): step.due_working_days for step in PathwayStep.objects.all()}
    proposals = list(ServiceReferral.objects.filter(status=ReferralStatus.PROPOSED)
                     .select_related("case").order_by("pk"))
    for referral in proposals:
        case = referral.case
        if case.status == Status.CLOSED:
            referral.status, referral.skip_reason = ReferralStatus.SKIPPED, "Dossier clôturé."
        elif case.preliminary_decided_at is None or case.preliminary_decided_at < recent:
            referral.status = ReferralStatus.SKIPPED
            referral.skip_reason = "Prise en charge organisée avant la mise en service des parcours."
        else:
            decided = timezone.localtime(case.preliminary_decided_at).date()
            referral.due_on = calendar.add_working_days(decided, days.get((referral.template_id, referral.kind), 5))
    ServiceReferral.objects.bulk_update(proposals, ["status", "skip_reason", "due_on"], batch_size=500)
