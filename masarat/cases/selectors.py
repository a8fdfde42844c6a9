"""Reads of cases, always through the access policy; reads of identities are audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    Lookup,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    TextField,
)
from django.db.models.functions import Cast
from django.utils import timezone

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case, CaseEvent, CaseExploitation, CasePlace, Decision, ReferenceCounter
from masarat.people.models import Person
from masarat.people.search import matching_person_ids
from masarat.vault.fields import EncryptedTextField


@dataclass(frozen=True)
class CaseFilters:
    status: str = ""
    region: str = ""
    exploitation: str = ""
    child: bool | None = None
    overdue: bool = False
    search: str = ""
    mine: bool = False


def _list_queryset() -> QuerySet[Case]:
    return Case.objects.select_related("person", "referring_agency", "assigned_case_manager").prefetch_related(
        Prefetch("exploitation_forms", queryset=CaseExploitation.objects.order_by("form"))
    )


def case_queue(*, viewer: User, filters: CaseFilters, today: date | None = None) -> QuerySet[Case]:
    """The cases a coordinator or case manager works on, most urgent first."""
    cases = policy.scope_cases(viewer, _list_queryset())
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.region:
        cases = cases.filter(region=filters.region)
    if filters.exploitation:
        # A semi-join rather than a join and DISTINCT: the queue can then be read in deadline order
        # and stop at the page, instead of sorting every case of that form.
        cases = cases.filter(Exists(CaseExploitation.objects.filter(case=OuterRef("pk"), form=filters.exploitation)))
    if filters.child is not None:
        cases = cases.filter(is_child=filters.child)
    if filters.overdue:
        cases = cases.filter(due_on__lt=today or timezone.localdate())
    if filters.mine:
        cases = cases.filter(Q(assigned_coordinator=viewer) | Q(assigned_case_manager=viewer))
    if filters.search:
        cases = cases.filter(_search_filter(filters.search))
    cases = cases.annotate(overdue=ExpressionWrapper(Q(due_on__lt=today or timezone.localdate()),
                                                     output_field=BooleanField()))
    # Cases without a deadline (decided, closed) come after those waiting, on every database.
    cases = cases.order_by(F("due_on").asc(nulls_last=True), "-referred_at")
    return cases


# What a line of the queue shows, read as plain values (no model objects): the case's own columns,
# its referring agency's name, and the person's names still encrypted, to be decrypted only as far
# as the line shows them.
QUEUE_LINE_COLUMNS = ("id", "reference", "status", "referred_at", "region", "version", "due_step", "due_on", "sex",
                      "is_child", "age_band", "nationality", "person_id", "referring_agency__name")
_NAMES = ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic")


def case_queue_lines(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """The lines of one page of the queue: ``cases`` is a page of ``case_queue`` (already scoped by
    the policy, filtered, ordered and sliced). Two queries whatever the page's length: the lines,
    then the forms of exploitation of all of them.

    Each line holds ``QUEUE_LINE_COLUMNS``, ``display_name`` (as ``Person.display_name``: the name
    in Latin script, else in Arabic script; ``None`` without a person) and ``exploitation_forms``
    (codes in alphabetical order). Only the names shown are decrypted: the Arabic script only when
    the Latin one is empty.
    """
    encrypted = {f"{name}_token": Cast(f"person__{name}", output_field=TextField()) for name in _NAMES}
    lines = list(cases.prefetch_related(None).values(*QUEUE_LINE_COLUMNS, **encrypted))
    forms: dict[int, list[str]] = {line["id"]: [] for line in lines}
    if forms:
        for case_id, form in (CaseExploitation.objects.filter(case_id__in=forms).order_by("case_id", "form")
                              .values_list("case_id", "form")):
            forms[case_id].append(form)
    for line in lines:
        tokens = [line.pop(f"{name}_token") for name in _NAMES]
        line["display_name"] = None if line["person_id"] is None else _display_name(tokens)
        line["exploitation_forms"] = forms[line["id"]]
    return lines


def _display_name(tokens: list[str | None]) -> str:
    """``Person.display_name`` from the encrypted names (in the order of ``_NAMES``)."""
    for script in (slice(0, 2), slice(2, 4)):  # Latin script, then Arabic script
        parts = [field.from_db_value(token, None, None) if token else ""
                 for token, field in zip(tokens[script], _NAME_FIELDS[script], strict=True)]
        if name := " ".join(part for part in parts if part):
            return name
    return ""


_NAME_FIELDS = tuple(cast(EncryptedTextField, Person._meta.get_field(name)) for name in _NAMES)


def _search_filter(text: str) -> Q:
    """A reference, a case number, or what identifies the person (through the blind indexes: the
    names are encrypted, so words are compared whole, after normalisation, never as substrings).

    Every alternative goes through an index (references, the persons' ids found from their
    tokens), so that the database combines them instead of testing every case of a large table.
    """
    text = text.strip()
    # References are written in capitals: as typed, or in capitals (a comparison the unique index answers).
    rule = Q(reference__in={text, text.upper()})
    if text.isdigit():
        # A case number: its references in every year numbered so far.
        years = ReferenceCounter.objects.values_list("year", flat=True)
        rule |= Q(reference__in=[f"{settings.MASARAT_REFERENCE_PREFIX}-{year}-{int(text):06d}" for year in years])
    if persons := matching_person_ids(text):
        rule |= Q(InArray(F("person_id"), persons))
    return rule


class InArray(Lookup):
    """``lhs`` (a big integer column) is one of ``rhs``, a list of integers: on PostgreSQL one array
    parameter (``= ANY(%s::bigint[])``, which the database hashes as it does a long ``IN`` list),
    elsewhere ``IN``. A common name is carried by thousands of persons: as one parameter each,
    their ids cost more to build into every query of a page (the count, the lines) than the
    database takes to answer them."""

    lookup_name = "in_array"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if connection.vendor == "postgresql":
            return f"{lhs_sql} = ANY(%s::bigint[])", [*lhs_params, values]
        if not values:
            raise EmptyResultSet
        return f"{lhs_sql} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def referrals_of_agency(*, viewer: User) -> QuerySet[Case]:
    """What a frontline responder follows: their agency's referrals and their status."""
    return policy.scope_cases(viewer, _list_queryset(), full_file=False).order_by("-referred_at")


def case_file(*, viewer: User, reference: str) -> Case:
    """Open a case file (identities included) and record the read in the audit trail."""
    case = policy.get_case_or_404(
        viewer,
        Case.objects.select_related(
            "person", "referring_agency", "referred_by", "assigned_coordinator", "assigned_case_manager", "referral",
        ).prefetch_related(
            "referral__indicators", "assessments__indicator_set", "assessments__answers", "assessments__assessor",
            "person__nationalities", "person__languages", "person__documents", "places",
            Prefetch("exploitation_forms", queryset=CaseExploitation.objects.order_by("form")),
            Prefetch("decisions", queryset=Decision.objects.select_related("decided_by", "reviewed_by")),
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor")),
        ),
        reference,
    )
    record_event(actor=viewer, action="case.read", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference, details={"basis": policy.access_basis(viewer, case)})
    return case


def referral_status(*, viewer: User, reference: str) -> Case:
    """The status view of a referral, for the agency that made it (and those who see the file)."""
    case = policy.get_case_or_404(
        viewer,
        Case.objects.select_related("person", "referring_agency", "referred_by").prefetch_related(
            Prefetch("events", queryset=CaseEvent.objects.select_related("actor"))
        ),
        reference,
        full_file=False,
    )
    record_event(actor=viewer, action="referral.read_status", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference)
    return case


def record_list_read(*, viewer: User, cases: Iterable[Case] = (), kind: str = "case.list",
                     filters: dict[str, object] | None = None, references: Iterable[str] | None = None) -> None:
    """A list shows names too: record which cases were on the page the user saw (given as the
    cases, or as their ``references``)."""
    if references is None:
        references = [case.reference for case in cases]
    used = {key: str(value) for key, value in (filters or {}).items() if value}
    if "q" in used:
        used["q"] = "[search]"  # the searched name itself stays out of the audit trail
    record_event(actor=viewer, action=kind, target_type="case",
                 details={"references": list(references), "filters": used})


def places_by_role(case: Case) -> dict[str, list[CasePlace]]:
    grouped: dict[str, list[CasePlace]] = {}
    for place in case.places.all():
        grouped.setdefault(place.role, []).append(place)
    return grouped
