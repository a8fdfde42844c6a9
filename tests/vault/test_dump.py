"""The proof the issue asks for: a full dump of the demo database holds none of the demo's names
(in either script), phone numbers or dates of birth in plaintext."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from masarat.accounts.models import User
from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.deadlines.models import PublicHoliday
from masarat.demo.seeding import DRAFT, seed_demo
from masarat.organisations.models import Agency
from masarat.people.models import Person
from masarat.screening.models import IndicatorSet
from masarat.vault.columns import NOT_ENCRYPTED, column_status
from masarat.vault.fields import encrypted_fields

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees only committed data

# Shorter Latin words could occur by chance inside base64 ciphertext; Arabic letters never can.
MIN_LATIN_LENGTH = 5


def _dump(tmp_path: Path) -> bytes:
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            pytest.skip("pg_dump is not installed")
        command = [pg_dump, "--no-owner", "--dbname", settings["NAME"]]
        for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if settings.get(key):
                command += [option, str(settings[key])]
        environment = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
        return subprocess.run(command, check=True, capture_output=True, env=environment).stdout  # noqa: S603
    assert connection.vendor == "sqlite"
    connection.ensure_connection()
    copy = tmp_path / "dump.sqlite3"
    target = sqlite3.connect(copy)
    connection.connection.backup(target)  # the test database lives in memory: its pages, as a file
    target.close()
    with sqlite3.connect(copy) as reader:
        statements = "\n".join(reader.iterdump())
    return copy.read_bytes() + statements.encode("utf-8")


def _legitimate_plaintext() -> str:
    """Text that is rightly stored in clear (staff, agencies, indicator sets, holidays): a name of the
    demo that also appears there cannot prove anything either way."""
    parts = [f"{user.first_name} {user.last_name} {user.username}" for user in User.objects.all()]
    parts += list(Agency.objects.values_list("name", flat=True))
    parts += list(PublicHoliday.objects.values_list("name", flat=True))
    parts += [json.dumps(item.definition, ensure_ascii=False) for item in IndicatorSet.objects.all()]
    parts += [json.dumps(details, ensure_ascii=False) for details in
              AuditEvent.objects.values_list("details", flat=True) if "username" in details]
    return "\n".join(parts).casefold()


def _identities() -> tuple[set[str], set[str], set[str]]:
    names, phones, births = set(), set(), set()
    first_referral = min(Case.objects.values_list("referred_at", flat=True)).date()
    for person in Person.objects.all():
        for part in (person.given_name_latin, person.family_name_latin, person.given_name_arabic,
                     person.family_name_arabic):
            names.update(word for word in part.split() if word)
        if person.phone:
            national = "0" + person.phone.removeprefix("+212")
            phones.update({person.phone, national, person.phone.removeprefix("+")})
        if person.birth_day:
            born = f"{person.birth_year:04d}-{person.birth_month:02d}-{person.birth_day:02d}"
            # A date inside the demo's own span could be another date of the demo (a deadline...).
            if born < first_referral.isoformat():
                births.update({born, f"{person.birth_day:02d}/{person.birth_month:02d}/{person.birth_year:04d}"})
    names.update(word for key in ("given_name_latin", "family_name_latin") for word in DRAFT[key][0].split())
    clear = _legitimate_plaintext()
    names = {name for name in names if name.casefold() not in clear
             and (len(name) >= MIN_LATIN_LENGTH or not name.isascii())}
    return names, phones, births


def test_a_full_dump_of_the_demo_holds_no_identity_in_plaintext(tmp_path):
    seed_demo(cases=40)
    names, phones, births = _identities()
    arabic = {name for name in names if not name.isascii()}
    # Enough of each kind for the test to mean something.
    assert len(names) >= 20 and len(arabic) >= 5 and len(phones) >= 6 and len(births) >= 3
    for model, field in encrypted_fields():
        assert NOT_ENCRYPTED not in column_status(model, field.name), f"{model._meta.label}.{field.name}"

    dump = _dump(tmp_path)
    # The dump is complete and searchable: what is rightly in clear is found in it.
    agency = Agency.objects.order_by("pk").first()
    assert agency is not None and agency.name.encode() in dump
    assert Case.objects.order_by("pk").first().reference.encode() in dump

    leaked = sorted(value for value in names | phones | births if value.encode("utf-8") in dump)
    assert leaked == []


def test_the_audit_trail_of_the_demo_names_no_one():
    seed_demo(cases=40)
    names, phones, births = _identities()
    trail = "\n".join(json.dumps(details, ensure_ascii=False)
                      for details in AuditEvent.objects.values_list("details", flat=True))
    assert [value for value in names | phones | births if value in trail] == []
