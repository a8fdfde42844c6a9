from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyRelease(models.Model):
    """One entry of the privacy-budget ledger: a table published with differential privacy.

    The epsilons of a budget period (a calendar year) add up (sequential composition); a release
    that would take the year past ``MASARAT_STATISTICS_PRIVACY_BUDGET`` is refused. Rows are only
    ever added.
    """

    budget_year = models.PositiveSmallIntegerField(_("budget year"), db_index=True)
    epsilon = models.DecimalField(_("epsilon"), max_digits=6, decimal_places=3)
    description = models.CharField(_("what was released"), max_length=200)
    released_by = models.CharField(_("released by"), max_length=150)
    released_at = models.DateTimeField(_("released"), auto_now_add=True)

    class Meta:
        ordering = ["-released_at"]
        verbose_name = _("differentially private release")
        verbose_name_plural = _("differentially private releases")
        constraints = [models.CheckConstraint(condition=models.Q(epsilon__gt=Decimal("0")), name="epsilon_positive")]

    def __str__(self) -> str:
        return f"{self.budget_year} ε={self.epsilon} {self.description}"


def privacy_budget() -> Decimal:
    return Decimal(settings.MASARAT_STATISTICS_PRIVACY_BUDGET)


class CaseFact(models.Model):
    """What the statistics read of one case, kept current by the same transaction that changes it.

    One narrow row per case: the statistical profile, where the case stands, the local dates at
    which each stage ended, the whole hours it took and whether its deadline was kept. The
    dashboard reads these rows and the :class:`ReferralCell` counts instead of the cases, so that
    it does not walk a million cases at every request. The deadline of each completed stage is
    kept beside the date it ended, and moved when public holidays change (``refresh_deadlines``);
    ``masarat statistics rebuild`` writes every fact again (after a bulk load, or a change of
    the deadline settings).
    """

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    referred_on = models.DateField()
    outcome = models.CharField(max_length=24)
    waiting_stage = models.CharField(max_length=16, blank=True)  # the stage whose queue the case is in
    region = models.CharField(max_length=5)
    agency_kind = models.CharField(max_length=40, blank=True)
    sex = models.CharField(max_length=10)
    age_band = models.CharField(max_length=8, blank=True)
    nationality = models.CharField(max_length=3, blank=True)
    exploitation = models.IntegerField(default=0)  # one bit per form, in the order of ExploitationForm
    acknowledged_on = models.DateField(null=True)
    acknowledgement_hours = models.IntegerField(null=True)
    acknowledgement_deadline = models.DateField(null=True)  # the deadline first set for the stage
    preliminary_on = models.DateField(null=True)
    preliminary_hours = models.IntegerField(null=True)
    preliminary_deadline = models.DateField(null=True)  # the deadline first set for the stage
    formal_on = models.DateField(null=True)
    # Set only when the formal stage can be measured: a preliminary decision and a reflection period.
    formal_hours = models.IntegerField(null=True)
    formal_deadline = models.DateField(null=True)  # the deadline first set for the stage
    reflection_ends_on = models.DateField(null=True)
    due_on = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["referred_on"], name="casefact_referred_on"),
            models.Index(fields=["acknowledged_on"], include=["acknowledgement_hours", "acknowledgement_deadline"],
                         name="casefact_acknowledged_on"),
            models.Index(fields=["preliminary_on"], include=["preliminary_hours", "preliminary_deadline"],
                         name="casefact_preliminary_on"),
            models.Index(fields=["formal_on"], include=["formal_hours", "formal_deadline"], name="casefact_formal_on"),
            models.Index(fields=["reflection_ends_on"], name="casefact_reflection_ends_on"),
            models.Index(fields=["waiting_stage", "referred_on", "due_on"], name="casefact_waiting",
                         condition=~models.Q(waiting_stage="")),
            models.Index(fields=["region", "sex"], name="casefact_region_sex"),
            models.Index(fields=["nationality"], name="casefact_nationality"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.outcome}"


class ReferralCell(models.Model):
    """Referrals counted by month of referral, where they stand now and statistical profile.

    Kept current with the facts (a case that changes moves from one cell to another), so that the
    referral tables over any whole months are sums over a few thousand cells.
    """

    month = models.DateField()
    outcome = models.CharField(max_length=24)
    region = models.CharField(max_length=5)
    agency_kind = models.CharField(max_length=40, blank=True)
    sex = models.CharField(max_length=10)
    age_band = models.CharField(max_length=8, blank=True)
    nationality = models.CharField(max_length=3, blank=True)
    exploitation = models.IntegerField(default=0)
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["month", "outcome", "region", "agency_kind", "sex", "age_band", "nationality", "exploitation"],
            name="referral_cell_key")]

    def __str__(self) -> str:
        return f"{self.month} {self.outcome} {self.count}"


class ReviewFact(models.Model):
    """What the statistics read of a negative decision: when it was taken and, once reviewed, how
    long its second review took and its deadline. Kept current with the decision."""

    decision = models.OneToOneField("cases.Decision", on_delete=models.CASCADE, primary_key=True,
                                    related_name="+")
    case_id = models.IntegerField(db_index=True)
    # The statistical profile of the case, as in its fact, so that the filters need no join.
    region = models.CharField(max_length=5, default="")
    agency_kind = models.CharField(max_length=40, blank=True, default="")
    sex = models.CharField(max_length=10, default="")
    age_band = models.CharField(max_length=8, blank=True, default="")
    nationality = models.CharField(max_length=3, blank=True, default="")
    exploitation = models.IntegerField(default=0)
    decided_on = models.DateField(db_index=True)
    reviewed_on = models.DateField(null=True)
    hours = models.IntegerField(null=True)
    deadline = models.DateField(null=True)

    class Meta:
        indexes = [models.Index(fields=["reviewed_on"], include=["hours", "deadline"], name="reviewfact_reviewed_on")]

    def __str__(self) -> str:
        return f"{self.decision_id} {self.reviewed_on}"


class StageCell(models.Model):
    """Stages completed, counted by stage, month the stage ended, whole hours it took and whether
    its deadline was kept, over every profile.

    Kept current with the facts like :class:`ReferralCell`: the durations and deadlines of the
    dashboard without a profile filter are sums over these cells for the whole months of the
    period (the facts give the days at its edges).
    """

    stage = models.CharField(max_length=16)
    month = models.DateField()
    hours = models.IntegerField()
    late = models.BooleanField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "month", "hours", "late"], name="stage_cell_key")]

    def __str__(self) -> str:
        return f"{self.stage} {self.month} {self.hours} {self.count}"


# The due date of a case waiting without one: after every day, so never overdue (as a missing date).
NO_DUE_DATE = date(9999, 12, 31)


class BacklogCell(models.Model):
    """Cases waiting now, counted by the stage whose queue they are in, day of referral and due
    day (``NO_DUE_DATE`` when there is none), over every profile. Kept current with the facts;
    the backlog without a profile filter reads these cells instead of the cases waiting."""

    stage = models.CharField(max_length=16)
    referred_on = models.DateField()
    due_on = models.DateField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "referred_on", "due_on"], name="backlog_cell_key")]

    def __str__(self) -> str:
        return f"{self.stage} {self.referred_on} {self.due_on} {self.count}"
