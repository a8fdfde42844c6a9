"""Upgrading a database written before encryption: the migrations encrypt the plaintext already
stored, build the blind indexes, and undo both when reversed."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from masarat.accounts.models import Role
from tests.factories import make_user

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("people", "0001_initial"), ("referrals", "0002_referral_submission_key")]
AFTER = [("people", "0003_encrypt_existing_rows"), ("referrals", "0004_encrypt_existing_rows")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def stored(table, column, pk):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])  # noqa: S608
        return str(cursor.fetchone()[0])


def test_existing_plaintext_is_encrypted_indexed_and_decrypted_back(rabat_police):
    author = make_user(role=Role.FRONTLINE_RESPONDER, agency=rabat_police)
    try:
        old = migrate(BEFORE)
        person = old.get_model("people", "Person").objects.create(
            given_name_latin="Aminata", family_name_latin="Kouyaté", given_name_arabic="أمينة", sex="female",
            birth_precision="full", birth_year=1995, birth_month=4, birth_day=21, phone="+212612345678")
        document = old.get_model("people", "IdentityDocument").objects.create(person=person, kind="passport",
                                                                             number="P998877")
        draft = old.get_model("referrals", "ReferralDraft").objects.create(
            author_id=author.pk, data={"given_name_latin": ["Mariam"]})
        assert stored("people_person", "given_name_latin", person.pk) == "Aminata"

        new = migrate(AFTER)
        for column in ("given_name_latin", "family_name_latin", "given_name_arabic", "birth_year", "birth_day",
                       "phone"):
            assert stored("people_person", column, person.pk).startswith("ev1:"), column
        assert stored("people_identitydocument", "number", document.pk).startswith("ev1:")
        assert stored("referrals_referraldraft", "data", draft.pk).startswith("ev1:")
        upgraded = new.get_model("people", "Person").objects.get(pk=person.pk)
        assert (upgraded.family_name_latin, upgraded.birth_year, upgraded.phone) == ("Kouyaté", 1995, "+212612345678")
        assert new.get_model("referrals", "ReferralDraft").objects.get(pk=draft.pk).data == {
            "given_name_latin": ["Mariam"]}
        purposes = set(new.get_model("people", "PersonSearchToken").objects.filter(person_id=person.pk)
                       .values_list("purpose", flat=True))
        assert purposes == {"name", "phone", "document", "birth_year"}

        migrate(BEFORE)
        assert stored("people_person", "given_name_latin", person.pk) == "Aminata"
        assert stored("people_person", "birth_year", person.pk) == "1995"
        assert stored("people_identitydocument", "number", document.pk) == "P998877"
        assert "Mariam" in stored("referrals_referraldraft", "data", draft.pk)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
