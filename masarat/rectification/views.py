"""The rectification page of a case's person: correct the identity, see and undo earlier corrections."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_countries import countries

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases.models import Case
from masarat.people.vocabulary import BirthDatePrecision, DocumentKind, Language, Sex
from masarat.rectification import services
from masarat.rectification.forms import RectificationForm, RestoreForm, initial_of
from masarat.rectification.identity import LABELS, identity_of
from masarat.rectification.models import Rectification
from masarat.referrals.validation import ReferralErrors
from masarat.rights.models import Erasure
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import page_of, query_without_page


def _case(user: User, reference: str) -> Case:
    """The case whose person the user may correct; for anyone else it does not exist (404)."""
    case = (Case.objects.select_related("person").filter(reference=reference).first())
    if case is None or not policy.can_rectify_identity(user, case):
        raise Http404
    return case


def _page(request: AuthenticatedRequest, case: Case, form: RectificationForm, *, status: int = 200,
          restore_forms: dict[int, RestoreForm] | None = None, conflict: bool = False) -> HttpResponse:
    person = case.person
    assert person is not None
    version = services.identity_version(person)
    page = page_of(Paginator(services.rectification_history(case=case, viewer=request.user), 20), request)
    services.rectification_history_read(case=case, viewer=request.user, rows=list(page.object_list))
    restore_forms = restore_forms or {}
    entries: list[dict[str, Any]] = []
    for row in page.object_list:
        entries.append({
            "rectification": row,
            "changes": [{"label": LABELS.get(name, name), "before": _shown(name, row.before.get(name)),
                         "after": _shown(name, row.after.get(name))} for name in row.changed_fields],
            "restore_form": restore_forms.get(row.pk) or RestoreForm(prefix=f"restore-{row.pk}",
                                                                    initial={"version": version}),
        })
    return render(request, "rectification/page.html", {
        "case": case, "form": form, "entries": entries, "page": page, "query": query_without_page(request),
        "erased": Erasure.objects.filter(person=person).exists(),
        # After a refused stale correction: the values recorded now, to compare with what was typed.
        "recorded_now": [(LABELS[name], _shown(name, value)) for name, value in identity_of(person).items()]
        if conflict else None,
    }, status=status)


def _shown(name: str, value: Any) -> str:
    """A kept value as text for the history, with the labels of closed vocabularies."""
    if value in (None, "", []):
        return "—"
    if name == "documents":
        return "; ".join(" ".join(part for part in (_label(DocumentKind, row["kind"]), row["number"],
                                                    row["issuing_country"]) if part) for row in value)
    if name == "nationalities":
        return ", ".join(str(countries.name(code)) or code for code in value)
    if name == "languages":
        return ", ".join(_label(Language, code) for code in value)
    if name == "sex":
        return _label(Sex, value)
    if name == "birth_precision":
        return _label(BirthDatePrecision, value)
    return str(value)


def _label(choices: Any, value: str) -> str:
    return str(dict(choices.choices).get(value, value))


@login_required
@require_http_methods(["GET", "POST"])
def rectify(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    case = _case(request.user, reference)
    person = case.person
    assert person is not None
    if request.method == "POST":
        form = RectificationForm(request.POST)
        if form.is_valid():
            try:
                services.identity_rectify(
                    case=case, data=form.identity_input, reason=form.cleaned_data["reason"],
                    requested_by_person=form.cleaned_data["requested_by_person"], by=request.user,
                    expected_version=form.cleaned_data["version"])
            except ReferralErrors as exc:  # checked by the form already; kept for a value changed meanwhile
                for messages_ in exc.errors.values():
                    for message in messages_:
                        form.add_error(None, message)
                return _page(request, case, form, status=400)
            except services.IdentityChanged as exc:
                # What was typed stays in the form, beside the values recorded now; the version becomes the
                # current one, so that saving again is a choice made knowing them.
                person.refresh_from_db()
                data = request.POST.copy()
                data["version"] = services.identity_version(person)
                kept = RectificationForm(data)
                kept.is_valid()
                kept.add_error(None, str(exc))
                return _page(request, case, kept, status=409, conflict=True)
            except services.RectificationRefused as exc:
                form.add_error(None, str(exc))
                return _page(request, case, form, status=409)
            messages.success(request, _("The identity was corrected. Search and the duplicate check use the new "
                                        "values from now on."))
            return redirect("case-rectification", reference=case.reference)
        return _page(request, case, form, status=400)
    identity = identity_of(person)
    form = RectificationForm(initial={**initial_of(identity), "version": services.identity_version(person)},
                             documents=len(identity["documents"]))
    return _page(request, case, form)


@login_required
@require_POST
def restore(request: AuthenticatedRequest, reference: str, rectification_id: int) -> HttpResponse:
    case = _case(request.user, reference)
    person = case.person
    assert person is not None
    rectification = get_object_or_404(Rectification, pk=rectification_id, person=person)
    form = RestoreForm(request.POST, prefix=f"restore-{rectification.pk}")
    if form.is_valid():
        try:
            services.rectification_restore(
                case=case, rectification=rectification, reason=form.cleaned_data["reason"],
                requested_by_person=form.cleaned_data["requested_by_person"], by=request.user,
                expected_version=form.cleaned_data["version"])
        except services.RectificationRefused as exc:
            form.add_error(None, str(exc))
            status = 409
        else:
            messages.success(request, _("The values from before that correction were restored."))
            return redirect("case-rectification", reference=case.reference)
    else:
        status = 400
    identity = identity_of(person)
    page_form = RectificationForm(initial={**initial_of(identity), "version": services.identity_version(person)},
                                  documents=len(identity["documents"]))
    return _page(request, case, page_form, status=status, restore_forms={rectification.pk: form})
