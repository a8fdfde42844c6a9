"""One imported row: its cells read into the referral it describes, every problem worded for the user.

The cells are read leniently (dates as 2024-03-01, 01/03/2024 or 2024; sexes, nationalities, regions
and other value lists by their code or their name in French, English or Arabic), then the row goes
through :func:`masarat.referrals.validation.validate_referral`, the rules of the referral form.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache

from django.db.models import TextChoices
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from masarat.access import policy
from masarat.accounts.models import User
from masarat.cases.vocabulary import ExploitationForm
from masarat.matching.fields import nationality_code
from masarat.matching.normalise import normalise_text
from masarat.matching.records import sex_code
from masarat.organisations.regions import Region
from masarat.people.ages import is_child
from masarat.people.vocabulary import BirthDatePrecision, DocumentKind, Language, Sex
from masarat.referrals.validation import DocumentInput, ReferralErrors, ReferralInput, validate_referral
from masarat.referrals.vocabulary import Consent

_LIST_SEPARATORS = re.compile(r"[;,/|\n،؛]+")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[ T].*)?$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_SEXES = {"m": Sex.MALE, "f": Sex.FEMALE}
_YES = {"oui", "yes", "o", "y", "1", "true", "vrai", "نعم", "given", "donne", "accepte"}
_NO = {"non", "no", "n", "0", "false", "faux", "لا", "refused", "refuse"}
_CHILD = {"enfant", "child", "mineur", "minor", "طفل", "قاصر", "not required child", "non requis"}


@dataclass
class Problem:
    """What is wrong with a row: the Masarat field (or "" for the whole row) and a sentence that says
    what is wrong and how to fix it."""

    field: str
    message: str


@dataclass
class ReadRow:
    data: ReferralInput | None
    received_at: datetime | None = None
    referring_agency: str = ""
    problems: list[Problem] = field(default_factory=list)


@cache
def _choices(choices: type[TextChoices], language_key: str = "") -> dict[str, str]:
    """Normal text of each value's code and of its label in each language -> code."""
    found: dict[str, str] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        found[normalise_text(str(value))] = value
        for language in ("fr", "en", "ar"):
            with translation.override(language):
                found.setdefault(normalise_text(str(label)), value)
    return found


def _choice(choices: type[TextChoices], raw: str) -> str | None:
    return _choices(choices).get(normalise_text(raw)) if raw.strip() else None


def _split(raw: str) -> list[str]:
    return [item.strip() for item in _LIST_SEPARATORS.split(raw) if item.strip()]


def read_date(raw: str) -> tuple[int, int | None, int | None]:
    """(year, month, day) of 2024-03-01, 2024-03, 2024, 01/03/2024 (day first) or 03/2024. Raises ValueError."""
    text = raw.strip()
    month: int | None
    day: int | None
    if found := _DAY_FIRST.match(text):
        day, month, year = int(found.group(1)), int(found.group(2)), int(found.group(3))
    elif found := _ISO.match(text):
        year = int(found.group(1))
        month = int(found.group(2)) if found.group(2) else None
        day = int(found.group(3)) if found.group(3) else None
    elif found := _MONTH_YEAR.match(text):
        year, month, day = int(found.group(2)), int(found.group(1)), None
    else:
        raise ValueError(text)
    if not 1850 <= year <= 2200:
        raise ValueError(text)
    if month is not None and day is not None:
        date(year, month, day)  # raises ValueError on 31/02
    elif month is not None and not 1 <= month <= 12:
        raise ValueError(text)
    return year, month, day


def _full_date(raw: str) -> date:
    year, month, day = read_date(raw)
    if month is None or day is None:
        raise ValueError(raw)
    return date(year, month, day)


def _is_arabic(value: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in value)


class _Row:
    def __init__(self, cells: dict[str, str]) -> None:
        self.cells = {name: " ".join(value.split()) if name != "circumstances" else value.strip()
                      for name, value in cells.items()}
        self.problems: list[Problem] = []

    def get(self, name: str) -> str:
        return self.cells.get(name, "")

    def add(self, name: str, message: str) -> None:
        self.problems.append(Problem(name, message))


def read_row(cells: dict[str, str], *, by: User, today: date | None = None) -> ReadRow:
    """The referral a row describes, checked by the referral rules; ``data`` is None when it has problems."""
    today = today or timezone.localdate()
    row = _Row(cells)
    data = ReferralInput(sex=Sex.UNKNOWN, birth_precision="", consent="", region="")
    _names(row, data)
    _person(row, data)
    received_at = _dates(row, data, today)
    referral_day = timezone.localdate(received_at) if received_at else today
    _case(row, data, by)
    agency = row.get("referring_agency")[:150]
    _consent(row, data, by, agency, referral_day)
    if agency:
        # Masarat records the importing coordinator's agency as the referring one; the original stays on record.
        note = _("Referring agency in the imported record: %(agency)s") % {"agency": agency}
        data.circumstances = f"{note}\n\n{data.circumstances}".strip()
    if not row.problems:
        try:
            data = validate_referral(copy.deepcopy(data), today=referral_day)
        except ReferralErrors as errors:
            for name, messages in errors.errors.items():
                for message in messages:
                    row.add(_FROM_RULES.get(name, name), message)
    return ReadRow(data=None if row.problems else data, received_at=received_at, referring_agency=agency,
                   problems=row.problems)


# The referral rules name their own fields; each is shown on the column it came from.
_FROM_RULES = {
    "birth_precision": "birth_date", "birth_year": "birth_date", "birth_month": "birth_date",
    "nationalities": "nationality", "documents": "document_number", "exploitation_regions": "region",
    "__all__": "",
}


def _names(row: _Row, data: ReferralInput) -> None:
    given, family = row.get("given_name"), row.get("family_name")
    if full := row.get("full_name"):
        given_part, _space, family_part = full.partition(" ")
        given, family = given or given_part, family or family_part
    for value, latin, arabic in ((given, "given_name_latin", "given_name_arabic"),
                                 (family, "family_name_latin", "family_name_arabic")):
        if value:
            setattr(data, arabic if _is_arabic(value) else latin, value)
    for name in ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic"):
        if row.get(name):
            setattr(data, name, row.get(name))


def _person(row: _Row, data: ReferralInput) -> None:
    if raw := row.get("sex"):
        try:
            code = sex_code(raw)
        except ValueError:
            code = _choice(Sex, raw) or "?"
        if code == "?":
            row.add("sex", _("“%(value)s” is not a sex Masarat knows. Write F, M or leave the cell empty "
                             "when it is not known.") % {"value": raw[:40]})
        else:
            data.sex = _SEXES.get(code, code or Sex.UNKNOWN)
    if raw := row.get("birth_date"):
        try:
            year, month, day = read_date(raw)
        except ValueError:
            row.add("birth_date", _("“%(value)s” is not a date of birth. Write it as 1990-03-21 or 21/03/1990, "
                                    "or only the year (1990) when the day is not known.") % {"value": raw[:40]})
        else:
            if day is not None and month is not None:
                data.birth_precision, data.birth_date = BirthDatePrecision.FULL, date(year, month, day)
            elif month is not None:
                data.birth_precision, data.birth_year, data.birth_month = BirthDatePrecision.YEAR_MONTH, year, month
            else:
                data.birth_precision, data.birth_year = BirthDatePrecision.YEAR, year
    elif raw := row.get("estimated_age"):
        try:
            data.estimated_age = int(float(raw.replace(",", ".")))
            data.birth_precision = BirthDatePrecision.ESTIMATED_AGE
        except (ValueError, OverflowError):
            row.add("estimated_age", _("“%(value)s” is not an age. Write a number of years, such as 25.")
                    % {"value": raw[:40]})
    for raw in _split(row.get("nationality")):
        try:
            data.nationalities.append(nationality_code(raw))
        except ValueError:
            row.add("nationality", _("“%(value)s” is not a country Masarat knows. Write its ISO code (SN, MA) or "
                                     "its name in French, English or Arabic.") % {"value": raw[:40]})
    data.nationalities = list(dict.fromkeys(data.nationalities))
    data.phone = row.get("phone")
    for raw in _split(row.get("languages")):
        language = _choice(Language, raw)
        if language is None:
            row.add("languages", _("“%(value)s” is not a language Masarat knows. Leave it out or write it in the "
                                   "circumstances.") % {"value": raw[:40]})
        else:
            data.languages.append(language)
    if number := row.get("document_number"):
        kind: str | None = _choice(DocumentKind, row.get("document_kind")) if row.get("document_kind") \
            else DocumentKind.OTHER
        if kind is None:
            row.add("document_kind", _("“%(value)s” is not a kind of document Masarat knows (passport, national "
                                       "identity card, residence permit…).") % {"value": row.get("document_kind")[:40]})
            kind = DocumentKind.OTHER
        data.documents.append(DocumentInput(kind=kind, number=number))


def _dates(row: _Row, data: ReferralInput, today: date) -> datetime | None:
    received_at = None
    if raw := row.get("referral_date"):
        try:
            day = _full_date(raw)
        except ValueError:
            row.add("referral_date", _("“%(value)s” is not a date. Write the date of referral as 2021-03-21 or "
                                       "21/03/2021.") % {"value": raw[:40]})
        else:
            if day > today or day.year < 1990:
                row.add("referral_date", _("The date of referral must be between 1990 and today."))
            else:
                received_at = timezone.make_aware(datetime.combine(day, time(0)))
    if raw := row.get("encountered_on"):
        try:
            data.encountered_on = _full_date(raw)
        except ValueError:
            row.add("encountered_on", _("“%(value)s” is not a date. Write the date of first contact as 2021-03-21 "
                                        "or 21/03/2021.") % {"value": raw[:40]})
    return received_at


def _case(row: _Row, data: ReferralInput, by: User) -> None:
    if raw := row.get("region"):
        region = _choice(Region, raw)
        if region is None:
            row.add("region", _("“%(value)s” is not a region of Morocco. Write its code (MA-04) or its name "
                                "(Rabat-Salé-Kénitra).") % {"value": raw[:60]})
        elif not policy.can_import_into_region(by, region):
            row.add("region", _("This region is outside your scope: a regional coordinator imports the cases of "
                                "their own region only."))
        data.region = region or ""
    else:
        data.region = by.region
    for raw in _split(row.get("exploitation_forms")):
        form = _choice(ExploitationForm, raw) or _EXPLOITATION_WORDS.get(normalise_text(raw))
        if form is None:
            row.add("exploitation_forms", _("“%(value)s” is not a form of exploitation Masarat knows (forced "
                                            "labour, sexual exploitation, forced begging…).") % {"value": raw[:60]})
        else:
            data.exploitation_forms.append(form)
    data.circumstances = row.get("circumstances")


_EXPLOITATION_WORDS = {normalise_text(word): form for word, form in {
    "travail force": ExploitationForm.FORCED_LABOUR, "forced labor": ExploitationForm.FORCED_LABOUR,
    "exploitation sexuelle": ExploitationForm.SEXUAL_EXPLOITATION, "sexual": ExploitationForm.SEXUAL_EXPLOITATION,
    "mendicite": ExploitationForm.FORCED_BEGGING, "begging": ExploitationForm.FORCED_BEGGING,
    "servitude domestique": ExploitationForm.SERVITUDE, "domestic servitude": ExploitationForm.SERVITUDE,
    "mariage force": ExploitationForm.FORCED_MARRIAGE, "العمل القسري": ExploitationForm.FORCED_LABOUR,
    "الاستغلال الجنسي": ExploitationForm.SEXUAL_EXPLOITATION, "التسول": ExploitationForm.FORCED_BEGGING,
}.items()}


def _consent(row: _Row, data: ReferralInput, by: User, agency: str, referral_day: date) -> None:
    raw = normalise_text(row.get("consent"))
    try:
        child = is_child(data.birth(referral_day), referral_day) if data.birth_precision else None
    except (ValueError, OverflowError):  # an impossible age: the referral rules say what is wrong
        child = None
    if not raw:
        if child:
            data.consent = Consent.NOT_REQUIRED_CHILD
        else:
            row.add("consent", _("Whether the adult consented to the referral is not given. Add a consent column "
                                 "(yes or no) and map it."))
    elif raw in {normalise_text(word) for word in _YES}:
        data.consent = Consent.NOT_REQUIRED_CHILD if child else Consent.GIVEN
    elif raw in {normalise_text(word) for word in _NO}:
        data.consent = Consent.NOT_REQUIRED_CHILD if child else Consent.REFUSED
    elif raw in {normalise_text(word) for word in _CHILD}:
        data.consent = Consent.NOT_REQUIRED_CHILD
    else:
        data.consent = _choice(Consent, row.get("consent")) or ""
        if not data.consent:
            row.add("consent", _("“%(value)s” is not an answer Masarat understands. Write yes, no, or child.")
                    % {"value": row.get("consent")[:40]})
    data.consent_informed_by = row.get("consent_informed_by") or agency or (by.agency.name if by.agency else "")
    language = row.get("consent_language")
    data.consent_language = (_choice(Language, language) if language else None) or Language.OTHER
    if language and _choice(Language, language) is None:
        row.add("consent_language", _("“%(value)s” is not a language Masarat knows.") % {"value": language[:40]})


def cells_of(row: list[str], header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    """``{field: text}`` of one row, for the columns mapped to a field."""
    cells: dict[str, str] = {}
    for position, column in enumerate(header):
        name = mapping.get(column, "")
        if name and position < len(row):
            cells[name] = row[position]
    return cells
