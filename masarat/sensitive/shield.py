"""The one helper that applies the policy's sensitive categories to what is shown: pages, API, exports.

A :class:`Shield` is made for one user and one case. :meth:`Shield.apply` replaces, on the records
about to be shown, the value of every sensitive field the user may not read with a
:class:`Restricted` text ("Restricted: health information"); the value never reaches a template,
a serializer or an export. What the user may read and is shown is audited once per page with its
categories (:meth:`Shield.audit`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.access.policy import SensitiveCategory
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case


def restricted_text(category: SensitiveCategory) -> str:
    if category == SensitiveCategory.HEALTH:
        return _("Restricted: health information")
    return _("Restricted: details of sexual exploitation or violence")


class Restricted(str):
    """What stands in place of a value the reader may not see (a text, in the reader's language)."""

    category: SensitiveCategory

    def __new__(cls, category: SensitiveCategory) -> Restricted:
        text = super().__new__(cls, restricted_text(category))
        text.category = category
        return text


def is_restricted(value: Any) -> bool:
    return isinstance(value, Restricted)


@dataclass
class Shield:
    user: User
    case: Case
    visible: frozenset[SensitiveCategory]
    shown: set[SensitiveCategory] = field(default_factory=set)
    hidden: set[SensitiveCategory] = field(default_factory=set)

    def allows(self, category: SensitiveCategory) -> bool:
        return category in self.visible

    def apply(self, rows: Iterable[Any]) -> list[Any]:
        """Mask, in place, the sensitive fields of ``rows`` that the user may not read; returns the rows."""
        rows = [row for row in rows if row is not None]
        for row in rows:
            restricted: list[SensitiveCategory] = []
            # A section of a sensitive category counts as read (or as restricted) even when a field is empty:
            # a screening's answers are shown beside its notes.
            for name, category in policy.sensitive_fields(row, self.case).items():
                value = getattr(row, name)
                if category in self.visible:
                    self.shown.add(category)
                    continue
                restricted.append(category)
                self.hidden.add(category)
                if value not in (None, "") and not is_restricted(value):
                    setattr(row, name, Restricted(category))
            row.restricted_categories = restricted
        return rows

    def restricts(self, row: Any) -> bool:
        """Whether :meth:`apply` masked something of ``row``."""
        return bool(getattr(row, "restricted_categories", None))

    def audit(self, *, channel: str = "") -> None:
        """Record that sensitive categories were read (never their values), in the caller's transaction."""
        if not self.shown:
            return
        details: dict[str, Any] = {"categories": sorted(self.shown)}
        if channel:
            details["via"] = channel
        record_event(actor=self.user, action="case.sensitive_read", target_type="case", target_id=str(self.case.pk),
                     case_reference=self.case.reference, details=details)
        self.shown.clear()

    def hidden_fields(self, row: Any) -> dict[str, SensitiveCategory]:
        """The sensitive fields of a record (new or stored) the user may not read: left out of forms."""
        return {name: category for name, category in policy.sensitive_fields(row, self.case).items()
                if category not in self.visible}


def shield_for(user: User, case: Case) -> Shield:
    return Shield(user=user, case=case, visible=policy.visible_sensitive_categories(user, case))
