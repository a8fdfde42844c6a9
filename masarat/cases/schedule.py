"""Which deadline a case faces next, given its status and key dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from masarat.cases.lifecycle import AWAITING_FORMAL, AWAITING_PRELIMINARY, UNDER_REVIEW, Status
from masarat.cases.models import Case, DeadlineStep
from masarat.deadlines.calendar import WorkingCalendar, deadline_setting


@dataclass(frozen=True)
class Deadline:
    step: str
    due_on: date


def local_date(moment: object) -> date:
    return timezone.localtime(moment).date()  # type: ignore[arg-type]


def reflection_period_end(start: date) -> date:
    return start + timedelta(days=deadline_setting("reflection_period_days"))


def next_deadline(case: Case, calendar: WorkingCalendar, *, since: date) -> Deadline | None:
    """The deadline of the step the case waits for; ``since`` is when that wait began."""
    if case.status == Status.REFERRED:
        return Deadline(DeadlineStep.ACKNOWLEDGE,
                        calendar.add_working_days(since, deadline_setting("acknowledge_working_days")))
    if case.status in AWAITING_PRELIMINARY:
        return Deadline(DeadlineStep.PRELIMINARY_DECISION,
                        calendar.add_working_days(since, deadline_setting("preliminary_decision_working_days")))
    if case.status in UNDER_REVIEW:
        return Deadline(DeadlineStep.NEGATIVE_REVIEW,
                        calendar.add_working_days(since, deadline_setting("negative_review_working_days")))
    if case.status == Status.FORMAL_INFORMATION:
        # The information asked for needs time to arrive; the decision is due after it.
        waited = calendar.add_working_days(since, deadline_setting("information_request_working_days"))
        return Deadline(DeadlineStep.FORMAL_DECISION, max(case.reflection_ends_on or waited, waited))
    if case.status in AWAITING_FORMAL:
        # The decision may be taken from the end of the reflection period and is due a few working days later.
        opens = max(case.reflection_ends_on or since, since)
        return Deadline(DeadlineStep.FORMAL_DECISION,
                        calendar.add_working_days(opens, deadline_setting("formal_decision_working_days")))
    return None


def apply_deadline(case: Case, calendar: WorkingCalendar) -> bool:
    """Set the case's next deadline from its status and the start of its wait; say if it changed."""
    deadline = next_deadline(case, calendar, since=case.waiting_since) if case.waiting_since else None
    due = (deadline.step, deadline.due_on) if deadline else ("", None)
    changed = due != (case.due_step, case.due_on)
    case.due_step, case.due_on = due
    return changed


def reflection_period_running(case: Case, today: date) -> bool:
    """A formal decision waits until the recovery and reflection period has ended."""
    return case.reflection_ends_on is not None and today < case.reflection_ends_on


def is_overdue(case: Case, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return case.due_on is not None and case.due_on < today
