from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from masarat.cases.models import Case
from masarat.screening.definition import Definition, parse_definition
from masarat.vault.fields import EncryptedTextField


class Level(models.TextChoices):
    STRONG = "strong", _("Strong signs of trafficking")
    MODERATE = "moderate", _("Moderate signs of trafficking")
    WEAK = "weak", _("Weak signs of trafficking")
    NONE = "none", _("No signs of trafficking")


class Suggestion(models.TextChoices):
    REFER = "refer", _("Refer the person to the mechanism")
    SEEK_ADVICE = "seek_advice", _("Seek advice from the NRM coordinator")
    NO_REFERRAL = "no_referral", _("No referral suggested")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")
    DECLINED = "declined", _("Declined to answer")


class IndicatorSet(models.Model):
    """One version of an indicator set. Versions are never changed once made: an assessment keeps
    the version it was made with, so its result can always be explained."""

    code = models.CharField(_("code"), max_length=60, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    population = models.CharField(_("population"), max_length=10, db_index=True)
    exploitation = models.CharField(_("exploitation"), max_length=10, db_index=True)
    definition = models.JSONField(_("definition"))
    is_active = models.BooleanField(_("offered for new screenings"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("indicator set")
        verbose_name_plural = _("indicator sets")
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="unique_indicator_set_version")]

    def __str__(self) -> str:
        return f"{self.code} v{self.version}"

    @property
    def parsed(self) -> Definition:
        cached: Definition | None = getattr(self, "_parsed", None)
        if cached is None:
            cached = parse_definition(self.definition)
            self._parsed = cached
        return cached

    def title(self, language: str) -> str:
        return self.parsed.title.get(language)


class Assessment(models.Model):
    """A screening interview: answers to the questions of one indicator set version, and its result."""

    indicator_set = models.ForeignKey(IndicatorSet, on_delete=models.PROTECT, related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments")
    interview_language = models.CharField(_("language of the interview"), max_length=8, blank=True)
    # The referral draft the responder left to screen, to return to it with the result.
    for_draft_id = models.PositiveIntegerField(null=True, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    level = models.CharField(_("result"), max_length=10, choices=Level.choices, blank=True, db_index=True)
    suggestion = models.CharField(_("suggestion"), max_length=12, choices=Suggestion.choices, blank=True,
                                  db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")

    def __str__(self) -> str:
        return f"screening {self.pk} ({self.indicator_set})"

    def answers_by_code(self) -> dict[str, str]:
        return {row.indicator_code: row.answer for row in self.answers.all()}

    def observations_by_code(self) -> dict[str, str]:
        return {row.indicator_code: row.observation for row in self.answers.all() if row.observation}


class AssessmentAnswer(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    indicator_code = models.CharField(max_length=80, db_index=True)
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, db_index=True)
    observation = EncryptedTextField(_("observation"), blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "indicator_code"],
                                               name="unique_assessment_answer")]

    def __str__(self) -> str:
        return f"{self.indicator_code}: {self.answer}"
