import pytest

from masarat.cases.lifecycle import TRANSITIONS, Action, IllegalTransition, Status, allowed_actions, next_status


def test_the_happy_path_from_referral_to_identification():
    status = Status.REFERRED
    for action in (Action.ACKNOWLEDGE, Action.PRELIMINARY_POSITIVE, Action.FORMAL_POSITIVE, Action.CLOSE):
        status = next_status(status, action)
    assert status == Status.CLOSED


def test_a_negative_decision_always_goes_to_a_second_review():
    assert next_status(Status.AWAITING_PRELIMINARY, Action.PRELIMINARY_NEGATIVE) == Status.PRELIMINARY_NEGATIVE_REVIEW
    assert next_status(Status.REFLECTION_PERIOD, Action.FORMAL_NEGATIVE) == Status.FORMAL_NEGATIVE_REVIEW
    assert next_status(Status.PRELIMINARY_NEGATIVE_REVIEW, Action.PRELIMINARY_REVIEW_OVERTURN) == \
        Status.REFLECTION_PERIOD


def test_reconsideration_returns_to_the_decision_that_was_negative():
    assert next_status(Status.NOT_PRESUMED, Action.REQUEST_RECONSIDERATION) == Status.AWAITING_PRELIMINARY
    assert next_status(Status.NOT_IDENTIFIED, Action.REQUEST_RECONSIDERATION) == Status.REFLECTION_PERIOD


def test_reopening_restores_the_status_before_closure():
    assert next_status(Status.CLOSED, Action.REOPEN, status_before_close=Status.IDENTIFIED) == Status.IDENTIFIED
    with pytest.raises(IllegalTransition):
        next_status(Status.CLOSED, Action.REOPEN, status_before_close="")


@pytest.mark.parametrize(("status", "action"), [
    (Status.REFERRED, Action.FORMAL_POSITIVE),
    (Status.IDENTIFIED, Action.PRELIMINARY_POSITIVE),
    (Status.ANONYMOUS_NOTIFICATION, Action.ACKNOWLEDGE),
    (Status.ANONYMOUS_NOTIFICATION, Action.CLOSE),
    (Status.REFLECTION_PERIOD, Action.REQUEST_RECONSIDERATION),
    (Status.CLOSED, Action.CLOSE),
])
def test_illegal_transitions_are_refused_with_a_clear_message(status, action):
    with pytest.raises(IllegalTransition) as refused:
        next_status(status, action)
    assert str(Status(status).label) in str(refused.value)


def test_an_anonymous_notification_is_final():
    assert allowed_actions(Status.ANONYMOUS_NOTIFICATION) == []


def test_every_status_but_the_final_ones_can_be_left():
    final = {Status.ANONYMOUS_NOTIFICATION}
    origins = {origin for origin, _action in TRANSITIONS}
    assert origins == set(Status) - final
