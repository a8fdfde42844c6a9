"""Indicator sets in the administration site: each edit is saved as a new version, after validation."""

from __future__ import annotations

from typing import Any

import yaml
from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from masarat.screening.definition import DefinitionError, parse_definition
from masarat.screening.management.commands.screening import dump_definition
from masarat.screening.models import IndicatorSet
from masarat.screening.services import indicator_set_new_version, indicator_set_set_active


class IndicatorSetForm(forms.ModelForm):
    text = forms.CharField(
        label=_("Definition (YAML or JSON)"), widget=forms.Textarea(attrs={"rows": 30, "cols": 100}),
        help_text=_("Saving creates a new version; screenings keep the version they were made with."),
    )
    code_for_new = forms.SlugField(label=_("Code"), max_length=60)

    class Meta:
        model = IndicatorSet
        fields = ["is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["text"].initial = dump_definition(self.instance.definition, ".yaml")
            self.fields["code_for_new"].initial = self.instance.code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            self.raw_definition = yaml.safe_load(cleaned.get("text") or "")
        except yaml.YAMLError as exc:
            raise forms.ValidationError(_("The definition cannot be read: %(error)s") % {"error": exc}) from exc
        if not isinstance(self.raw_definition, dict):
            raise forms.ValidationError(_("The definition must be a mapping."))
        try:  # the version number is given when saving; everything else is checked now
            parse_definition({**self.raw_definition, "code": cleaned.get("code_for_new") or "", "version": 1})
        except DefinitionError as exc:
            raise forms.ValidationError(exc.problems) from exc
        return cleaned


@admin.register(IndicatorSet)
class IndicatorSetAdmin(admin.ModelAdmin):
    form = IndicatorSetForm
    list_display = ["code", "version", "population", "exploitation", "is_active", "created_at"]
    list_filter = ["population", "exploitation", "is_active"]
    fields = ["code_for_new", "text", "is_active"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        active = form.cleaned_data["is_active"]
        if change and form.cleaned_data["code_for_new"] == obj.code and \
                form.raw_definition == IndicatorSet.objects.get(pk=obj.pk).definition:
            # Only "offered for new screenings" changed: no new version.
            indicator_set_set_active(indicator_set=obj, active=active, by=request.user)  # type: ignore[arg-type]
            return
        saved = indicator_set_new_version(code=form.cleaned_data["code_for_new"], raw=form.raw_definition,
                                          by=request.user)  # type: ignore[arg-type]
        if not active:
            indicator_set_set_active(indicator_set=saved, active=False, by=request.user)  # type: ignore[arg-type]
        obj.pk = saved.pk
        obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # screenings keep the version they were made with
