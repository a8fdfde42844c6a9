"""Possible duplicates of a person, and the coordinator's answers: the same person (link), or not.

A person is compared with every other one when they are referred, when their identity is corrected
and when a coordinator asks (``person_check``); what was found is kept (``ProposedPair``), so that
the case page reads it instead of comparing again. A person never checked (data loaded before, or
generated) is checked on the first visit.

Linking moves the cases of one record to the other and keeps both records; unlinking moves the
same cases back. Every proposal read, link, unlink and "not the same" goes to the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
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
from masarat.duplicates.models import DuplicateCheck, NotSamePair, PersonLink, ProposedPair
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


def person_check(person: Person) -> list[Candidate]:
    """Compare ``person`` with every other person now and keep what was found, in place of what an
    earlier check of theirs found (pairs found by other persons' checks are replaced as well: this is
    the latest comparison). Returns the candidates, best first."""
    found = find_candidates(person)[1]
    now = timezone.now()
    with transaction.atomic():
        # The check's row is locked until the end: two checks of one person at once replace in turn.
        DuplicateCheck.objects.update_or_create(person=person, defaults={"checked_at": now})
        ProposedPair.objects.filter(Q(first=person) | Q(second=person)).delete()
        pairs = {_ordered(person.pk, int(candidate.record_id)): candidate for candidate in found}
        # A check of the other person at the same moment may have stored the pair: the latest one stays.
        ProposedPair.objects.bulk_create(
            [ProposedPair(first_id=first, second_id=second, score=candidate.score, weight=candidate.weight,
                          reasons=[{"field": r.field, "outcome": r.outcome, "weight": r.weight}
                                   for r in candidate.reasons], found_at=now)
             for (first, second), candidate in pairs.items()],
            update_conflicts=True, unique_fields=["first", "second"],
            update_fields=["score", "weight", "reasons", "found_at"],
        )
    return found


def persons_check_unchecked(*, limit: int | None = None, batch_size: int = 200,
                            progress: Callable[[int], None] | None = None) -> int:
    """Compare with everyone each person never compared (recorded before the check was kept, or
    generated), in order of record, each in its own transaction: stopped, it resumes where it was.
    Returns how many persons were checked. The run is recorded in the audit trail."""
    done, last = 0, 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        batch = list(candidate_persons().filter(pk__gt=last)
                     .exclude(Exists(DuplicateCheck.objects.filter(person=OuterRef("pk"))))
                     .order_by("pk")[:size])
        for person in batch:
            person_check(person)
        done += len(batch)
        if batch and progress is not None:
            progress(done)
        if len(batch) < size:
            break
        last = batch[-1].pk
    if done:
        record_event(actor=None, action="duplicates.check_unchecked", target_type="person",
                     details={"checked": done})
    return done


def _ordered(one: int, other: int) -> tuple[int, int]:
    return (one, other) if one < other else (other, one)


def proposal_count(person: Person) -> int:
    """How many possible duplicates are kept for ``person`` (from the checks of either person)."""
    return ProposedPair.objects.filter(Q(first=person) | Q(second=person), score__gte=PROPOSAL_THRESHOLD).count()


def last_check(person: Person) -> DuplicateCheck | None:
    return DuplicateCheck.objects.filter(person=person).first()


def _proposals(person: Person) -> list[Proposal]:
    """The kept proposals of ``person`` (checked first if never checked), best first, among persons
    who may still be proposed (not merged, not erased, not marked as different): whatever the viewer
    (callers filter by scope)."""
    if last_check(person) is None:
        person_check(person)
    pairs = list(ProposedPair.objects.filter(Q(first=person) | Q(second=person))
                 .filter(score__gte=PROPOSAL_THRESHOLD).order_by("-weight", "first_id", "second_id"))
    others = {pair.second_id if pair.first_id == person.pk else pair.first_id: pair for pair in pairs}
    for other in _not_same_ids(person):
        others.pop(other, None)
    persons = {found.pk: found for found in candidate_persons().filter(pk__in=list(others))}
    best = [other for other in others if other in persons][:PROPOSAL_LIMIT]
    cases: dict[int, list[Case]] = {}
    for case in Case.objects.filter(person_id__in=best).order_by("referred_at"):
        cases.setdefault(case.person_id, []).append(case)  # type: ignore[arg-type]
    return [Proposal(person=persons[other], cases=cases[other], score=others[other].score,
                     weight=others[other].weight,
                     reasons=tuple(Reason(field=r["field"], outcome=r["outcome"], weight=r["weight"])
                                   for r in others[other].reasons))
            for other in best if cases.get(other)]


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


def case_check_again(*, case: Case, by: User) -> int:
    """A coordinator's request to compare the case's person with every other person now (names
    recorded since, or frequencies of names that changed). Returns how many possible duplicates
    the viewer may see."""
    policy.require(policy.can_review_duplicates(by, case))
    assert case.person is not None
    found = person_check(case.person)
    visible = policy.persons_in_scope(by, [int(candidate.record_id) for candidate in found])
    record_event(actor=by, action="duplicates.check", target_type="person", target_id=str(case.person.pk),
                 case_reference=case.reference, details={"found": len(found), "visible": len(visible)})
    return len(visible)


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
    """On a new referral: compare its person with every other person and keep the proposals; then
    link it to an existing person when an administrator allowed automatic links
    (``MASARAT_AUTO_LINK_SCORE``) and the best candidate reaches that probability."""
    if case.person is None:
        return None
    person_check(case.person)
    threshold = settings.MASARAT_AUTO_LINK_SCORE
    if threshold is None:
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
        "duplicates_check": last_check(case.person),  # read after the proposals, which may have made it
        "person_links": links_of(case.person),
        "other_cases": list(other_cases.order_by("referred_at").select_related("referring_agency")),
    }
