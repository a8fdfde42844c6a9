"""The rules a referral must satisfy, shared by the web form and the API."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import phonenumbers
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from masarat.cases.vocabulary import ExploitationForm
from masarat.organisations.regions import Region
from masarat.people.ages import BirthDate, is_child
from masarat.people.phones import normalise_phone
from masarat.people.vocabulary import BirthDatePrecision, DocumentKind, Language, Sex
from masarat.referrals.vocabulary import Consent, Indicator, UrgentNeed

_ARABIC_LETTERS = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_NAME_PUNCTUATION = set(" -'’.")


@dataclass
class DocumentInput:
    kind: str
    number: str
    issuing_country: str = ""
    is_held_by_person: bool = True


@dataclass
class ReferralInput:
    sex: str
    birth_precision: str
    consent: str
    region: str
    given_name_latin: str = ""
    family_name_latin: str = ""
    given_name_arabic: str = ""
    family_name_arabic: str = ""
    birth_date: date | None = None
    birth_year: int | None = None
    birth_month: int | None = None
    estimated_age: int | None = None
    nationalities: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    phone: str = ""
    documents: list[DocumentInput] = field(default_factory=list)
    encountered_on: date | None = None
    circumstances: str = ""
    exploitation_forms: list[str] = field(default_factory=list)
    recruitment_countries: list[str] = field(default_factory=list)
    exploitation_countries: list[str] = field(default_factory=list)
    exploitation_regions: list[str] = field(default_factory=list)
    indicators: list[str] = field(default_factory=list)
    consent_informed_by: str = ""
    consent_language: str = ""
    urgent_needs: list[str] = field(default_factory=list)

    def birth(self, today: date) -> BirthDate:
        precision = self.birth_precision
        if precision == BirthDatePrecision.FULL and self.birth_date:
            return BirthDate(year=self.birth_date.year, month=self.birth_date.month, day=self.birth_date.day)
        if precision == BirthDatePrecision.YEAR_MONTH:
            return BirthDate(year=self.birth_year, month=self.birth_month)
        if precision == BirthDatePrecision.YEAR:
            return BirthDate(year=self.birth_year)
        if precision == BirthDatePrecision.ESTIMATED_AGE:
            return BirthDate(estimated_age=self.estimated_age, estimated_on=today)
        return BirthDate()

    @property
    def is_anonymous(self) -> bool:
        return self.consent == Consent.REFUSED

    @property
    def has_name(self) -> bool:
        return any((self.given_name_latin, self.family_name_latin, self.given_name_arabic, self.family_name_arabic))


class ReferralErrors(Exception):
    """Field errors of a referral: ``{field name: [messages]}``; ``"__all__"`` for the whole form."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{key}: {' '.join(msgs)}" for key, msgs in errors.items()))


def _is_arabic_name(value: str) -> bool:
    return all(_ARABIC_LETTERS.match(ch) or ch in _NAME_PUNCTUATION for ch in value)


def _is_latin_name(value: str) -> bool:
    for ch in value:
        if ch in _NAME_PUNCTUATION:
            continue
        if not ch.isalpha() or _ARABIC_LETTERS.match(ch) or "LATIN" not in unicodedata.name(ch, ""):
            return False
    return True


Add = Callable[[str, str], None]


def _check_choices(name: str, values: list[str], allowed: set[str], add: Add) -> None:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        add(name, _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)})


def _check_birth(data: ReferralInput, today: date, add: Add) -> None:
    precision = data.birth_precision
    if precision not in BirthDatePrecision.values:
        add("birth_precision", _("Say what is known of the age: a date of birth, a year, or an estimated age."))
    elif precision == BirthDatePrecision.FULL:
        if data.birth_date is None:
            add("birth_date", _("Enter the date of birth."))
        elif data.birth_date > today or data.birth_date.year < 1900:
            add("birth_date", _("The date of birth must be in the past."))
    elif precision in (BirthDatePrecision.YEAR, BirthDatePrecision.YEAR_MONTH):
        if data.birth_year is None or not 1900 <= data.birth_year <= today.year:
            add("birth_year", _("Enter a year of birth between 1900 and %(year)s.") % {"year": today.year})
        if precision == BirthDatePrecision.YEAR_MONTH and (data.birth_month is None or not 1 <= data.birth_month <= 12):
            add("birth_month", _("Enter a month of birth from 1 to 12."))
        elif precision == BirthDatePrecision.YEAR_MONTH and (data.birth_year, data.birth_month) > (today.year,
                                                                                               today.month):
            add("birth_month", _("The month of birth must be in the past."))
    elif data.estimated_age is None or not 0 <= data.estimated_age <= 120:
        add("estimated_age", _("Enter an estimated age from 0 to 120."))


def _check_names_phone_documents(data: ReferralInput, add: Add) -> None:
    for name in ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic"):
        if len(getattr(data, name)) > 120:
            add(name, _("A name can have 120 characters at most."))
    for name in ("given_name_latin", "family_name_latin"):
        if getattr(data, name) and not _is_latin_name(getattr(data, name)):
            add(name, _("Use Latin letters here; write the Arabic spelling in the Arabic fields."))
    for name in ("given_name_arabic", "family_name_arabic"):
        if getattr(data, name) and not _is_arabic_name(getattr(data, name)):
            add(name, _("Use Arabic letters here; write the Latin spelling in the Latin fields."))
    if data.phone:
        try:
            data.phone = normalise_phone(data.phone)
        except phonenumbers.NumberParseException:
            add("phone", _("This phone number is not valid. Use the international form (+212 6…) "
                           "or a Moroccan number (06…)."))
    for document in data.documents:
        document.number = document.number.strip()
        if document.kind not in DocumentKind.values or not document.number or len(document.number) > 60:
            add("documents", _("Each identity document needs a type and a number."))
        if document.issuing_country and document.issuing_country not in countries:
            add("documents", _("Unknown issuing country."))


IDENTITY_TEXT = ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic", "phone")


def validate_identity(data: ReferralInput, *, today: date | None = None) -> ReferralInput:
    """The rules of the person's identity alone (names, sex, date of birth or age, nationalities,
    languages, phone, documents), as for a referral: used where an identity is corrected."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}
    for name in IDENTITY_TEXT:
        setattr(data, name, " ".join(str(getattr(data, name) or "").split()))
    _check_identity(data, today, errors)
    if not data.has_name:
        errors.setdefault("__all__", []).append(_("Enter the person's name in Latin or Arabic script (at least one)."))
    if errors:
        raise ReferralErrors(errors)
    return data


def _check_identity(data: ReferralInput, today: date, errors: dict[str, list[str]]) -> None:
    """Add to ``errors`` what is wrong with the identity of ``data`` (normalising the phone and documents)."""

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.sex not in Sex.values:
        add("sex", _("Choose the sex of the person (or “Unknown”)."))
    _check_birth(data, today, add)
    _check_names_phone_documents(data, add)
    country_codes = {code for code, _name in countries}
    _check_choices("nationalities", data.nationalities, country_codes, add)
    _check_choices("languages", data.languages, set(Language.values), add)


def validate_referral(data: ReferralInput, *, today: date | None = None) -> ReferralInput:
    """Check every rule, normalise what can be, and raise :class:`ReferralErrors` listing all problems."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    def check_choices(name: str, values: list[str], allowed: set[str]) -> None:
        _check_choices(name, values, allowed, add)

    for name in ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic",
                 "phone", "circumstances", "consent_informed_by"):
        setattr(data, name, " ".join(str(getattr(data, name) or "").split()) if name != "circumstances"
                else str(data.circumstances or "").strip())

    if data.sex not in Sex.values:
        add("sex", _("Choose the sex of the person (or “Unknown”)."))
    if data.region not in Region.values:
        add("region", _("Choose the region where the person was met."))
    if data.consent not in Consent.values:
        add("consent", _("Record whether the person consented to the referral."))

    _check_birth(data, today, add)

    child = None if "birth_date" in errors or "birth_year" in errors or "birth_month" in errors \
        or "estimated_age" in errors or "birth_precision" in errors else is_child(data.birth(today), today)
    if child is True and data.consent == Consent.REFUSED:
        add("consent", _("A child is referred without needing consent: choose “Not required: the person is a child”."))
    if child is False and data.consent == Consent.NOT_REQUIRED_CHILD:
        add("consent", _("The person is an adult by the age given: their consent must be recorded."))
    if data.consent in (Consent.GIVEN, Consent.REFUSED):
        if not data.consent_informed_by:
            add("consent_informed_by", _("Say who informed the person about the referral mechanism."))
        elif len(data.consent_informed_by) > 150:
            add("consent_informed_by", _("150 characters at most."))
        if data.consent_language not in Language.values:
            add("consent_language", _("Choose the language in which the person was informed."))

    if not data.is_anonymous:
        if not data.has_name:
            add("__all__", _("Enter the person's name in Latin or Arabic script (at least one)."))
        _check_names_phone_documents(data, add)

    if data.encountered_on and data.encountered_on > today:
        add("encountered_on", _("The date of first contact cannot be in the future."))
    country_codes = {code for code, _name in countries}
    check_choices("nationalities", data.nationalities, country_codes)
    check_choices("recruitment_countries", data.recruitment_countries, country_codes)
    check_choices("exploitation_countries", data.exploitation_countries, country_codes)
    check_choices("exploitation_regions", data.exploitation_regions, set(Region.values))
    check_choices("exploitation_forms", data.exploitation_forms, set(ExploitationForm.values))
    check_choices("languages", data.languages, set(Language.values))
    check_choices("indicators", data.indicators, set(Indicator.values))
    check_choices("urgent_needs", data.urgent_needs, set(UrgentNeed.values))
    if len(data.circumstances) > 20000:
        add("circumstances", _("The account of the circumstances is too long (20,000 characters at most)."))

    if errors:
        raise ReferralErrors(errors)
    return data
