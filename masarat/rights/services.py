"""Rights of the persons (Law 09-08): access-request export, erasure; retention and legal holds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case
from masarat.people.models import Person
from masarat.rights.models import Erasure, LegalHold
from masarat.rights.registry import handlers


class RightsRefused(Exception):
    """The request cannot be carried out (a legal hold applies, the person was already erased...)."""


# --- Access request ----------------------------------------------------------------------------

def person_data_export(*, person: Person, by: User | None) -> dict[str, Any]:
    """Everything Masarat keeps about one person, for their access request (audited)."""
    cases = list(Case.objects.filter(person=person).select_related("referring_agency").order_by("referred_at"))
    record_event(actor=by, action="person.export", target_type="person", target_id=str(person.pk),
                 case_reference=cases[0].reference if cases else "",
                 details={"references": [case.reference for case in cases]})
    return {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "controller": _("National commission against trafficking in persons: secretariat of the referral mechanism"),
        "case_references": [case.reference for case in cases],
        **{handler.label: handler.export(person, cases) for handler in handlers()},
    }


# --- Erasure -----------------------------------------------------------------------------------

def _active_holds(person: Person) -> QuerySet[LegalHold]:
    return LegalHold.objects.filter(case__person=person, lifted_at__isnull=True)


@transaction.atomic
def person_erase(*, person: Person, ground: str, by: User | None, reason: str = "") -> Erasure:
    """Erase the identifying data of ``person`` in every app; the cases keep their statistical profile."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if Erasure.objects.filter(person=person).exists():
        raise RightsRefused(_("This person's data was already erased."))
    if _active_holds(person).exists():
        raise RightsRefused(_("A legal hold applies to a case of this person: nothing can be erased."))
    cases = list(Case.objects.filter(person=person))
    for handler in handlers():
        handler.erase(person, cases)
    if by is not None:
        policy.require(policy.can_manage_data_rights(by))
    erasure = Erasure.objects.create(person=person, ground=ground, erased_by=by, reason=reason.strip(),
                                     case_references=[case.reference for case in cases])
    record_event(actor=by, action="person.erase", target_type="person", target_id=str(person.pk),
                 case_reference=cases[0].reference if cases else "",
                 details={"ground": ground, "references": erasure.case_references})
    return erasure


# --- Retention ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class RetentionItem:
    person: Person
    references: list[str]
    identified: bool
    last_closed_on: date
    due_on: date


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def retention_due(*, today: date | None = None) -> Iterator[RetentionItem]:
    """Persons whose every case is closed, longer ago than the retention period, with no legal hold."""
    today = today or timezone.localdate()
    periods = settings.MASARAT_RETENTION_YEARS
    open_case = Case.objects.filter(person=OuterRef("pk"), closed_at__isnull=True)
    identified = Case.objects.filter(person=OuterRef("pk"), status_before_close=Status.IDENTIFIED)
    held = LegalHold.objects.filter(case__person=OuterRef("pk"), lifted_at__isnull=True)
    shortest = min(periods.values())
    candidates = (
        Person.objects.filter(cases__isnull=False, erasure__isnull=True)
        .annotate(last_closed=Max("cases__closed_at"), identified=Exists(identified))
        .filter(~Exists(open_case), ~Exists(held), last_closed__date__lte=_years_after(today, -shortest))
        .order_by("last_closed", "pk")
    )
    for person in candidates.iterator(chunk_size=500):
        closed_on = timezone.localdate(person.last_closed)
        due_on = _years_after(closed_on, periods["identified" if person.identified else "other"])
        if due_on <= today:
            references = list(person.cases.order_by("referred_at").values_list("reference", flat=True))
            yield RetentionItem(person, references, person.identified, closed_on, due_on)


def retention_apply(*, today: date | None = None, dry_run: bool,
                    progress: Callable[[RetentionItem], None] | None = None) -> list[RetentionItem]:
    """Erase every person due (each in its own transaction), or only list them with ``dry_run``."""
    done = []
    for item in list(retention_due(today=today)):
        if not dry_run:
            person_erase(person=item.person, ground=Erasure.Ground.RETENTION, by=None)
        done.append(item)
        if progress:
            progress(item)
    return done


# --- Legal holds -------------------------------------------------------------------------------

@transaction.atomic
def legal_hold_place(*, case: Case, reason: str, by: User) -> LegalHold:
    policy.require(policy.can_manage_data_rights(by))
    if not reason.strip():
        raise RightsRefused(_("Give the reason for the legal hold."))
    hold = LegalHold.objects.create(case=case, reason=reason.strip(), placed_by=by)
    record_event(actor=by, action="case.legal_hold", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference, details={"hold": hold.pk})
    return hold


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, reason: str, by: User) -> LegalHold:
    policy.require(policy.can_manage_data_rights(by))
    if not reason.strip():
        raise RightsRefused(_("Give the reason for lifting the legal hold."))
    if hold.lifted_at:
        raise RightsRefused(_("This legal hold was already lifted."))
    hold.lifted_at, hold.lifted_by, hold.lift_reason = timezone.now(), by, reason.strip()
    hold.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    record_event(actor=by, action="case.legal_hold_lift", target_type="case", target_id=str(hold.case_id),
                 case_reference=hold.case.reference, details={"hold": hold.pk})
    return hold
