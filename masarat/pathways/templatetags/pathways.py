from django import template

from masarat.pathways.models import ServiceReferral
from masarat.pathways.selectors import answer_flag as answer_flag_of
from masarat.pathways.selectors import deadline_flag as flag_of

register = template.Library()


@register.filter
def deadline_flag(referral: ServiceReferral) -> str:
    """``overdue``, ``due_this_week`` or nothing, for the referral's next move."""
    return flag_of(referral.deadline)


@register.filter
def answer_flag(referral: ServiceReferral) -> str:
    """The same, on the provider's side: only while its answer is awaited."""
    return answer_flag_of(referral)
