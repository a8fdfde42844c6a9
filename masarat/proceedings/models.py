"""Criminal and civil proceedings of a case, and the suspected offenders linked to it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from masarat.cases.records import CaseRecord
from masarat.people.vocabulary import Sex
from masarat.vault.fields import EncryptedTextField


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("Criminal")
    CIVIL = "civil", _("Civil")


class PersonRole(models.TextChoices):
    COMPLAINANT = "complainant", _("Complainant")
    WITNESS = "witness", _("Witness")
    CIVIL_PARTY = "civil_party", _("Civil party")
    NONE = "none", _("Not involved")


class Stage(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    INVESTIGATION = "investigation", _("Investigation")
    PROSECUTION = "prosecution", _("Prosecution")
    TRIAL = "trial", _("Trial")
    JUDGEMENT = "judgement", _("Judgement")
    COMPENSATION = "compensation", _("Compensation")
    CLOSED = "closed", _("Closed without further action")


class Proceeding(CaseRecord):
    kind = models.CharField(_("kind of proceedings"), max_length=10, choices=ProceedingKind.choices)
    authority = models.CharField(_("court or authority"), max_length=200)
    file_number = models.CharField(_("file number"), max_length=60, blank=True)
    person_role = models.CharField(_("the person's role"), max_length=12, choices=PersonRole.choices)
    protection_measures = EncryptedTextField(
        _("protection measures"), blank=True,
        help_text=_("For example: anonymity, hearing by video, no confrontation with the accused."),
    )
    non_punishment = models.BooleanField(
        _("non-punishment applies"), default=False,
        help_text=_("Offences the person committed as a direct result of being trafficked are not punished."),
    )
    opened_on = models.DateField(_("opened on"))

    class Meta(CaseRecord.Meta):
        verbose_name = _("proceedings")
        verbose_name_plural = _("proceedings")

    def __str__(self) -> str:
        number = f" {self.file_number}" if self.file_number else ""
        return f"{self.get_kind_display()}, {self.authority}{number}"


class ProceedingStep(CaseRecord):
    """A stage the proceedings reached: the latest is the current stage."""

    proceeding = models.ForeignKey(Proceeding, verbose_name=_("proceedings"), on_delete=models.CASCADE,
                                   related_name="steps")
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices)
    on = models.DateField(_("date"))
    note = EncryptedTextField(_("note"), blank=True)
    compensation_awarded = models.PositiveIntegerField(_("compensation awarded (dirhams)"), null=True, blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("stage of proceedings")
        verbose_name_plural = _("stages of proceedings")

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.on}"


class Hearing(CaseRecord):
    """A hearing date is a deadline: the person must be prepared, accompanied and protected."""

    proceeding = models.ForeignKey(Proceeding, verbose_name=_("proceedings"), on_delete=models.CASCADE,
                                   related_name="hearings")
    on = models.DateField(_("hearing date"), db_index=True)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)
    held = models.BooleanField(_("the hearing took place"), default=False)

    class Meta(CaseRecord.Meta):
        ordering = ["on", "id"]
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")

    def __str__(self) -> str:
        return f"{self.on} {self.purpose}"


class OffenderStatus(models.TextChoices):
    INVESTIGATED = "investigated", _("Investigated")
    PROSECUTED = "prosecuted", _("Prosecuted")
    CONVICTED = "convicted", _("Convicted")
    ACQUITTED = "acquitted", _("Acquitted")


class SuspectedOffender(CaseRecord):
    """Minimal data on a suspected offender, for the justice users and for counts without identities."""

    designation = EncryptedTextField(_("name or designation"), help_text=_("As in the file of the justice."))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    nationality = CountryField(_("nationality"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("suspected offender")
        verbose_name_plural = _("suspected offenders")

    def __str__(self) -> str:
        return f"offender {self.pk}"


class OffenderStatusChange(CaseRecord):
    """Each status an offender reached, and when: an offender investigated one year and convicted the
    next counts in both years."""

    offender = models.ForeignKey(SuspectedOffender, verbose_name=_("suspected offender"), on_delete=models.CASCADE,
                                 related_name="statuses")
    status = models.CharField(_("status"), max_length=12, choices=OffenderStatus.choices, db_index=True)
    on = models.DateField(_("date"), db_index=True)

    class Meta(CaseRecord.Meta):
        ordering = ["on", "id"]
        verbose_name = _("status of a suspected offender")
        verbose_name_plural = _("statuses of suspected offenders")
        constraints = [models.UniqueConstraint(fields=["offender", "status"], name="unique_offender_status")]

    def __str__(self) -> str:
        return f"{self.status} {self.on}"
