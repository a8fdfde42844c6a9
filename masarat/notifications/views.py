"""The inbox of notifications and the preferences of e-mails. Each user sees only their own."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from masarat.access import policy
from masarat.notifications import selectors, services
from masarat.notifications.forms import PreferenceForm
from masarat.notifications.models import Kind, Notification
from masarat.web.http import AuthenticatedRequest
from masarat.web.pagination import page_of, query_without_page

PAGE_SIZE = 25


@dataclass(frozen=True)
class InboxItem:
    notification: Notification
    text: str
    kind: str
    link: str


def _require_inbox(request: AuthenticatedRequest) -> None:
    if not policy.can_use_inbox(request.user):
        raise Http404


@login_required
def inbox(request: AuthenticatedRequest) -> HttpResponse:
    _require_inbox(request)
    page = page_of(Paginator(selectors.inbox(viewer=request.user), PAGE_SIZE), request)
    items = [InboxItem(item, selectors.describe(item), str(Kind(item.kind).label),
                       selectors.link_to_open(item)) for item in page]
    return render(request, "notifications/inbox.html", {"page": page, "items": items,
                                                        "query": query_without_page(request)})


@login_required
def open_notification(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Open what a notification points to; it counts as read."""
    _require_inbox(request)
    notification = selectors.inbox(viewer=request.user).filter(pk=pk).first()
    if notification is None:
        raise Http404
    services.mark_read(user=request.user, ids=[notification.pk])
    return redirect(selectors.link(notification))


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest) -> HttpResponse:
    _require_inbox(request)
    ids = [int(value) for value in request.POST.getlist("ids")
           if value.isascii() and value.isdigit() and len(value) < 19]  # a bigint, nothing else
    count = services.mark_read(user=request.user, ids=ids)
    messages.success(request, ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.",
                                       count) % {"count": count})
    return redirect("inbox")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedRequest) -> HttpResponse:
    _require_inbox(request)
    count = services.mark_all_read(user=request.user)
    messages.success(request, ngettext("%(count)d notification marked read.", "%(count)d notifications marked read.",
                                       count) % {"count": count})
    return redirect("inbox")


def preference_initial(request: AuthenticatedRequest) -> dict[str, object]:
    preference = services.preference_of(request.user)
    return {"email_enabled": preference.email_enabled, "digest_enabled": preference.digest_enabled,
            "email_kinds": [kind.value for kind in Kind if kind.value not in preference.email_muted_kinds],
            "language": preference.language if preference.pk else request.LANGUAGE_CODE}


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedRequest) -> HttpResponse:
    _require_inbox(request)
    form = PreferenceForm(request.POST or None, initial=preference_initial(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            services.preference_update(user=request.user, email_enabled=data["email_enabled"],
                                       email_kinds=data["email_kinds"], digest_enabled=data["digest_enabled"],
                                       language=data["language"])
            if (data["email_enabled"] or data["digest_enabled"]) and not request.user.email:
                messages.warning(request, _("Saved. Your account has no e-mail address yet: ask an administrator "
                                            "to add one, or nothing can be sent."))
            else:
                messages.success(request, _("Your notification preferences are saved."))
            return redirect("account")
        status = 400
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
