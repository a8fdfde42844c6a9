from __future__ import annotations

from django import template
from django.utils.formats import number_format

from masarat.duplicates.labels import describe
from masarat.matching.model import Reason

register = template.Library()


@register.filter
def percent(probability: float) -> str:
    return f"{number_format(probability * 100, 0)} %"


@register.simple_tag
def reason_text(reason: Reason) -> str:
    described = describe(reason)
    return f"{described['field_label']}: {described['outcome_label']}"
