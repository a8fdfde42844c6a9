"""Export and import of one case as an HTCDS 2.0 JSON document.

Export: only a coordinator who may open the case file, audited. Import: the document becomes a
referral through :func:`masarat.referrals.services.referral_submit`, with the rules of the web
form; it is all or nothing, and an invalid document is refused with every problem named by its
HTCDS field.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from masarat.access import policy
from masarat.accounts.models import User
from masarat.audit.services import record_event
from masarat.cases.lifecycle import Status
from masarat.cases.models import Case, CasePlace
from masarat.cases.vocabulary import PlaceRole
from masarat.consent.services import require_consent
from masarat.consent.vocabulary import ConsentPurpose
from masarat.htcds import mapping as m
from masarat.people.vocabulary import BirthDatePrecision, Language
from masarat.referrals.models import Referral
from masarat.referrals.services import referral_submit
from masarat.referrals.validation import DocumentInput, ReferralErrors, ReferralInput
from masarat.referrals.vocabulary import Consent
from masarat.sensitive.shield import Shield, is_restricted, shield_for


class HtcdsInvalid(Exception):
    """Problems of a document: ``{HTCDS field or section: [messages]}``."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{key}: {' '.join(messages)}" for key, messages in errors.items()))


# --- Export -----------------------------------------------------------------------------------

def _birthdate(case: Case) -> str:
    person = case.person
    if person is None:
        return ""
    if person.birth_precision == BirthDatePrecision.FULL and person.birth_year and person.birth_month \
            and person.birth_day:
        return date(person.birth_year, person.birth_month, person.birth_day).isoformat()
    if person.birth_precision == BirthDatePrecision.YEAR_MONTH and person.birth_year and person.birth_month:
        return f"{person.birth_year:04d}-{person.birth_month:02d}"
    if person.birth_precision == BirthDatePrecision.YEAR and person.birth_year:
        return f"{person.birth_year:04d}"
    if person.estimated_age is not None and person.estimated_on is not None:
        # The standard has no estimated age: the year of birth it implies is the closest it can carry.
        return f"{person.estimated_on.year - person.estimated_age:04d}"
    return ""


def case_document(case: Case, shield: Shield | None = None) -> dict[str, Any]:
    """The HTCDS document of a case (no access check: callers go through :func:`case_export`).

    With a ``shield``, the sensitive categories its user may not read are left out ("restricted").
    """
    person = case.person
    referral = Referral.objects.filter(case=case).first()
    indicator_rows = list(referral.indicators.order_by("indicator")) if referral else []
    if shield is not None:
        shield.apply([referral, *indicator_rows])
    indicators = [row.indicator for row in indicator_rows if not is_restricted(row.indicator)]
    nationalities = [str(row.country.code) for row in person.nationalities.all()] if person else (
        [str(case.nationality.code)] if case.nationality else [])
    status = case.status_before_close if case.status == Status.CLOSED else case.status
    agency = case.referring_agency
    document: dict[str, Any] = {
        "format": m.FORMAT,
        "version": m.VERSION,
        m.ORGANISATION: {
            "org_Name": agency.name,
            "org_Type": m.ORGANISATION_TYPE.get(agency.kind, ""),
            "org_ShippingCountry": "MA",
        },
        m.PERSON: {
            "prs_FirstName": (person.given_name_latin or person.given_name_arabic) if person else "",
            "prs_SecondName": (person.family_name_latin or person.family_name_arabic) if person else "",
            "prs_Birthdate": _birthdate(case),
            "prs_Gender": m.GENDER_OUT.get(case.sex, "Unknown"),
            "prs_Nationality": nationalities[0] if nationalities else "",
            "prs_Citizenship": nationalities,
            "prs_MobilePhone": person.phone if person else "",
        },
        m.VICTIM: {
            "vic_AgreementToManagePersonalData": bool(referral and referral.consent == Consent.GIVEN),
            "vic_TraffickingStatus": m.TRAFFICKING_STATUS.get(status, m.TRAFFICKING_STATUS_DEFAULT),
            "vic_TypeOfExploitation": sorted(case.exploitation_forms.values_list("form", flat=True)),
            "vic_MethodsOfControl": sorted({m.CONTROL_OUT[i] for i in indicators if i in m.CONTROL_OUT}),
        },
        m.EVENTS: [
            {"hte_Type": m.EVENT_TYPE_OUT[place.role], "hte_Country": str(place.country.code),
             "hte_State": place.region}
            for place in case.places.order_by("role", "country", "region")
        ],
        m.CASE: {
            "cas_Status": m.CASE_STATUS_CLOSED if case.status == Status.CLOSED else m.CASE_STATUS_OPEN,
            "cas_ReferringOrganisation": agency.name,
            "cas_IncomingReferralDate": timezone.localdate(case.referred_at).isoformat(),
            "cas_OutgoingReferralDetails": referral.circumstances if referral else "",
        },
        m.EXTENSION: {
            "reference": case.reference,
            "given_name_arabic": person.given_name_arabic if person and person.given_name_latin else "",
            "family_name_arabic": person.family_name_arabic if person and person.family_name_latin else "",
            "region": case.region,
            "consent": referral.consent if referral else "",
            "consent_informed_by": referral.consent_informed_by if referral else "",
            "consent_language": referral.consent_language if referral else "",
            "encountered_on": case.encountered_on.isoformat() if case.encountered_on else "",
            "languages": sorted(person.languages.values_list("language", flat=True)) if person else [],
            "indicators": indicators,
            "urgent_needs": sorted(_urgent_needs(referral)),
            "documents": [
                {"kind": row.kind, "number": row.number, "issuing_country": str(row.issuing_country.code or ""),
                 "is_held_by_person": row.is_held_by_person}
                for row in (person.documents.order_by("kind", "id") if person else [])
            ],
        },
    }
    return document


def _urgent_needs(referral: Referral | None) -> list[str]:
    if referral is None:
        return []
    flags = {"medical": referral.urgent_medical, "shelter": referral.urgent_shelter,
             "safety": referral.urgent_safety, "interpreter": referral.urgent_interpreter}
    return [need for need, flagged in flags.items() if flagged]


@transaction.atomic
def case_export(*, case: Case, by: User, override_reason: str = "") -> dict[str, Any]:
    """The document of a case, for a coordinator who may open its file, with the person's consent to
    the transfer of their case to another agency (or a recorded override); the export is audited.

    Raises :class:`masarat.consent.services.ConsentMissing` without consent.
    """
    if not policy.can_exchange_case(by, case):
        raise Http404
    if case.person_id is not None:  # an anonymous notification carries no identity to consent about
        require_consent(case, ConsentPurpose.CASE_TRANSFER, by=by, override_reason=override_reason)
    shield = shield_for(by, case)
    document = case_document(case, shield)
    shield.audit(channel="htcds")
    record_event(actor=by, action="case.htcds_export", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference)
    return document


def document_dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2)


# --- Import -----------------------------------------------------------------------------------

class _Reader:
    """Typed reading of an untrusted document; every problem is collected under its field name."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def section(self, document: dict[str, Any], name: str) -> dict[str, Any]:
        value = document.get(name, {})
        if not isinstance(value, dict):
            self.add(name, _("This section must be an object."))
            return {}
        return value

    def text(self, section: dict[str, Any], name: str, *, limit: int = 20000) -> str:
        value = section.get(name, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.add(name, _("A text is expected."))
            return ""
        if len(value) > limit:
            self.add(name, _("Too long (%(limit)d characters at most).") % {"limit": limit})
            return ""
        return value.strip()

    def texts(self, section: dict[str, Any], name: str) -> list[str]:
        value = section.get(name, [])
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(item, str) and len(item) <= 200 for item in value) \
                or len(value) > 200:
            self.add(name, _("A list of values is expected."))
            return []
        return list(dict.fromkeys(item.strip() for item in value))

    def choice(self, name: str, value: str, allowed: dict[str, str] | frozenset[str] | set[str]) -> str | None:
        if value and value not in allowed:
            self.add(name, _("Unknown value: %(values)s.") % {"values": value})
            return None
        return allowed[value] if isinstance(allowed, dict) and value else value

    def country(self, name: str, value: str) -> str:
        code = value.upper()
        if code and code not in countries:
            self.add(name, _("Unknown country code (ISO 3166, two letters): %(values)s.") % {"values": value})
            return ""
        return code

    def day(self, name: str, value: str) -> date | None:
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.add(name, _("A date is expected as YYYY-MM-DD."))
            return None


# Where each problem of the referral rules shows in a document.
_FIELD_NAMES = {
    "given_name_latin": "prs_FirstName", "family_name_latin": "prs_SecondName",
    "given_name_arabic": "prs_FirstName", "family_name_arabic": "prs_SecondName",
    "sex": "prs_Gender", "birth_precision": "prs_Birthdate", "birth_date": "prs_Birthdate",
    "birth_year": "prs_Birthdate", "birth_month": "prs_Birthdate", "estimated_age": "prs_Birthdate",
    "nationalities": "prs_Citizenship", "phone": "prs_MobilePhone", "consent": "vic_AgreementToManagePersonalData",
    "exploitation_forms": "vic_TypeOfExploitation", "recruitment_countries": "hte_Country",
    "exploitation_countries": "hte_Country", "exploitation_regions": "hte_State",
    "circumstances": "cas_OutgoingReferralDetails", "__all__": "document",
}


def _birth(reader: _Reader, value: str, target: ReferralInput) -> None:
    if not value:
        return  # the referral rules then ask what is known of the age
    parts = value.split("-")
    try:
        if len(parts) == 3:
            target.birth_precision, target.birth_date = BirthDatePrecision.FULL, date.fromisoformat(value)
        elif len(parts) == 2 and len(parts[0]) == 4 and len(parts[1]) == 2:
            target.birth_precision = BirthDatePrecision.YEAR_MONTH
            target.birth_year, target.birth_month = int(parts[0]), int(parts[1])
        elif len(parts) == 1 and len(parts[0]) == 4:
            target.birth_precision, target.birth_year = BirthDatePrecision.YEAR, int(parts[0])
        else:
            reader.add("prs_Birthdate", _("Give the date of birth as YYYY-MM-DD, YYYY-MM or YYYY."))
    except ValueError:
        reader.add("prs_Birthdate", _("Give the date of birth as YYYY-MM-DD, YYYY-MM or YYYY."))


def _is_arabic(value: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in value)


def document_to_input(document: Any, *, by: User) -> tuple[ReferralInput, list[str], list[str]]:
    """Read a document into the referral it describes, the transit countries and what was not kept."""
    reader = _Reader()
    if not isinstance(document, dict):
        raise HtcdsInvalid({"document": [_("An HTCDS document is a JSON object.")]})
    if document.get("format") != m.FORMAT or document.get("version") != m.VERSION:
        raise HtcdsInvalid({"document": [_("Only HTCDS 2.0 documents are read (format “HTCDS”, version “2.0”).")]})
    person, victim, case, extension = (reader.section(document, name)
                                       for name in (m.PERSON, m.VICTIM, m.CASE, m.EXTENSION))
    events = document.get(m.EVENTS, [])
    if not isinstance(events, list) or len(events) > 200 or not all(isinstance(row, dict) for row in events):
        reader.add(m.EVENTS, _("A list of events is expected."))
        events = []

    data = ReferralInput(sex="", birth_precision="", consent="", region="")
    data.sex = reader.choice("prs_Gender", reader.text(person, "prs_Gender") or "Unknown", m.GENDER_IN) or ""
    first, second = reader.text(person, "prs_FirstName", limit=200), reader.text(person, "prs_SecondName", limit=200)
    if _is_arabic(first) or _is_arabic(second):
        data.given_name_arabic, data.family_name_arabic = first, second
    else:
        data.given_name_latin, data.family_name_latin = first, second
        data.given_name_arabic = reader.text(extension, "given_name_arabic", limit=200)
        data.family_name_arabic = reader.text(extension, "family_name_arabic", limit=200)
    _birth(reader, reader.text(person, "prs_Birthdate", limit=20), data)
    nationality = reader.country("prs_Nationality", reader.text(person, "prs_Nationality", limit=10))
    citizenship = [reader.country("prs_Citizenship", code) for code in reader.texts(person, "prs_Citizenship")]
    data.nationalities = [code for code in dict.fromkeys([nationality, *citizenship]) if code]
    data.phone = reader.text(person, "prs_MobilePhone", limit=40)

    data.exploitation_forms = [form for form in reader.texts(victim, "vic_TypeOfExploitation")
                               if reader.choice("vic_TypeOfExploitation", form, m.EXPLOITATION)]
    not_kept: list[str] = []
    indicators = []
    for method in reader.texts(victim, "vic_MethodsOfControl"):
        if method in m.CONTROL_IN:
            indicators.append(m.CONTROL_IN[method])
        elif method in m.CONTROL_NOT_KEPT:
            not_kept.append(f"vic_MethodsOfControl: {method}")
        else:
            reader.add("vic_MethodsOfControl", _("Unknown value: %(values)s.") % {"values": method})
    data.indicators = list(dict.fromkeys([*indicators, *reader.texts(extension, "indicators")]))
    agreement = victim.get("vic_AgreementToManagePersonalData", False)
    if not isinstance(agreement, bool):
        reader.add("vic_AgreementToManagePersonalData", _("true or false is expected."))
    reader.choice("vic_TraffickingStatus", reader.text(victim, "vic_TraffickingStatus", limit=20),
                  m.TRAFFICKING_STATUS_VALUES)
    reader.choice("cas_Status", reader.text(case, "cas_Status", limit=20), m.CASE_STATUS_VALUES)

    transit: list[str] = []
    for row in events:
        kind = reader.choice("hte_Type", reader.text(row, "hte_Type", limit=20), m.EVENT_TYPE_IN)
        country = reader.country("hte_Country", reader.text(row, "hte_Country", limit=10))
        state = reader.text(row, "hte_State", limit=10)
        if not kind or not country:
            if kind is not None and not country:
                reader.add("hte_Country", _("Each event needs a country (ISO 3166, two letters)."))
            continue
        if kind == PlaceRole.EXPLOITATION and country == "MA" and state:
            data.exploitation_regions.append(state)
            continue
        if state:  # Masarat keeps a region only for exploitation in Morocco
            not_kept.append(f"hte_State: {state}")
        if kind == PlaceRole.RECRUITMENT:
            data.recruitment_countries.append(country)
        elif kind == PlaceRole.TRANSIT:
            transit.append(country)
        else:
            data.exploitation_countries.append(country)
    data.circumstances = reader.text(case, "cas_OutgoingReferralDetails") or reader.text(
        case, "cas_IncomingReferralDetails")

    data.region = reader.text(extension, "region", limit=10) or (by.agency.region if by.agency else "")
    data.consent_informed_by = reader.text(extension, "consent_informed_by", limit=150) or reader.text(
        case, "cas_ReferringOrganisation", limit=150)
    data.consent_language = reader.text(extension, "consent_language", limit=10) or Language.OTHER
    data.encountered_on = reader.day("encountered_on", reader.text(extension, "encountered_on", limit=20))
    data.languages = reader.texts(extension, "languages")
    data.urgent_needs = reader.texts(extension, "urgent_needs")
    data.documents = _documents(reader, extension)
    data.consent = reader.text(extension, "consent", limit=30) or _consent(agreement is True, data)
    if reader.errors:
        raise HtcdsInvalid(reader.errors)
    return data, list(dict.fromkeys(transit)), not_kept


def _consent(agreed: bool, data: ReferralInput) -> str:
    """Without Masarat's own record of consent: a child needs none; an adult's agreement is the flag."""
    birth = data.birth(timezone.localdate())
    age = birth.youngest_age_on(timezone.localdate()) if data.birth_precision else None
    if age is not None and age < 18:
        return Consent.NOT_REQUIRED_CHILD
    return Consent.GIVEN if agreed else Consent.REFUSED


def _documents(reader: _Reader, extension: dict[str, Any]) -> list[DocumentInput]:
    rows = extension.get("documents", [])
    if not isinstance(rows, list) or len(rows) > 20:
        reader.add("documents", _("A list of documents is expected."))
        return []
    documents = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("is_held_by_person", True), bool):
            reader.add("documents", _("Each identity document needs a type and a number."))
            continue
        documents.append(DocumentInput(
            kind=reader.text(row, "kind", limit=30), number=reader.text(row, "number", limit=60),
            issuing_country=reader.country("documents", reader.text(row, "issuing_country", limit=10)),
            is_held_by_person=row.get("is_held_by_person", True),
        ))
    return documents


def document_loads(raw: bytes | str) -> Any:
    """Parse the bytes of a document; anything that is not a small UTF-8 JSON text is refused."""
    if len(raw) > m.LIMIT_BYTES:
        raise HtcdsInvalid({"document": [_("The document is too large (1 MB at most).")]})
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        return json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise HtcdsInvalid({"document": [_("The file is not a JSON document in UTF-8.")]}) from error


@transaction.atomic
def case_import(*, document: Any, by: User) -> tuple[Case, list[str]]:
    """Record the referral a document describes, all or nothing; returns the case and what was not kept.

    Importing the same document twice records one referral (the document's digest is its key).
    """
    policy.require(policy.can_refer(by))
    data, transit, not_kept = document_to_input(document, by=by)
    try:
        digest = hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
    except (RecursionError, ValueError) as error:  # nested beyond reason in fields Masarat does not read
        raise HtcdsInvalid({"document": [_("An HTCDS document is a JSON object.")]}) from error
    try:
        case = referral_submit(data=data, by=by, submission_key=f"htcds:{digest[:58]}")
    except ReferralErrors as error:
        errors: dict[str, list[str]] = {}
        for name, messages in error.errors.items():
            errors.setdefault(_FIELD_NAMES.get(name, name), []).extend(messages)
        raise HtcdsInvalid(errors) from error
    if transit and not case.places.filter(role=PlaceRole.TRANSIT).exists():
        CasePlace.objects.bulk_create(CasePlace(case=case, role=PlaceRole.TRANSIT, country=code) for code in transit)
    record_event(actor=by, action="case.htcds_import", target_type="case", target_id=str(case.pk),
                 case_reference=case.reference, details={"not_kept": not_kept} if not_kept else None)
    return case, not_kept


def data_of(document: dict[str, Any]) -> dict[str, Any]:
    """A document without the fields of the sender's process: what an import carries over."""
    kept: dict[str, Any] = {}
    for section, value in document.items():
        drop = m.PROCESS_FIELDS.get(section, frozenset())
        kept[section] = {key: item for key, item in value.items() if key not in drop} \
            if isinstance(value, dict) else value
    return kept
