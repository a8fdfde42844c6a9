"""The page that adds a record (plan, child protection, return, proceedings) to a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.models import Case
from masarat.cases.records import RECORD_KINDS, RecordKind, record_add
from masarat.cases.services import CaseChanged
from masarat.sensitive.shield import shield_for
from masarat.web.forms import VersionedForm
from masarat.web.http import AuthenticatedRequest


def case_for_record(user: User, reference: str, kind_slug: str) -> tuple[Case, RecordKind]:
    """The case and the kind of record, if the user may add it; otherwise neither exists (404)."""
    kind = RECORD_KINDS.get(kind_slug)
    case = Case.objects.filter(reference=reference).first()
    if kind is None or case is None or not kind.allowed(user, case):
        raise Http404
    return case, kind


def after_record_url(user: User, case: Case) -> str:
    """Back to the case file, or to the proceedings for a justice user, who does not see the file."""
    name = "case" if policy.can_open_case_file(user, case) else "case-proceedings"
    return reverse(name, args=[case.reference])


def _without(form: Any, fields: dict[str, Any]) -> None:
    for name in fields:
        form.fields.pop(name, None)
        form.initial.pop(name, None)


@login_required
@require_http_methods(["GET", "POST"])
def record_page(request: AuthenticatedRequest, reference: str, kind: str) -> HttpResponse:
    user = request.user
    case, record_kind = case_for_record(user, reference, kind)
    status = 200
    # The fields of a sensitive category the user may not read are not on the form (a new plan version
    # keeps them as they are: see record_add).
    hidden = shield_for(user, case).hidden_fields(record_kind.model(case=case)) if record_kind.initial else {}
    if request.method == "POST":
        version = VersionedForm(request.POST)
        form = record_kind.form(request.POST, case=case)
        _without(form, hidden)
        if version.is_valid() and form.is_valid():
            try:
                record_add(kind=record_kind, case=case, form=form, by=user,
                           expected_version=version.cleaned_data["version"])
            except CaseChanged as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, _("Recorded: %(what)s.") % {"what": record_kind.model._meta.verbose_name})
                return redirect(after_record_url(user, case))
        else:
            status = 400
    else:
        version = VersionedForm(initial={"version": case.version})
        form = record_kind.form(initial=record_kind.initial(case) if record_kind.initial else None, case=case)
        _without(form, hidden)
        if record_kind.initial:
            # The form shows the current plan: reading it is reading the person's file.
            record_event(actor=user, action=f"case.record.{record_kind.slug}.read", target_type="case",
                         target_id=str(case.pk), case_reference=case.reference)
    return render(request, "cases/record.html", {
        "case": case, "kind": record_kind, "form": form, "version": version,
        "back": after_record_url(user, case),
    }, status=status)
