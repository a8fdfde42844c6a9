"""Reads of case management records, and the rules that hold a child's case back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.care.models import (
    AgeAssessment,
    AssistancePlan,
    BestInterestsAssessment,
    FamilyTracing,
    GuardianAppointment,
    PlanAction,
    ReintegrationFollowUp,
    ResidenceRecord,
    VoluntaryReturn,
)
from masarat.cases.models import Case
from masarat.cases.records import DueState, due_state, records_of
from masarat.people.ages import ADULT_AGE, is_child


def presumed_child(case: Case, today: date | None = None) -> bool:
    """Whether the person is treated as a child now.

    The latest age assessment decides, unless it is disputed: while the age is disputed, minority is
    presumed. Without an assessment, the date of birth (partial dates presume minority, see
    ``masarat.people.ages``) or, for an anonymous notification, the age at referral.
    """
    today = today or timezone.localdate()
    latest = AgeAssessment.objects.filter(case=case).order_by("-assessed_on", "-id").first()
    if latest is not None:
        return latest.disputed or latest.youngest_age < ADULT_AGE
    if case.person is not None:
        child = is_child(case.person.birth, today)
        if child is not None:
            return child
    return case.is_child


def active_guardian(case: Case, today: date | None = None) -> GuardianAppointment | None:
    today = today or timezone.localdate()
    return (GuardianAppointment.objects.filter(case=case, appointed_on__lte=today)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
            .order_by("-appointed_on", "-id").first())


def child_case_blockers(case: Case, today: date | None = None) -> list[str]:
    """Why a child's case cannot proceed now (to a formal decision, to service referrals); empty if it can.

    A child presumed a victim is protected first: a guardian must represent them before anything is
    decided or shared on their behalf.
    """
    if not presumed_child(case, today):
        return []
    if active_guardian(case, today) is None:
        return [_("This case concerns a child: a guardian must be appointed before the case can proceed.")]
    return []


@dataclass(frozen=True)
class ActionDue:
    action: PlanAction
    due: DueState


@dataclass(frozen=True)
class CareFile:
    plans: list[AssistancePlan]
    actions: list[ActionDue]
    age_assessments: list[AgeAssessment]
    guardians: list[GuardianAppointment]
    best_interests: list[BestInterestsAssessment]
    tracing: list[FamilyTracing]
    residence: list[ResidenceRecord]
    returns: list[VoluntaryReturn]
    follow_ups: list[ReintegrationFollowUp]
    child: bool
    blockers: list[str]

    @property
    def plan(self) -> AssistancePlan | None:
        return self.plans[-1] if self.plans else None

    foreign: bool

    @property
    def review_due(self) -> DueState:
        return due_state(self.plan.review_on if self.plan else None)

    @property
    def earlier_plans(self) -> list[AssistancePlan]:
        return self.plans[-2::-1]


def care_file(case: Case) -> CareFile:
    """Everything the case page shows of case management (the read itself is audited with the case)."""
    return CareFile(
        plans=list(records_of(AssistancePlan, case)),
        actions=[ActionDue(action, due_state(action.due_on, done=hasattr(action, "done")))
                 for action in records_of(PlanAction, case).select_related("done").order_by("due_on", "id")],
        age_assessments=list(records_of(AgeAssessment, case)),
        guardians=list(records_of(GuardianAppointment, case)),
        best_interests=list(records_of(BestInterestsAssessment, case)),
        tracing=list(records_of(FamilyTracing, case)),
        residence=list(records_of(ResidenceRecord, case)),
        returns=list(records_of(VoluntaryReturn, case)),
        follow_ups=list(records_of(ReintegrationFollowUp, case).select_related("voluntary_return")),
        child=presumed_child(case),
        blockers=child_case_blockers(case),
        foreign=bool(case.nationality) and case.nationality != settings.MASARAT_COUNTRY,
    )
