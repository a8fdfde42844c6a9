"""Search without plaintext: normalised words of names, the phone, documents and the year of birth
are found through their blind indexes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masarat.cases.selectors import CaseFilters, case_queue
from masarat.people import search
from masarat.people.models import Person, PersonSearchToken
from masarat.people.search import (
    NAME,
    name_tokens,
    normalise_document,
    normalise_name,
    person_index_refresh,
    register_index,
    search_rule,
)
from masarat.referrals.validation import DocumentInput
from masarat.vault.blind import blind_index
from tests.factories import make_case


@pytest.mark.parametrize(("typed", "normalised"), [
    ("Kouyaté", "kouyate"),
    ("  EL-Amrani  ", "el amrani"),
    ("Ñúñez Gonçalves", "nunez goncalves"),
    ("فَاطِمَة", "فاطمه"),  # diacritics and ta marbuta
    ("أمينة", "امينه"),  # hamza on alif
    ("عبد  الله", "عبد الله"),
    ("مـحـمـد", "محمد"),  # tatweel
    ("Mohamed O'Brien", "mohamed o brien"),
])
def test_names_are_normalised_in_both_scripts(typed, normalised):
    assert normalise_name(typed) == normalised


@given(st.text())
def test_normalising_is_stable(text):
    assert normalise_name(normalise_name(text)) == normalise_name(text)
    assert all(token == token.casefold() and " " not in token for token in name_tokens(text))


@pytest.mark.parametrize("typed", ["\ufe71", "\ufcf2", "\ufeef", "\ufef7", "ℌassan", "İbrahim"])
def test_compatibility_forms_are_folded_in_one_pass(typed):
    # Arabic presentation forms decompose into a tatweel, a mark or an alif maqsura: folded at once.
    once = normalise_name(typed)
    assert normalise_name(once) == once


def test_document_numbers_ignore_spaces_hyphens_and_case():
    assert normalise_document("ab 123-456") == normalise_document("AB123456") == "AB123456"


@pytest.fixture
def cases(alice):
    aminata = make_case(by=alice, given_name_latin="Aminata", family_name_latin="Kouyaté",
                        given_name_arabic="أمينة", family_name_arabic="كوياتي", phone="0612345678",
                        birth_year=1995,
                        documents=[DocumentInput(kind="passport", number="ML 123-456", issuing_country="ML")])
    fatima = make_case(by=alice, given_name_latin="Fatima", family_name_latin="Diallo",
                       given_name_arabic="فاطمة", family_name_arabic="ديالو", birth_year=1990)
    other = make_case(by=alice, given_name_latin="Aminata", family_name_latin="Diallo", birth_year=2001)
    return {"aminata": aminata, "fatima": fatima, "other": other}


def found(viewer, text):
    return {case.reference for case in case_queue(viewer=viewer, filters=CaseFilters(search=text))}


def test_the_queue_finds_a_person_by_words_of_the_name_in_either_script(bob, cases):
    aminata, fatima, other = cases["aminata"].reference, cases["fatima"].reference, cases["other"].reference
    assert found(bob, "kouyate") == {aminata}  # without the accent, in lower case
    assert found(bob, "KOUYATÉ") == {aminata}
    assert found(bob, "aminata") == {aminata, other}
    assert found(bob, "Aminata Diallo") == {other}  # several words: all must match
    assert found(bob, "Diallo") == {fatima, other}
    assert found(bob, "امينه") == {aminata}  # typed without the hamza, found with it
    assert found(bob, "فَاطِمَة ديالو") == {fatima}
    assert found(bob, "Fatima Kouyaté") == set()
    assert found(bob, "amin") == set()  # whole words only: the names are encrypted, not scanned


def test_the_queue_finds_the_phone_document_and_year_of_birth(bob, cases):
    aminata, other = cases["aminata"].reference, cases["other"].reference
    assert found(bob, "+212 6 12 34 56 78") == {aminata}
    assert found(bob, "0612345678") == {aminata}
    assert found(bob, "ml123456") == {aminata}
    assert found(bob, "Aminata 2001") == {other}
    assert found(bob, cases["fatima"].reference) == {cases["fatima"].reference}


def test_every_word_is_needed_however_many_and_in_any_order(alice, bob, cases):
    other = cases["other"].reference
    assert found(bob, "Diallo Aminata") == {other}
    assert found(bob, "Aminata Diallo 2001") == {other}  # two words of the name and the year of birth
    assert found(bob, "Aminata Diallo 1995") == set()
    assert found(bob, "aminata AMINATA diallo") == {other}  # a word typed twice counts once
    namesake = make_case(by=alice, given_name_latin="Aminata", family_name_latin="Diallo Sow", birth_year=2001)
    assert found(bob, "Aminata Diallo 2001") == {other, namesake.reference}
    assert found(bob, "Sow Diallo Aminata 2001") == {namesake.reference}


def test_the_search_is_scoped_like_the_queue(dana, cases):
    assert found(dana, "Aminata") == set()


def test_the_api_searches_through_the_blind_index(bob, cases):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(bob)
    body = client.get("/api/v1/cases/", {"q": "KOUYATE"}).json()
    assert [item["reference"] for item in body["results"]] == [cases["aminata"].reference]


def test_tokens_are_keyed_hashes_never_the_values(cases):
    person = Person.objects.get(pk=cases["aminata"].person_id)
    digests = set(person.search_tokens.values_list("purpose", "digest"))
    assert (NAME, blind_index(NAME, "kouyate")) in digests
    assert (NAME, blind_index(NAME, "كوياتي")) in digests
    # Plus the duplicate detection's own keys (masarat.duplicates), also keyed hashes.
    assert {purpose for purpose, _ in digests if not purpose.startswith("match:")} == {
        "name", "phone", "document", "birth_year"}
    assert not any("kouyate" in digest or digest == "1995" for _, digest in digests)


def test_refreshing_follows_a_change_of_the_person(bob, cases):
    person = Person.objects.get(pk=cases["fatima"].person_id)
    person.family_name_latin = "Sow"
    person.save()
    person_index_refresh(person)
    assert found(bob, "Fatima Sow") == {cases["fatima"].reference}
    assert found(bob, "Fatima Diallo") == set()


def test_another_module_can_add_its_own_purpose(cases, monkeypatch):
    monkeypatch.setattr(search, "_INDEXERS", dict(search._INDEXERS))
    register_index("name_initials", lambda person: ["".join(word[0] for word in name_tokens(person.latin_name))])
    person = Person.objects.get(pk=cases["aminata"].person_id)
    person_index_refresh(person)
    assert Person.objects.filter(search.has_token("name_initials", "ak")).get() == person
    with pytest.raises(ValueError):
        register_index("x" * 41, lambda person: [])


def test_nothing_to_look_for_gives_no_rule():
    assert search_rule("  -- ") is None


def test_an_anonymous_notification_has_no_tokens(alice):
    make_case(by=alice, consent="refused")
    assert not PersonSearchToken.objects.exists()


@given(st.text(max_size=60))
def test_any_typed_text_gives_a_rule_or_none(text):
    rule = search_rule(text)
    assert rule is None or str(rule)


def test_an_erased_person_is_no_longer_found(bob, nadia, cases):
    from masarat.rights.models import Erasure
    from masarat.rights.services import person_erase

    person = Person.objects.get(pk=cases["aminata"].person_id)
    person_erase(person=person, ground=Erasure.Ground.REQUEST, by=nadia, reason="Written request.")
    assert not PersonSearchToken.objects.filter(person=person).exists()
    assert found(bob, "Kouyaté") == found(bob, "0612345678") == set()


def test_the_queue_reads_many_persons_as_one_list_with_the_same_cases(bob, cases):
    """The persons found by a name are given to the database as one array (PostgreSQL) or an IN list."""
    from django.db.models import F, Q

    from masarat.cases.models import Case
    from masarat.cases.selectors import InArray

    persons = list(Case.objects.exclude(person=None).values_list("person_id", flat=True))
    assert len(persons) >= 2
    chosen = persons[::2]
    expected = set(Case.objects.filter(person_id__in=chosen).values_list("pk", flat=True))
    assert set(Case.objects.filter(InArray(F("person_id"), chosen)).values_list("pk", flat=True)) == expected
    assert not Case.objects.filter(InArray(F("person_id"), [])).exists()
    either = Case.objects.filter(Q(reference="none") | InArray(F("person_id"), chosen[:1]))
    assert set(either.values_list("person_id", flat=True)) == {chosen[0]}
