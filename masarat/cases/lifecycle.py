"""The lifecycle of a case as an explicit state machine.

Every change of status goes through :func:`next_status`; a move that the table does not
contain is refused with :class:`IllegalTransition`, whose message explains why in the user's
language.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REFERRED = "referred", _("Referred, awaiting acknowledgement")
    AWAITING_PRELIMINARY = "awaiting_preliminary", _("Awaiting preliminary decision")
    PRELIMINARY_INFORMATION = "preliminary_information", _("More information needed (preliminary)")
    PRELIMINARY_NEGATIVE_REVIEW = "preliminary_negative_review", _("Negative preliminary decision under review")
    NOT_PRESUMED = "not_presumed", _("Not presumed a victim")
    REFLECTION_PERIOD = "reflection_period", _("Presumed victim, awaiting formal decision")
    FORMAL_INFORMATION = "formal_information", _("More information needed (formal)")
    FORMAL_NEGATIVE_REVIEW = "formal_negative_review", _("Negative formal decision under review")
    IDENTIFIED = "identified", _("Identified as a victim")
    NOT_IDENTIFIED = "not_identified", _("Not identified as a victim")
    CLOSED = "closed", _("Closed")
    ANONYMOUS_NOTIFICATION = "anonymous_notification", _("Anonymous notification (no consent)")


class Action(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge the referral")
    PRELIMINARY_POSITIVE = "preliminary_positive", _("Preliminary decision: presumed victim")
    PRELIMINARY_NEGATIVE = "preliminary_negative", _("Preliminary decision: not presumed a victim")
    PRELIMINARY_MORE_INFORMATION = "preliminary_more_information", _("Preliminary decision: more information")
    PRELIMINARY_REVIEW_CONFIRM = "preliminary_review_confirm", _("Second review: negative confirmed")
    PRELIMINARY_REVIEW_OVERTURN = "preliminary_review_overturn", _("Second review: overturned, presumed victim")
    FORMAL_POSITIVE = "formal_positive", _("Formal decision: identified as a victim")
    FORMAL_NEGATIVE = "formal_negative", _("Formal decision: not identified")
    FORMAL_MORE_INFORMATION = "formal_more_information", _("Formal decision: more information")
    FORMAL_REVIEW_CONFIRM = "formal_review_confirm", _("Second review: negative confirmed")
    FORMAL_REVIEW_OVERTURN = "formal_review_overturn", _("Second review: overturned, identified")
    REQUEST_RECONSIDERATION = "request_reconsideration", _("Reconsideration requested")
    CLOSE = "close", _("Case closed")
    REOPEN = "reopen", _("Case reopened")


S, A = Status, Action
_AWAITING_PRELIMINARY = (S.REFERRED, S.AWAITING_PRELIMINARY, S.PRELIMINARY_INFORMATION)
_AWAITING_FORMAL = (S.REFLECTION_PERIOD, S.FORMAL_INFORMATION)
_OPEN = (
    *_AWAITING_PRELIMINARY, S.PRELIMINARY_NEGATIVE_REVIEW, S.NOT_PRESUMED, *_AWAITING_FORMAL,
    S.FORMAL_NEGATIVE_REVIEW, S.IDENTIFIED, S.NOT_IDENTIFIED,
)

TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (S.REFERRED, A.ACKNOWLEDGE): S.AWAITING_PRELIMINARY,
    **{(s, A.PRELIMINARY_POSITIVE): S.REFLECTION_PERIOD for s in _AWAITING_PRELIMINARY},
    **{(s, A.PRELIMINARY_NEGATIVE): S.PRELIMINARY_NEGATIVE_REVIEW for s in _AWAITING_PRELIMINARY},
    **{(s, A.PRELIMINARY_MORE_INFORMATION): S.PRELIMINARY_INFORMATION for s in _AWAITING_PRELIMINARY},
    (S.PRELIMINARY_NEGATIVE_REVIEW, A.PRELIMINARY_REVIEW_CONFIRM): S.NOT_PRESUMED,
    (S.PRELIMINARY_NEGATIVE_REVIEW, A.PRELIMINARY_REVIEW_OVERTURN): S.REFLECTION_PERIOD,
    **{(s, A.FORMAL_POSITIVE): S.IDENTIFIED for s in _AWAITING_FORMAL},
    **{(s, A.FORMAL_NEGATIVE): S.FORMAL_NEGATIVE_REVIEW for s in _AWAITING_FORMAL},
    **{(s, A.FORMAL_MORE_INFORMATION): S.FORMAL_INFORMATION for s in _AWAITING_FORMAL},
    (S.FORMAL_NEGATIVE_REVIEW, A.FORMAL_REVIEW_CONFIRM): S.NOT_IDENTIFIED,
    (S.FORMAL_NEGATIVE_REVIEW, A.FORMAL_REVIEW_OVERTURN): S.IDENTIFIED,
    (S.NOT_PRESUMED, A.REQUEST_RECONSIDERATION): S.AWAITING_PRELIMINARY,
    (S.NOT_IDENTIFIED, A.REQUEST_RECONSIDERATION): S.REFLECTION_PERIOD,
    # A negative decision under review cannot be closed: the second review must happen first.
    **{(s, A.CLOSE): S.CLOSED for s in _OPEN if s not in (S.PRELIMINARY_NEGATIVE_REVIEW, S.FORMAL_NEGATIVE_REVIEW)},
    # Reopening returns to the status held before closure; see next_status.
    (S.CLOSED, A.REOPEN): S.CLOSED,
}

AWAITING_PRELIMINARY = frozenset(_AWAITING_PRELIMINARY)
AWAITING_FORMAL = frozenset(_AWAITING_FORMAL)
UNDER_REVIEW = frozenset({S.PRELIMINARY_NEGATIVE_REVIEW, S.FORMAL_NEGATIVE_REVIEW})
OPEN_STATUSES = frozenset(_OPEN)


class IllegalTransition(Exception):
    """A change of status that the lifecycle does not allow."""

    def __init__(self, status: str, action: str) -> None:
        self.status = Status(status)
        self.action = Action(action)
        super().__init__(
            _("“%(action)s” is not possible while the case is “%(status)s”.")
            % {"action": self.action.label, "status": self.status.label}
        )


def allowed_actions(status: str) -> list[Action]:
    return [action for (origin, action) in TRANSITIONS if origin == status]


def next_status(status: str, action: str, *, status_before_close: str = "") -> Status:
    key = (Status(status), Action(action))
    if key not in TRANSITIONS:
        raise IllegalTransition(status, action)
    if key == (S.CLOSED, A.REOPEN):
        if status_before_close not in OPEN_STATUSES:
            raise IllegalTransition(status, action)
        return Status(status_before_close)
    return TRANSITIONS[key]
