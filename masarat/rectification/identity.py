"""A person's identity as one plain document: what a rectification reads, compares, keeps and writes."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from masarat.people.models import IdentityDocument, Person, PersonLanguage, PersonNationality

Identity = dict[str, Any]

NAME_FIELDS = ("given_name_latin", "family_name_latin", "given_name_arabic", "family_name_arabic")
BIRTH_FIELDS = ("birth_precision", "birth_year", "birth_month", "birth_day", "estimated_age", "estimated_on")
FIELDS = (*NAME_FIELDS, "sex", *BIRTH_FIELDS, "phone", "nationalities", "languages", "documents")

LABELS = {
    "given_name_latin": _("Given name (Latin script)"),
    "family_name_latin": _("Family name (Latin script)"),
    "given_name_arabic": _("Given name (Arabic script)"),
    "family_name_arabic": _("Family name (Arabic script)"),
    "sex": _("Sex"),
    "birth_precision": _("What is known of the age"),
    "birth_year": _("Year of birth"),
    "birth_month": _("Month of birth"),
    "birth_day": _("Day of birth"),
    "estimated_age": _("Estimated age"),
    "estimated_on": _("Age estimated on"),
    "phone": _("Phone"),
    "nationalities": _("Nationalities"),
    "languages": _("Languages"),
    "documents": _("Identity documents"),
}


def identity_of(person: Person) -> Identity:
    """The identity of ``person`` as stored now (first nationality first, as statistics count it)."""
    return {
        **{name: getattr(person, name) or "" for name in NAME_FIELDS},
        "sex": person.sex,
        "birth_precision": person.birth_precision,
        "birth_year": person.birth_year,
        "birth_month": person.birth_month,
        "birth_day": person.birth_day,
        "estimated_age": person.estimated_age,
        "estimated_on": person.estimated_on.isoformat() if person.estimated_on else None,
        "phone": person.phone or "",
        "nationalities": [str(row.country.code) for row in person.nationalities.order_by("pk")],
        "languages": sorted(row.language for row in person.languages.all()),
        "documents": [
            {"kind": row.kind, "number": row.number, "issuing_country": str(row.issuing_country.code or ""),
             "is_held_by_person": row.is_held_by_person}
            for row in person.documents.order_by("pk")
        ],
    }


def changed_fields(before: Identity, after: Identity) -> list[str]:
    return [name for name in FIELDS if before.get(name) != after.get(name)]


def identity_apply(person: Person, identity: Identity) -> None:
    """Write ``identity`` on ``person`` and its nationalities, languages and documents."""
    for name in NAME_FIELDS:
        setattr(person, name, identity[name])
    person.sex = identity["sex"]
    person.birth_precision = identity["birth_precision"]
    for name in ("birth_year", "birth_month", "birth_day", "estimated_age"):
        setattr(person, name, identity[name])
    person.estimated_on = date.fromisoformat(identity["estimated_on"]) if identity["estimated_on"] else None
    person.phone = identity["phone"]
    person.save()
    person.nationalities.all().delete()
    PersonNationality.objects.bulk_create(
        PersonNationality(person=person, country=code) for code in dict.fromkeys(identity["nationalities"]))
    person.languages.all().delete()
    PersonLanguage.objects.bulk_create(
        PersonLanguage(person=person, language=code) for code in dict.fromkeys(identity["languages"]))
    person.documents.all().delete()
    IdentityDocument.objects.bulk_create(
        IdentityDocument(person=person, kind=row["kind"], number=row["number"],
                         issuing_country=row["issuing_country"], is_held_by_person=row["is_held_by_person"])
        for row in identity["documents"])
