"""Possible duplicates of a person, and the coordinator's answers: the same person (link), or not.

Linking moves the cases of one record to the other and keeps both records; unlinking moves the
same cases back. Every proposal read, link, unlink and "not the same" goes to the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.duplicates.index import PersonIndex, person_features
from masarat.duplicates.models import NotSamePair, PersonLink
from masarat.matching.engine import Candidate, candidates_for
from masarat.matching.model import Reason, default_model
from masarat.people.models import Person

PROPOSAL_THRESHOLD = 0.5  # probability from which a candidate is shown to the coordinator
PROPOSAL_LIMIT = 10


class DuplicateRefused(Exception):
    """A link, unlink or "not the same" that cannot be done (the message says why)."""


@dataclass(frozen=True)
class Proposal:
    """An existing person who may be the same as the one looked at."""

    person: Person
    cases: list[Case]
    score: float  # probability, 0 to 1
    weight: float  # bits
    reasons: tuple[Reason, ...]

    @property
    def agreeing(self) -> list[Reason]:
        return [reason for reason in self.reasons if reason.weight > 0]

    @property
    def differing(self) -> list[Reason]:
        return [reason for reason in self.reasons if reason.weight < 0]


def candidate_persons() -> QuerySet[Person]:
    """Persons who may be proposed: not merged into another record, not erased."""
    from masarat.rights.models import Erasure

    return Person.objects.exclude(
        Exists(PersonLink.objects.filter(merged=OuterRef("pk"), unlinked_at__isnull=True))
    ).exclude(Exists(Erasure.objects.filter(person=OuterRef("pk"))))


def _not_same_ids(person: Person) -> set[int]:
    pairs = NotSamePair.objects.filter(Q(first=person) | Q(second=person)).values_list("first_id", "second_id")
    return {other for pair in pairs for other in pair} - {person.pk}


def find_candidates(person: Person) -> tuple[PersonIndex, list[Candidate]]:
    """The engine's candidates among the persons who may be proposed (blind-index lookup, then scoring)."""
    index = PersonIndex(exclude={person.pk} | _not_same_ids(person), persons=candidate_persons())
    return index, candidates_for(person_features(person), index, threshold=PROPOSAL_THRESHOLD,
                                 limit=PROPOSAL_LIMIT)


def _proposals(person: Person) -> list[Proposal]:
    """Every candidate above the threshold, whatever the viewer (callers filter by scope)."""
    index, found = find_candidates(person)
    if not found:
        return []
    cases: dict[int, list[Case]] = {}
    for case in Case.objects.filter(person_id__in=[int(c.record_id) for c in found]).order_by("referred_at"):
        cases.setdefault(case.person_id, []).append(case)  # type: ignore[arg-type]
    return [Proposal(person=index.persons[c.record_id], cases=cases.get(int(c.record_id), []), score=c.score,
                     weight=c.weight, reasons=c.reasons)
            for c in found if cases.get(int(c.record_id))]


def proposals_for_case(*, case: Case, viewer: User) -> list[Proposal]:
    """Persons who may be the person of ``case``, among those whose every case the viewer may open.

    The viewer must be allowed to review the case's duplicates; the read is audited (the
    candidates' identities were decrypted and shown).
    """
    policy.require(policy.can_review_duplicates(viewer, case))
    assert case.person is not None
    proposals = _proposals(case.person)
    visible = policy.persons_in_scope(viewer, [proposal.person.pk for proposal in proposals])
    proposals = [proposal for proposal in proposals if proposal.person.pk in visible]
    record_event(actor=viewer, action="duplicates.read", target_type="person", target_id=str(case.person.pk),
                 case_reference=case.reference,
                 details={"candidates": [proposal.person.pk for proposal in proposals]})
    return proposals


def pair_reasons(first: Person, second: Person) -> tuple[float, list[dict[str, object]]]:
    """The engine's probability and reasons for two persons, for the record of a link."""
    index = PersonIndex()
    scoring = default_model().with_frequencies({
        name: index.name_frequencies(name) for name in ("given_name", "family_name", "full_name")})
    score = scoring.score(person_features(first), person_features(second))
    return score.probability, [{"field": r.field, "outcome": r.outcome, "weight": round(r.weight, 2)}
                               for r in score.reasons]


def _require_in_scope(by: User | None, *persons: Person) -> None:
    if by is None:
        return
    ids = {person.pk for person in persons}
    if policy.persons_in_scope(by, ids) != ids:
        raise Http404


@transaction.atomic
def persons_link(*, first: Person, second: Person, by: User | None, automatic: bool = False) -> PersonLink:
    """The two records are one person: the more recent one's cases move to the older one.

    ``by`` is None only for an automatic link (``MASARAT_AUTO_LINK_SCORE``).
    """
    _require_in_scope(by, first, second)
    kept, merged = sorted((first, second), key=lambda person: person.pk)
    if kept.pk == merged.pk:
        raise DuplicateRefused(_("A person cannot be linked to themselves."))
    # Lock both records, so that two coordinators cannot link the same record twice at once.
    list(Person.objects.select_for_update().filter(pk__in=[kept.pk, merged.pk]))
    if PersonLink.objects.filter(merged__in=[kept, merged], unlinked_at__isnull=True).exists():
        raise DuplicateRefused(_("One of these records is already linked to another person."))
    if candidate_persons().filter(pk__in=[kept.pk, merged.pk]).count() < 2:
        raise DuplicateRefused(_("The identity of one of these persons was erased."))
    if NotSamePair.objects.filter(first=kept, second=merged).exists():
        raise DuplicateRefused(_("These persons were marked as different people."))
    score, reasons = pair_reasons(kept, merged)
    moved = list(Case.objects.filter(person=merged).order_by("pk").values_list("pk", flat=True))
    Case.objects.filter(pk__in=moved).update(person=kept)
    link = PersonLink.objects.create(kept=kept, merged=merged, moved_case_ids=moved, score=score, reasons=reasons,
                                     automatic=automatic, linked_by=by)
    references = list(Case.objects.filter(pk__in=moved).order_by("pk").values_list("reference", flat=True))
    record_event(actor=by, action="person.link", target_type="person", target_id=str(kept.pk),
                 case_reference=references[0] if references else "",
                 details={"link": link.pk, "kept": kept.pk, "merged": merged.pk, "moved_cases": references,
                          "score": round(score, 4), "automatic": automatic})
    return link


@transaction.atomic
def link_undo(*, link: PersonLink, by: User) -> PersonLink:
    """Give the merged record back the cases the link moved: both persons are as before the link."""
    link = PersonLink.objects.select_for_update().select_related("kept", "merged").get(pk=link.pk)
    moved = Case.objects.filter(pk__in=link.moved_case_ids)
    if policy.scope_cases(by, moved).count() != moved.count() or not policy.is_coordinator(by):
        raise Http404  # the cases it moved are not all the viewer's
    if not link.is_active:
        raise DuplicateRefused(_("This link was already undone."))
    if PersonLink.objects.filter(merged=link.kept, unlinked_at__isnull=True).exists():
        raise DuplicateRefused(_("This person was since linked to another one: undo that link first."))
    Case.objects.filter(pk__in=link.moved_case_ids, person=link.kept).update(person=link.merged)
    link.unlinked_at, link.unlinked_by = timezone.now(), by
    link.save(update_fields=["unlinked_at", "unlinked_by"])
    references = list(Case.objects.filter(pk__in=link.moved_case_ids).order_by("pk")
                      .values_list("reference", flat=True))
    record_event(actor=by, action="person.unlink", target_type="person", target_id=str(link.kept_id),
                 case_reference=references[0] if references else "",
                 details={"link": link.pk, "kept": link.kept_id, "merged": link.merged_id,
                          "moved_back": references})
    return link


@transaction.atomic
def pair_mark_not_same(*, first: Person, second: Person, by: User) -> NotSamePair:
    """Two persons are different people: the pair is never proposed again."""
    _require_in_scope(by, first, second)
    if first.pk == second.pk:
        raise DuplicateRefused(_("A person cannot be different from themselves."))
    low, high = sorted((first.pk, second.pk))
    pair, created = NotSamePair.objects.get_or_create(first_id=low, second_id=high, defaults={"marked_by": by})
    if created:
        record_event(actor=by, action="person.not_same", target_type="person", target_id=str(low),
                     details={"persons": [low, high]})
    return pair


def links_of(person: Person) -> list[PersonLink]:
    """The active links that moved other records' cases to this person."""
    return list(PersonLink.objects.filter(kept=person, unlinked_at__isnull=True)
                .select_related("merged", "linked_by").order_by("linked_at"))


def after_referral(case: Case) -> PersonLink | None:
    """On a new referral: link its person to an existing one when an administrator allowed automatic
    links (``MASARAT_AUTO_LINK_SCORE``) and the best candidate reaches that probability."""
    threshold = settings.MASARAT_AUTO_LINK_SCORE
    if threshold is None or case.person is None:
        return None
    best = next(iter(_proposals(case.person)), None)
    if best is None or best.score < threshold:
        return None
    return persons_link(first=best.person, second=case.person, by=None, automatic=True)


def case_page_context(*, case: Case, viewer: User) -> dict[str, object]:
    """What the case page shows a coordinator: the person's other cases, the links made, the candidates."""
    if case.person is None or not policy.can_review_duplicates(viewer, case):
        return {}
    other_cases = policy.scope_cases(viewer, Case.objects.filter(person=case.person).exclude(pk=case.pk))
    return {
        "duplicates_section": True,
        "duplicates": proposals_for_case(case=case, viewer=viewer),
        "person_links": links_of(case.person),
        "other_cases": list(other_cases.order_by("referred_at").select_related("referring_agency")),
    }
