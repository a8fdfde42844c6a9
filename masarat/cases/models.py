from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from masarat.cases.lifecycle import Action, Status
from masarat.cases.vocabulary import (
    DecisionOutcome,
    DecisionStage,
    ExploitationForm,
    PlaceRole,
    ReviewOutcome,
)
from masarat.organisations.models import Agency
from masarat.organisations.regions import Region
from masarat.people.models import Person
from masarat.people.vocabulary import Sex
from masarat.vault.fields import EncryptedTextField


class DeadlineStep(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge the referral")
    PRELIMINARY_DECISION = "preliminary_decision", _("Preliminary decision")
    NEGATIVE_REVIEW = "negative_review", _("Second review of a negative decision")
    FORMAL_DECISION = "formal_decision", _("Formal decision")


class CaseQuerySet(models.QuerySet["Case"]):
    """Updates in bulk tell ``masarat.cases.watchers`` which cases changed (no signal does)."""

    def update(self, **kwargs: Any) -> int:
        from masarat.cases import watchers

        if not watchers.wanted(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            rows = super().update(**kwargs)
            watchers.cases_changed(ids, kwargs)
        return rows

    update.alters_data = True  # type: ignore[attr-defined]


class ExploitationQuerySet(models.QuerySet["CaseExploitation"]):
    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[CaseExploitation]:
        from masarat.cases import watchers

        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            watchers.cases_changed({obj.case_id for obj in created}, {"exploitation"})
        return created

    def update(self, **kwargs: Any) -> int:
        from masarat.cases import watchers

        with transaction.atomic(using=self.db):
            ids = set(self.values_list("case_id", flat=True))
            rows = super().update(**kwargs)
            watchers.cases_changed(ids | ({kwargs["case_id"]} if "case_id" in kwargs else set()), {"exploitation"})
        return rows


class DecisionQuerySet(models.QuerySet["Decision"]):
    def update(self, **kwargs: Any) -> int:
        from masarat.cases import watchers

        if not watchers.decisions_wanted():
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            ids = list(self.values_list("pk", flat=True))
            rows = super().update(**kwargs)
            watchers.decisions_changed(ids)
        return rows


class Case(models.Model):
    """One referral of one person into the mechanism, from referral to closure.

    The statistical profile (sex, child, age band, nationality, region, forms of exploitation)
    sits on the case itself, so that statistics never need identities, and an anonymous
    notification (an adult who did not consent) counts without a person.
    """

    reference = models.CharField(_("reference"), max_length=32, unique=True)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices, db_index=True)
    status_before_close = models.CharField(max_length=32, choices=Status.choices, blank=True)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    referring_agency = models.ForeignKey(
        Agency, verbose_name=_("referring agency"), on_delete=models.PROTECT, related_name="referred_cases"
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("referred by"), on_delete=models.PROTECT,
        related_name="referred_cases",
    )
    region = models.CharField(_("region"), max_length=5, choices=Region.choices, db_index=True)
    assigned_coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned coordinator"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="coordinated_cases",
    )
    assigned_case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("case manager"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="managed_cases",
    )

    # Statistical profile, never identifying on its own.
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, db_index=True)
    is_child = models.BooleanField(_("child at referral"))
    age_at_referral = models.PositiveSmallIntegerField(_("age at referral"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=8, blank=True, db_index=True)
    nationality = CountryField(_("first nationality"), blank=True, db_index=True)

    # Key dates.
    encountered_on = models.DateField(_("date of first contact"), null=True, blank=True)
    referred_at = models.DateTimeField(_("referred"), db_index=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    preliminary_decided_at = models.DateTimeField(_("preliminary decision"), null=True, blank=True)
    reflection_ends_on = models.DateField(_("end of the recovery and reflection period"), null=True, blank=True)
    formal_decided_at = models.DateTimeField(_("formal decision"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    # The next deadline, kept current by the services, so that "overdue" is one indexed filter.
    due_step = models.CharField(_("next step"), max_length=24, choices=DeadlineStep.choices, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # When the current wait began, so that deadlines can be recomputed when holidays or settings change.
    waiting_since = models.DateField(null=True, blank=True)

    version = models.PositiveIntegerField(default=1, help_text=_("Incremented by every change."))
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["region", "status", "due_on"]),
            models.Index(fields=["referring_agency", "-referred_at"]),
            models.Index(fields=["assigned_case_manager", "status"]),
            # The queue's order (next deadline first, then the latest referral), so that a page is read
            # in order and stops at its last line, without sorting the cases of each day; "overdue" too.
            models.Index(fields=["due_on", "-referred_at"], name="case_queue_order"),
            # The children in order of id: a filter on the form of exploitation counts them by merging
            # this index with the forms' (form, case) index, neither reading the table.
            models.Index(fields=["is_child", "id"], name="case_child"),
            # Statistics filter the completions of each stage by the period in which they ended.
            models.Index(fields=["acknowledged_at"], name="case_acknowledged_at"),
            models.Index(fields=["preliminary_decided_at"], name="case_preliminary_decided_at"),
            models.Index(fields=["formal_decided_at"], name="case_formal_decided_at"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_anonymous(self) -> bool:
        return self.person_id is None


class CaseExploitation(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="exploitation_forms")
    form = models.CharField(_("form of exploitation"), max_length=24, choices=ExploitationForm.choices)

    objects = ExploitationQuerySet.as_manager()

    class Meta:
        # The cases of a form in order of case: the queue's filter reads them from the index alone.
        indexes = [models.Index(fields=["form", "case"], name="case_exploitation_form")]
        constraints = [models.UniqueConstraint(fields=["case", "form"], name="unique_case_exploitation")]

    def __str__(self) -> str:
        return self.get_form_display()


class CasePlace(models.Model):
    """A country (and, in Morocco, a region) where the person was recruited, moved or exploited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="places")
    role = models.CharField(_("stage"), max_length=12, choices=PlaceRole.choices, db_index=True)
    country = CountryField(_("country"), db_index=True)
    region = models.CharField(_("region"), max_length=5, choices=Region.choices, blank=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "role", "country", "region"], name="unique_case_place"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.country.name}"


class Decision(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(_("decision"), max_length=12, choices=DecisionStage.choices, db_index=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=DecisionOutcome.choices, db_index=True)
    reasons = EncryptedTextField(_("reasons"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decision maker"), on_delete=models.PROTECT,
        related_name="decisions",
    )
    decided_at = models.DateTimeField(_("date of decision"), auto_now_add=True)
    review_outcome = models.CharField(_("second review"), max_length=12, choices=ReviewOutcome.choices, blank=True)
    review_reasons = EncryptedTextField(_("reasons of the second review"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("second reviewer"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="reviewed_decisions",
    )
    reviewed_at = models.DateTimeField(_("date of review"), null=True, blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["decided_at", "id"]
        indexes = [models.Index(fields=["outcome", "reviewed_at"], name="decision_outcome_reviewed_at")]
        verbose_name = _("identification decision")
        verbose_name_plural = _("identification decisions")

    def __str__(self) -> str:
        return f"{self.case.reference} {self.stage} {self.outcome}"

    @property
    def awaits_review(self) -> bool:
        return self.outcome == DecisionOutcome.NEGATIVE and not self.review_outcome


class CaseEvent(models.Model):
    """The case timeline: every transition and assignment, with who, when and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("who"), on_delete=models.PROTECT)
    action = models.CharField(_("what"), max_length=40)
    from_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=32, choices=Status.choices, blank=True)
    note = EncryptedTextField(_("why"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case.reference} {self.action}"

    @property
    def action_label(self) -> str:
        if self.action.startswith("record:"):
            from masarat.cases.records import RECORD_KINDS

            kind = RECORD_KINDS.get(self.action.removeprefix("record:"))
            return capfirst(str(kind.model._meta.verbose_name)) if kind else self.action
        labels = {**dict(Action.choices), **dict(TIMELINE_ACTIONS)}
        return str(labels.get(self.action, self.action))


TIMELINE_ACTIONS = [
    ("referral_submitted", _("Referral submitted")),
    ("anonymous_notification", _("Anonymous notification recorded")),
    ("assign_coordinator", _("Coordinator assigned")),
    ("assign_case_manager", _("Case manager assigned")),
]


class EmergencyAccess(models.Model):
    """"Breaking the glass": a coordinator opens a case outside their scope, for a written reason,
    for a few hours. Every such access is flagged to the auditors."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="emergency_accesses")
    reason = EncryptedTextField(_("reason"))
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [models.Index(fields=["user", "case", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class CaseClosure(models.Model):
    """A closure of the case with its reason and follow-up plan; reopening keeps it, with why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="closures")
    closed_at = models.DateTimeField(_("closed"), auto_now_add=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("closed by"), on_delete=models.PROTECT,
                                  related_name="+")
    reason = EncryptedTextField(_("reason"))
    follow_up_plan = EncryptedTextField(_("follow-up plan"))
    follow_up_on = models.DateField(_("follow-up due on"), null=True, blank=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reopened by"),
                                    on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reopen_reason = EncryptedTextField(_("reason for reopening"), blank=True)

    class Meta:
        ordering = ["closed_at", "id"]
        verbose_name = _("closure")
        verbose_name_plural = _("closures")

    def __str__(self) -> str:
        return f"{self.case_id} closed {self.closed_at:%Y-%m-%d}"


class ReferenceCounter(models.Model):
    """The last case number issued in a year; rows are locked while a number is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"
