"""Words for the engine's reasons, in the user's language."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masarat.matching.model import Reason

FIELD_LABELS: dict[str, Promise] = {
    "given_name": _("Given name"),
    "family_name": _("Family name"),
    "full_name": _("Whole name"),
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "nationality": _("Nationality"),
    "phone": _("Phone"),
    "document_number": _("Identity document"),
    "address": _("Address"),
}
OUTCOME_LABELS: dict[str, Promise] = {
    "different": _("different"),
    "partial": _("partly the same"),
    "sound": _("sounds the same"),
    "close": _("nearly the same"),
    "exact": _("the same"),
    "same": _("the same"),
    "conflict": _("incompatible"),
    "near": _("close"),
    "same_year": _("same year"),
    "same_month": _("same year and month"),
    "swapped": _("day and month swapped"),
    "one_edit": _("one character apart"),
    "similar": _("similar"),
    "rare": _("a rare name"),
    "common": _("a common name"),
}


def describe(reason: Reason) -> dict[str, object]:
    """A reason as shown and as given by the API: the field, the outcome, and their words."""
    return {
        "field": reason.field,
        "outcome": reason.outcome,
        "weight": round(reason.weight, 2),
        "field_label": str(FIELD_LABELS.get(reason.field, reason.field)),
        "outcome_label": str(OUTCOME_LABELS.get(reason.outcome, reason.outcome)),
    }
