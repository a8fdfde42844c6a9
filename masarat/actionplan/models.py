"""The national plan and the action plan as data: axes, measures, responsible bodies, indicators.

The texts come in the three languages of the interface (French, Arabic, English); the page shows
the one of the reader, French when a translation is missing. Nothing here is about a person.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from masarat.organisations.models import Agency


def _in_language(obj: object, field: str) -> str:
    language = (get_language() or "fr")[:2]
    return str(getattr(obj, f"{field}_{language}", "") or getattr(obj, f"{field}_fr", ""))


class Translated(models.Model):
    title_fr = models.CharField(_("title (French)"), max_length=400)
    title_ar = models.CharField(_("title (Arabic)"), max_length=400, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=400, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return _in_language(self, "title")


class PlanKind(models.TextChoices):
    STRATEGY = "strategy", _("National plan")
    ACTION_PLAN = "action_plan", _("Action plan")


class Plan(Translated):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=PlanKind.choices)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    is_example = models.BooleanField(
        _("example content"), default=False,
        help_text=_("Ticked while the content is the shipped example, to be replaced by the commission's official "
                    "text; the pages then say so."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "start_year", "code"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")


class Axis(Translated):
    """A strategic axis (prevention, protection, prosecution, partnership...)."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="axes")
    code = models.SlugField(_("code"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["plan", "order", "code"]
        verbose_name = _("strategic axis")
        verbose_name_plural = _("strategic axes")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="unique_axis_code")]


class MeasureStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", _("Cancelled")


# A measure in one of these states is not late, whatever its deadline.
CLOSED_STATUSES = (MeasureStatus.DONE, MeasureStatus.CANCELLED)


class Measure(Translated):
    axis = models.ForeignKey(Axis, verbose_name=_("strategic axis"), on_delete=models.CASCADE,
                             related_name="measures")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("responsible agencies"), blank=True, related_name="action_plan_measures",
        help_text=_("Their users post the progress of the measure."))
    bodies_fr = models.CharField(_("other responsible bodies (French)"), max_length=400, blank=True)
    bodies_ar = models.CharField(_("other responsible bodies (Arabic)"), max_length=400, blank=True)
    bodies_en = models.CharField(_("other responsible bodies (English)"), max_length=400, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=MeasureStatus.choices,
                              default=MeasureStatus.NOT_STARTED, db_index=True)
    version = models.PositiveIntegerField(default=1, help_text=_("Incremented by every change."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["axis", "order", "code"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    @property
    def bodies(self) -> str:
        return _in_language(self, "bodies")

    def is_overdue(self, today: date) -> bool:
        return self.deadline is not None and self.deadline < today and self.status not in CLOSED_STATUSES


class Unit(models.TextChoices):
    COUNT = "count", _("number")
    PERCENT = "percent", _("percentage")
    DAYS = "days", _("days")


MANUAL = "manual"


def indicator_sources() -> list[tuple[str, str]]:
    from masarat.actionplan.indicators import COMPUTED

    return [(MANUAL, str(_("Entered by the responsible body"))),
            *((key, str(indicator.label)) for key, indicator in COMPUTED.items())]


class Indicator(Translated):
    axis = models.ForeignKey(Axis, verbose_name=_("strategic axis"), on_delete=models.CASCADE,
                             related_name="indicators")
    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="indicators")
    code = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices, default=Unit.COUNT)
    higher_is_better = models.BooleanField(_("higher is better"), default=True)
    baseline = models.DecimalField(_("baseline"), max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("year of the baseline"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=40, choices=indicator_sources, default=MANUAL,
                              help_text=_("Entered by the responsible body, or computed by Masarat from the cases."))

    class Meta:
        ordering = ["axis", "order", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    @property
    def is_computed(self) -> bool:
        return self.source != MANUAL


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target value"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="unique_indicator_target_year")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}: {self.value}"


class ProgressUpdate(models.Model):
    """What a responsible body reports on a measure: where it stands, in words, on a date."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=12, choices=MeasureStatus.choices)
    text = models.TextField(_("progress"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT,
                           related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        indexes = [models.Index(fields=["measure", "-on", "-id"], name="progress_update_latest")]

    def __str__(self) -> str:
        return f"{self.measure.code} {self.on}"


class Reading(models.Model):
    """A value of a manual indicator, as known on a date (posted with a progress update)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="readings")
    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="readings")
    on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["indicator", "-on", "-id"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        indexes = [models.Index(fields=["indicator", "-on", "-id"], name="reading_latest")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.on}: {self.value}"

