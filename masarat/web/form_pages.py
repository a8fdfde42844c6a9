"""The shape of a page that shows a form and performs a service on a valid POST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def form_page(request: HttpRequest, *, form: forms.Form, template: str, context: dict[str, Any],
              perform: Callable[[dict[str, Any]], object], success: str, done: Callable[[], HttpResponse],
              refusals: tuple[type[Exception], ...]) -> HttpResponse:
    """Show the form; on a valid POST perform, then ``done``. A refusal (one of ``refusals``) shows
    the form again with what was typed and the reason (409); an invalid form, its errors (400)."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                perform(form.cleaned_data)
            except refusals as exc:
                form.add_error(None, str(exc))
                status = 409
            else:
                messages.success(request, success)
                return done()
        else:
            status = 400
    return render(request, template, {**context, "form": form}, status=status)
