from django import template

from masarat.pathways.models import ServiceReferral
from masarat.pathways.selectors import deadline_flag as flag_of

register = template.Library()


@register.filter
def deadline_flag(referral: ServiceReferral) -> str:
    """``overdue``, ``due_this_week`` or nothing, for the referral's next move."""
    return flag_of(referral.deadline)
