"""Reads of proceedings; offenders only for the justice users; counts of offenders without identities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch
from django.db.models.functions import ExtractYear
from django.utils import timezone

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases.models import Case
from masarat.cases.records import DueState, due_state, records_of
from masarat.proceedings.models import (
    Hearing,
    OffenderStatus,
    OffenderStatusChange,
    Proceeding,
    ProceedingStep,
    SuspectedOffender,
)


@dataclass(frozen=True)
class HearingDue:
    hearing: Hearing
    due: DueState


@dataclass(frozen=True)
class ProceedingsFile:
    proceedings: list[Proceeding]
    hearings: list[HearingDue]
    offenders: list[SuspectedOffender] | None  # None: not for this user

    @property
    def overdue(self) -> int:
        return sum(item.due.overdue for item in self.hearings)


def proceedings_file(*, viewer: User, case: Case, today: date | None = None) -> ProceedingsFile:
    today = today or timezone.localdate()
    proceedings = list(records_of(Proceeding, case).prefetch_related(
        Prefetch("steps", queryset=ProceedingStep.objects.order_by("on", "id"))))
    hearings = [HearingDue(hearing, due_state(hearing.on, done=hearing.held, today=today))
                for hearing in records_of(Hearing, case).select_related("proceeding")]
    offenders = None
    if policy.can_see_offenders(viewer, case):
        offenders = list(records_of(SuspectedOffender, case).prefetch_related("statuses"))
    return ProceedingsFile(proceedings, hearings, offenders)


def hearings_awaited(*, viewer: User, today: date | None = None) -> list[HearingDue] | None:
    """Hearings not yet held in the viewer's reach, the most overdue first; ``None``: not for this user."""
    today = today or timezone.localdate()
    if policy.is_justice(viewer):
        hearings = Hearing.objects.filter(case__region=viewer.region)
    elif policy.case_file_filter(viewer) is not None:
        hearings = Hearing.objects.filter(case__in=policy.scope_cases(viewer, Case.objects.all()))
    else:
        return None
    hearings = hearings.filter(held=False).select_related("case", "proceeding").order_by("on", "id")
    return [HearingDue(hearing, due_state(hearing.on, today=today)) for hearing in hearings]


def offender_counts(*, viewer: User) -> dict[int, dict[str, int]]:
    """Suspected offenders per year and status (investigated, prosecuted, convicted, acquitted).

    No identity leaves this function: only years, statuses and numbers. An offender counts once per
    status, in the year that status was reached.
    """
    policy.require(policy.can_count_offenders(viewer))
    rows = (OffenderStatusChange.objects.annotate(year=ExtractYear("on")).values("year", "status")
            .annotate(offenders=Count("offender", distinct=True)).order_by("year", "status"))
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["year"], {status.value: 0 for status in OffenderStatus})[row["status"]] = \
            row["offenders"]
    return counts
