from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.selectors import (
    audit_event_list,
    explain_access,
    person_access_events,
    user_access_summary,
)
from masarat.audit.services import record_event
from masarat.cases.models import Case, EmergencyAccess
from masarat.web.exports import csv_response
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import page_of, query_without_page


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=60,
                             help_text=_("For example case.read or case.decision"))
    case_reference = forms.CharField(label=_("Case reference"), required=False, max_length=32)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    if not policy.can_browse_audit(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list(**{key: value for key, value in data.items() if value})
    page = page_of(Paginator(events.select_related("actor"), 50), request)
    return render(request, "audit/log.html", {"form": form, "page": page, "query": query_without_page(request)})


@login_required
def emergency_accesses(request: AuthenticatedRequest) -> HttpResponse:
    """Every "break the glass" access, newest first: who, which case, why, until when."""
    if not policy.can_browse_audit(request.user):
        raise Http404
    accesses = EmergencyAccess.objects.select_related("user", "user__agency", "case")
    page = page_of(Paginator(accesses, 50), request)
    return render(request, "audit/emergency.html", {"page": page, "query": query_without_page(request)})


def local_iso(moment: datetime) -> str:
    return localtime(moment).isoformat(timespec="seconds")


BASIS_LABELS = {
    policy.AccessBasis.NATIONAL: _("national scope"),
    policy.AccessBasis.REGIONAL: _("regional scope"),
    policy.AccessBasis.EMERGENCY: _("emergency access"),
    policy.AccessBasis.ASSIGNED: _("assigned case manager"),
}


@login_required
def person_access_report(request: AuthenticatedRequest, reference: str) -> HttpResponse:
    """Who read or changed this person's record, when and on what ground (every case of the person)."""
    if not policy.can_browse_audit(request.user):
        raise Http404
    case = get_object_or_404(Case.objects.select_related("person"), reference=reference)
    cases = list(Case.objects.filter(person_id=case.person_id).order_by("referred_at")) if case.person_id else [case]
    events = person_access_events(other.reference for other in cases)
    record_event(actor=request.user, action="audit.access_report", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference, details={"format": request.GET.get("format", "html")})
    if request.GET.get("format") == "csv":
        lines = explain_access(events.iterator(chunk_size=500), [other.pk for other in cases])
        return csv_response(f"access-report-{reference}.csv",
                            [_("When"), _("Who"), _("Agency"), _("Action"), _("Case"), _("Ground"), _("Reason")],
                            ([local_iso(line.event.at), line.event.actor_username,
                              line.event.actor.agency if line.event.actor and line.event.actor.agency else "",
                              line.event.action, line.event.case_reference, BASIS_LABELS.get(line.basis, ""),
                              line.emergency_reason] for line in lines))
    page = page_of(Paginator(events, 50), request)
    return render(request, "audit/access_person.html", {
        "case": case, "cases": cases, "page": page, "query": query_without_page(request),
        "lines": explain_access(page.object_list, [other.pk for other in cases]), "basis_labels": BASIS_LABELS,
    })


@login_required
def user_access_report(request: AuthenticatedRequest, username: str) -> HttpResponse:
    """Which case files this user read, how often, first and last time."""
    if not policy.can_browse_audit(request.user):
        raise Http404
    subject = get_object_or_404(User.objects.select_related("agency"), username__iexact=username)
    summary = user_access_summary(subject.username)
    record_event(actor=request.user, action="audit.access_report", target_type="user", target_id=str(subject.pk),
                 details={"format": request.GET.get("format", "html")})
    if request.GET.get("format") == "csv":
        return csv_response(f"access-report-{subject.username}.csv",
                            [_("Case"), _("Reads"), _("First read"), _("Last read")],
                            ([row["case_reference"], row["reads"], local_iso(row["first"]), local_iso(row["last"])]
                             for row in summary.iterator()))
    page = page_of(Paginator(summary, 50), request)
    return render(request, "audit/access_user.html", {
        "subject": subject, "page": page, "query": query_without_page(request),
        "emergency_accesses": EmergencyAccess.objects.filter(user=subject).select_related("case")[:50],
    })
