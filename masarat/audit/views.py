from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from masarat.access import policy
from masarat.audit.selectors import audit_event_list
from masarat.cases.models import EmergencyAccess
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
