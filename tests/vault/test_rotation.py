"""Key rotation without downtime: batches, interruption and resumption, status, and the blind-index reindex."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Value

from masarat.cases.selectors import CaseFilters, case_queue
from masarat.people.models import Person
from masarat.vault import columns
from masarat.vault.columns import column_status, rotate_column
from masarat.vault.fields import encrypted_fields
from tests.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)  # each batch commits on its own, as in production
NAMES = ["Amina", "Binta", "Coumba", "Djeneba", "Esther", "Fanta"]


def key_counts() -> dict[str, int]:
    total: dict[str, int] = {}
    for model, field in encrypted_fields():
        for key_id, count in column_status(model, field.name).items():
            total[key_id] = total.get(key_id, 0) + count
    return total


@pytest.fixture
def old_data(use_keys, alice, bob):
    use_keys("k1")
    cases = [make_case(by=alice, given_name_latin=NAMES[index], family_name_latin="Diallo",
                       phone=f"06123456{index:02d}") for index in range(6)]
    return cases


def test_rotation_re_encrypts_everything_and_the_old_key_can_then_go(use_keys, old_data, bob):
    before = key_counts()
    assert set(before) == {"k1"}
    use_keys("k2", "k1")
    # While nothing is rotated yet, the application reads the old tokens and writes new ones.
    assert Person.objects.get(pk=old_data[0].person_id).given_name_latin == "Amina"
    make_case(by=old_data[0].referred_by, given_name_latin="Newcomer")
    out = StringIO()
    call_command("keys", "rotate", "--batch-size", "4", stdout=out)
    assert "re-encrypted" in out.getvalue() and "Nothing is encrypted under k1 any more" in out.getvalue()
    after = key_counts()
    assert set(after) == {"k2"} and after["k2"] > before["k1"]
    use_keys("k2")  # k1 removed: everything still reads
    names = sorted(person.given_name_latin for person in Person.objects.all())
    assert names == sorted(["Newcomer", *NAMES])


def test_an_interrupted_rotation_resumes_where_it_stopped(use_keys, old_data, monkeypatch):
    use_keys("k2", "k1")
    given_name = Person._meta.get_field("given_name_latin")

    class Interrupted(Exception):
        pass

    def stop_after_first_batch(batch):
        raise Interrupted

    with pytest.raises(Interrupted):
        rotate_column(Person, given_name.name, batch_size=4, progress=stop_after_first_batch)
    # The first batch was committed before the interruption; the rest is still under k1.
    assert column_status(Person, "given_name_latin") == {"k2": 4, "k1": 2}
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "people.Person.given_name_latin  k1: 2, k2: 4" in out.getvalue()
    assert "under an older key" in out.getvalue()
    # Running again finds only what is left.
    batches = []
    assert rotate_column(Person, given_name.name, batch_size=4, progress=batches.append) == 2
    assert [(batch.rotated, batch.left) for batch in batches] == [(2, 0)]
    assert column_status(Person, "given_name_latin") == {"k2": 6}


def test_a_row_saved_during_a_batch_keeps_what_was_saved(use_keys, old_data, monkeypatch):
    use_keys("k2", "k1")
    person = Person.objects.get(pk=old_data[0].person_id)
    real_write = columns._write_stored

    def save_first(model, field_name, pk, old, new):
        if pk == person.pk:  # the application saves the person between the read and the write of the batch
            Person.objects.filter(pk=pk).update(given_name_latin="Renamed")
        return real_write(model, field_name, pk, old, new)

    monkeypatch.setattr(columns, "_write_stored", save_first)
    assert rotate_column(Person, "given_name_latin", batch_size=10) == 5
    assert Person.objects.get(pk=person.pk).given_name_latin == "Renamed"
    assert column_status(Person, "given_name_latin") == {"k2": 6}


def test_status_reports_every_column_and_the_current_key(use_keys, old_data):
    use_keys("k1")
    out = StringIO()
    call_command("keys", "status", stdout=out)
    text = out.getvalue()
    assert "Current key: k1" in text and "Every value is encrypted under the current key (k1)" in text
    assert "people.Person.phone  k1: 6" in text and "cases.EmergencyAccess.reason  empty" in text


def test_rotation_without_the_old_key_stops_and_says_why(use_keys, old_data):
    use_keys("k2")
    with pytest.raises(CommandError, match="k1"):
        call_command("keys", "rotate", stdout=StringIO())


def test_reindex_after_the_blind_index_key_changed(use_keys, old_data, bob):
    def found(text):
        return [case.reference for case in case_queue(viewer=bob, filters=CaseFilters(search=text))]

    assert found("Djeneba") == [old_data[3].reference]
    use_keys("k1", blind="b2")
    assert found("Djeneba") == []  # the stored hashes were made with the old key
    out = StringIO()
    call_command("keys", "reindex", "--batch-size", "4", stdout=out)
    assert "4/6 persons indexed" in out.getvalue() and "recomputed for 6 persons" in out.getvalue()
    assert found("Djeneba") == [old_data[3].reference]
    assert found("0612345603") == [old_data[3].reference]


@pytest.mark.parametrize("action", ["rotate", "reindex"])
def test_a_batch_size_below_one_is_refused(action):
    with pytest.raises(CommandError):
        call_command("keys", action, "--batch-size", "0", stdout=StringIO())


def test_status_reports_values_left_in_clear(use_keys, old_data):
    use_keys("k1")
    Person.objects.filter(pk=old_data[0].person_id).update(phone=Value("+212612345600"))  # as before encryption
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "people.Person.phone  (not encrypted): 1, k1: 5" in out.getvalue()
    assert "1 values are not encrypted" in out.getvalue()


@pytest.mark.django_db(transaction=False)
def test_generate_prints_a_usable_key():
    from masarat.vault.keys import decode_key

    out = StringIO()
    call_command("keys", "generate", stdout=out)
    assert len(decode_key("test", out.getvalue().strip())) == 32
