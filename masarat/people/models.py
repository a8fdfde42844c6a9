from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from masarat.people.ages import BirthDate
from masarat.people.vocabulary import BirthDatePrecision, DocumentKind, Language, Sex
from masarat.vault.fields import EncryptedDateField, EncryptedIntegerField, EncryptedTextField


class Person(models.Model):
    """A presumed victim. Identifying data lives here and nowhere else."""

    # Identities are stored encrypted (masarat.vault); search goes through PersonSearchToken.
    given_name_latin = EncryptedTextField(_("given name (Latin script)"), blank=True)
    family_name_latin = EncryptedTextField(_("family name (Latin script)"), blank=True)
    given_name_arabic = EncryptedTextField(_("given name (Arabic script)"), blank=True)
    family_name_arabic = EncryptedTextField(_("family name (Arabic script)"), blank=True)
    # Sex stays in clear: it is part of every statistic and singles no one out.
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, db_index=True)
    birth_precision = models.CharField(_("date of birth known as"), max_length=15, choices=BirthDatePrecision.choices)
    birth_year = EncryptedIntegerField(_("year of birth"), null=True, blank=True)
    birth_month = EncryptedIntegerField(_("month of birth"), null=True, blank=True)
    birth_day = EncryptedIntegerField(_("day of birth"), null=True, blank=True)
    estimated_age = EncryptedIntegerField(_("estimated age"), null=True, blank=True)
    estimated_on = EncryptedDateField(_("age estimated on"), null=True, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True, help_text=_("International format."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.display_name

    @property
    def latin_name(self) -> str:
        return " ".join(part for part in (self.given_name_latin, self.family_name_latin) if part)

    @property
    def arabic_name(self) -> str:
        return " ".join(part for part in (self.given_name_arabic, self.family_name_arabic) if part)

    @property
    def display_name(self) -> str:
        return self.latin_name or self.arabic_name

    @property
    def birth(self) -> BirthDate:
        return BirthDate(
            year=self.birth_year, month=self.birth_month, day=self.birth_day,
            estimated_age=self.estimated_age, estimated_on=self.estimated_on,
        )

    def age_on(self, on: date) -> int | None:
        return self.birth.youngest_age_on(on)


class PersonNationality(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="nationalities")
    country = CountryField(_("nationality"), db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "country"], name="unique_person_nationality")]

    def __str__(self) -> str:
        return str(self.country.name)


class PersonLanguage(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "language"], name="unique_person_language")]

    def __str__(self) -> str:
        return self.get_language_display()


class IdentityDocument(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("document type"), max_length=20, choices=DocumentKind.choices)
    number = EncryptedTextField(_("document number"))
    issuing_country = CountryField(_("issuing country"), blank=True)
    is_held_by_person = models.BooleanField(
        _("the person holds the document"), default=True,
        help_text=_("Untick when the document is withheld by someone else (a common method of control)."),
    )

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class PersonSearchToken(models.Model):
    """A blind index entry: a keyed hash of one normalised value of a person, for one purpose.

    ``purpose`` is free ("name", "phone", "document", "birth_year", or a matcher's own key), and
    enters the hash, so equal values of two purposes never look alike. The tokens of a person are
    recomputed by :func:`masarat.people.search.person_index_refresh`, never written elsewhere.
    """

    # No index of its own: the unique constraint's index starts with the person and serves every
    # lookup by person (a second one would be written with each of the many tokens of a person).
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="search_tokens", db_index=False)
    purpose = models.CharField(max_length=40)
    digest = models.CharField(max_length=64)

    class Meta:
        # The person's id is in the index so that the persons carrying a value are read from the index
        # alone, in order of id, without visiting the table (a common name is carried by thousands).
        indexes = [models.Index(fields=["purpose", "digest", "person"], name="person_token_lookup")]
        constraints = [models.UniqueConstraint(fields=["person", "purpose", "digest"],
                                               name="unique_person_search_token")]

    def __str__(self) -> str:
        return f"{self.purpose}:{self.digest[:8]}…"
