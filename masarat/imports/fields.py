"""The Masarat fields a column of an imported file can be mapped to, and the suggested mapping.

A column is suggested for a field when its name, brought to normal text (accents, case, Arabic
letter variants and punctuation removed: :func:`masarat.matching.normalise.normalise_text`), is one
of the usual names of that field in French, English or Arabic.
"""

from __future__ import annotations

from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from masarat.matching.normalise import normalise_text

IGNORE = ""

FIELDS: dict[str, Promise] = {
    "given_name": _("Given name (either script)"),
    "family_name": _("Family name (either script)"),
    "full_name": _("Full name: given name then family name (either script)"),
    "given_name_latin": _("Given name in Latin script"),
    "family_name_latin": _("Family name in Latin script"),
    "given_name_arabic": _("Given name in Arabic script"),
    "family_name_arabic": _("Family name in Arabic script"),
    "sex": _("Sex"),
    "birth_date": _("Date of birth (full or partial)"),
    "estimated_age": _("Estimated age"),
    "nationality": _("Nationality"),
    "phone": _("Phone number"),
    "document_kind": _("Kind of identity document"),
    "document_number": _("Identity document number"),
    "region": _("Region where the person was met"),
    "exploitation_forms": _("Forms of exploitation"),
    "referring_agency": _("Referring agency"),
    "referral_date": _("Date of referral"),
    "encountered_on": _("Date of first contact"),
    "consent": _("Consent to the referral"),
    "consent_informed_by": _("Who informed the person"),
    "consent_language": _("Language in which the person was informed"),
    "languages": _("Languages spoken"),
    "circumstances": _("Circumstances"),
}

# Usual column names (any case and accents); Arabic and French first, as agencies write them.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "given_name": ("prenom", "prénom", "first name", "firstname", "given name", "الاسم الشخصي", "الاسم"),
    "family_name": ("nom", "nom de famille", "last name", "lastname", "surname", "family name", "النسب",
                    "اسم العائلة"),
    "full_name": ("nom complet", "nom et prenom", "full name", "name", "الاسم الكامل"),
    "given_name_latin": ("prenom latin", "given name latin", "prenom en latin"),
    "family_name_latin": ("nom latin", "family name latin", "nom en latin"),
    "given_name_arabic": ("prenom arabe", "prenom en arabe", "given name arabic", "الاسم بالعربية"),
    "family_name_arabic": ("nom arabe", "nom en arabe", "family name arabic", "النسب بالعربية"),
    "sex": ("sexe", "sex", "gender", "genre", "الجنس"),
    "birth_date": ("date de naissance", "date naissance", "ne le", "née le", "birth date", "date of birth", "dob",
                   "birthdate", "تاريخ الازدياد", "تاريخ الميلاد"),
    "estimated_age": ("age", "âge", "age estime", "estimated age", "السن", "العمر"),
    "nationality": ("nationalite", "nationalité", "nationality", "citizenship", "pays d origine", "الجنسية"),
    "phone": ("telephone", "téléphone", "tel", "phone", "mobile", "gsm", "الهاتف", "رقم الهاتف"),
    "document_kind": ("type de document", "type piece", "document type", "نوع الوثيقة"),
    "document_number": ("numero de document", "n° document", "cin", "passeport", "passport", "document number",
                        "numero piece", "رقم الوثيقة", "رقم جواز السفر"),
    "region": ("region", "région", "الجهة"),
    "exploitation_forms": ("forme d exploitation", "formes d exploitation", "type d exploitation", "exploitation",
                           "form of exploitation", "forms of exploitation", "type of exploitation",
                           "شكل الاستغلال", "نوع الاستغلال"),
    "referring_agency": ("organisme", "organisme referent", "structure", "agence", "referring agency", "agency",
                         "الجهة المحيلة", "المؤسسة"),
    "referral_date": ("date de referencement", "date de signalement", "date", "referral date", "date of referral",
                      "تاريخ الإحالة"),
    "encountered_on": ("date de premier contact", "date du contact", "first contact", "date of first contact",
                       "تاريخ أول اتصال"),
    "consent": ("consentement", "consent", "الموافقة"),
    "consent_informed_by": ("informe par", "informé par", "informed by"),
    "consent_language": ("langue d information", "langue du consentement", "consent language"),
    "languages": ("langue", "langues", "language", "languages", "اللغة", "اللغات"),
    "circumstances": ("circonstances", "observations", "remarques", "notes", "circumstances", "description",
                      "الظروف", "ملاحظات"),
}


@cache
def _names() -> dict[str, str]:
    return {normalise_text(name): field for field, names in _SYNONYMS.items() for name in names}


def suggest_mapping(header: list[str]) -> dict[str, str]:
    """``{column: field}`` for each column whose name is a usual name of a field (each field once)."""
    names = _names()
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for column in header:
        field = names.get(normalise_text(column)) or names.get(normalise_text(column.replace("_", " ")), "")
        if field and field not in taken:
            mapping[column] = field
            taken.add(field)
    return mapping


def field_choices() -> list[tuple[str, Promise | str]]:
    return [(IGNORE, _("Not imported")), *FIELDS.items()]
