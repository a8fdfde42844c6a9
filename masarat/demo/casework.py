"""Case management for part of the demo cases: assistance plans for the case manager's files,
proceedings with hearings and suspected offenders for part of the identified victims, so that the
case pages, the deadlines and the offender counts show something."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from masarat.accounts.models import User
from masarat.care.models import AssistancePlan, PlanAction
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.people.vocabulary import Sex
from masarat.proceedings.models import (
    Hearing,
    OffenderStatus,
    OffenderStatusChange,
    PersonRole,
    Proceeding,
    ProceedingKind,
    ProceedingStep,
    Stage,
    SuspectedOffender,
)

GOALS = [
    "Hébergement sûr, soins médicaux, puis formation professionnelle.",
    "Mise en sécurité, régularisation du séjour et accompagnement juridique.",
    "Retour en famille préparé avec l'assistante sociale, scolarisation.",
]
WISHES = [
    "Je veux travailler et envoyer de l'argent à ma mère.",
    "Je ne veux plus jamais revoir cet homme. Je veux rester ici.",
    "Je voudrais apprendre la coiffure.",
    "",
]
ACTIONS = [
    ("Bilan de santé complet", "Centre de santé Yacoub El Mansour"),
    ("Accompagnement à la plainte", "Avocate de l'association"),
    ("Inscription à une formation", "Entraide nationale"),
    ("Séances de soutien psychologique", "Psychologue du centre"),
]
OFFENDER_DESIGNATIONS = ["Recruteur dit « Hajj »", "Employeuse, Hay Riad", "Chauffeur du réseau", "Intermédiaire"]
PROCEEDINGS_SHARE = 0.5


def add_casework(rng: random.Random, cases: Iterable[Case], *, case_manager: User, prosecutor: User) -> None:
    today = timezone.localdate()
    for case in cases:
        if case.status not in (Status.REFLECTION_PERIOD, Status.IDENTIFIED, Status.FORMAL_INFORMATION):
            continue
        if case.assigned_case_manager_id == case_manager.pk:
            AssistancePlan.objects.create(
                case=case, recorded_by=case_manager, goals=rng.choice(GOALS), wishes=rng.choice(WISHES),
                safety_needs="Éviter le quartier de l'ancien employeur.", health_needs="Suivi médical régulier.",
                review_on=today + timedelta(days=rng.randint(-5, 40)),
            )
            for description, responsible in rng.sample(ACTIONS, 2):
                PlanAction.objects.create(case=case, recorded_by=case_manager, description=description,
                                          responsible=responsible, due_on=today + timedelta(days=rng.randint(-7, 30)))
        if case.status == Status.IDENTIFIED and case.region == prosecutor.region and rng.random() < PROCEEDINGS_SHARE:
            _add_proceedings(rng, case, prosecutor)


def _add_proceedings(rng: random.Random, case: Case, prosecutor: User) -> None:
    today = timezone.localdate()
    opened = today - timedelta(days=rng.randint(60, 400))
    proceeding = Proceeding.objects.create(
        case=case, recorded_by=prosecutor, kind=ProceedingKind.CRIMINAL,
        authority="Tribunal de première instance de Rabat", file_number=f"{opened.year}/{rng.randint(100, 999)}",
        person_role=rng.choice([PersonRole.WITNESS, PersonRole.CIVIL_PARTY]),
        protection_measures="Audition sans confrontation avec les prévenus.", non_punishment=rng.random() < 0.3,
        opened_on=opened,
    )
    for offset, stage in enumerate((Stage.COMPLAINT, Stage.INVESTIGATION, Stage.PROSECUTION)):
        ProceedingStep.objects.create(case=case, recorded_by=prosecutor, proceeding=proceeding, stage=stage,
                                      on=opened + timedelta(days=30 * offset))
    Hearing.objects.create(case=case, recorded_by=prosecutor, proceeding=proceeding,
                           on=today + timedelta(days=rng.randint(-3, 20)), purpose="Audience de jugement")
    for designation in rng.sample(OFFENDER_DESIGNATIONS, rng.randint(1, 2)):
        offender = SuspectedOffender.objects.create(case=case, recorded_by=prosecutor, designation=designation,
                                                    sex=rng.choice([Sex.MALE, Sex.FEMALE]), nationality="MA")
        statuses = [OffenderStatus.INVESTIGATED, OffenderStatus.PROSECUTED]
        if rng.random() < 0.5:
            statuses.append(rng.choice([OffenderStatus.CONVICTED, OffenderStatus.ACQUITTED]))
        for offset, status in enumerate(statuses):
            OffenderStatusChange.objects.create(case=case, recorded_by=prosecutor, offender=offender, status=status,
                                                on=opened + timedelta(days=45 * offset))
