"""The coordinator's answers to a possible duplicate, from the case page (where the candidates are shown)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases.models import Case
from masarat.cases.selectors import case_file
from masarat.duplicates import services
from masarat.duplicates.models import PersonLink
from masarat.people.models import Person
from masarat.web.http import AuthenticatedRequest


def _case(request: AuthenticatedRequest, reference: str) -> tuple[User, Case]:
    user = request.user
    case = case_file(viewer=user, reference=reference)
    policy.require(policy.can_review_duplicates(user, case))
    return user, case


def _other(case: Case, person_id: int) -> Person:
    if person_id == case.person_id:
        raise Http404
    return get_object_or_404(Person, pk=person_id)


def _answer(request: AuthenticatedRequest, reference: str, person_id: int,
            answer: Callable[..., object], success: str) -> HttpResponse:
    """Link, or mark as not the same, the case's person and another one; back to the case page."""
    user, case = _case(request, reference)
    assert case.person is not None
    try:
        answer(first=case.person, second=_other(case, person_id), by=user)
    except services.DuplicateRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, success)
    return redirect("case", reference=case.reference)


@login_required
@require_POST
def link(request: AuthenticatedRequest, reference: str, person_id: int) -> HttpResponse:
    return _answer(request, reference, person_id, services.persons_link,
                   _("The cases are now linked to one person. The link can be undone."))


@login_required
@require_POST
def not_same(request: AuthenticatedRequest, reference: str, person_id: int) -> HttpResponse:
    return _answer(request, reference, person_id, services.pair_mark_not_same,
                   _("Marked as different people: this pair will not be proposed again."))


@login_required
@require_POST
def unlink(request: AuthenticatedRequest, reference: str, link_id: int) -> HttpResponse:
    user, case = _case(request, reference)
    person_link = get_object_or_404(PersonLink, pk=link_id, kept_id=case.person_id)
    try:
        services.link_undo(link=person_link, by=user)
    except services.DuplicateRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The link was undone: each record has its own cases again."))
    return redirect("case", reference=case.reference)


@login_required
@require_POST
def check_again(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """Compare the case's person with every other person now, and show what was found."""
    user, case = _case(request, reference)
    found = services.case_check_again(case=case, by=user)
    messages.success(request, ngettext("Checked again: %(count)d possible duplicate.",
                                       "Checked again: %(count)d possible duplicates.", found) % {"count": found})
    return redirect("case", reference=case.reference)
