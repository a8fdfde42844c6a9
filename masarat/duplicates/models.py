from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from masarat.people.models import Person


class PersonLink(models.Model):
    """Two person records found to be one person: the cases of ``merged`` moved to ``kept``.

    Nothing is deleted: the merged record stays, marked by this link, and the link remembers which
    cases it moved, so that undoing it (``unlinked_at``) gives both persons their cases back.
    """

    kept = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_kept")
    merged = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links_merged")
    moved_case_ids = models.JSONField(default=list)
    score = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True)
    automatic = models.BooleanField(default=False)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    linked_at = models.DateTimeField(auto_now_add=True)
    unlinked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    unlinked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("person link")
        verbose_name_plural = _("person links")
        constraints = [
            # A record is merged into at most one other at a time.
            models.UniqueConstraint(fields=["merged"], condition=Q(unlinked_at__isnull=True),
                                    name="one_active_link_per_merged_person"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.kept_id}"

    @property
    def is_active(self) -> bool:
        return self.unlinked_at is None


class NotSamePair(models.Model):
    """Two persons a coordinator found to be different people: never proposed again."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pair of different persons")
        verbose_name_plural = _("pairs of different persons")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_not_same_pair"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="not_same_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"


class DuplicateCheck(models.Model):
    """When a person was last compared with every other person (on referral, on correction of their
    identity, on a coordinator's request). What it found is kept as :class:`ProposedPair` rows."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="+")
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("duplicate check")
        verbose_name_plural = _("duplicate checks")

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.checked_at:%Y-%m-%d %H:%M}"


class ProposedPair(models.Model):
    """Two persons the matching engine found may be one, with its score and reasons (field names and
    outcomes, no identity). The pair is kept once, the lower id first: the score is symmetric, so the
    check of either person finds it, and both persons' pages show it."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    weight = models.FloatField()
    reasons = models.JSONField(default=list)
    found_at = models.DateTimeField()

    class Meta:
        verbose_name = _("proposed pair")
        verbose_name_plural = _("proposed pairs")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="unique_proposed_pair"),
            models.CheckConstraint(condition=Q(first__lt=models.F("second")), name="proposed_pair_ordered"),
        ]
        indexes = [models.Index(fields=["second"], name="proposed_pair_second")]

    def __str__(self) -> str:
        return f"{self.first_id} ~ {self.second_id} ({self.score:.2f})"
