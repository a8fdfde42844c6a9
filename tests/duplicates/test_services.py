"""Possible duplicates: found across scripts, linked and unlinked exactly, "not the same" remembered, scoped."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import translation

from masarat.audit.models import AuditEvent
from masarat.cases.models import Case
from masarat.duplicates import services
from masarat.duplicates.models import PersonLink
from masarat.organisations.regions import Region
from masarat.people.models import Person, PersonSearchToken
from tests.factories import make_case

MOHAMED = {"given_name_latin": "Mohamed", "family_name_latin": "Benali", "sex": "male", "birth_year": 1990,
           "nationalities": ["MA"]}
MOHAMED_ARABIC = {"given_name_latin": "", "family_name_latin": "", "given_name_arabic": "محمد",
                  "family_name_arabic": "بن علي", "sex": "male", "birth_year": 1990, "nationalities": ["MA"]}


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def first_case(alice) -> Case:
    return make_case(by=alice, **MOHAMED)


@pytest.fixture
def second_case(alice, first_case) -> Case:
    return make_case(by=alice, **MOHAMED_ARABIC)


def snapshot() -> tuple[list, list]:
    persons = sorted((p.pk, p.latin_name, p.arabic_name, p.birth_year, p.sex) for p in Person.objects.all())
    cases = sorted(Case.objects.values_list("pk", "reference", "person_id", "version", "updated_at"))
    return persons, cases


def test_the_blocking_keys_are_stored_as_keyed_hashes(first_case):
    tokens = PersonSearchToken.objects.filter(person=first_case.person, purpose__startswith="match:")
    purposes = set(tokens.values_list("purpose", flat=True))
    assert {"match:n", "match:t", "match:y", "match:given", "match:family", "match:full"} <= purposes
    digests = " ".join(tokens.values_list("digest", flat=True)).lower()
    assert "benali" not in digests and "mohamed" not in digests and "1990" not in digests


def test_a_second_referral_in_arabic_script_finds_the_first(bob, first_case, second_case):
    proposals = services.proposals_for_case(case=second_case, viewer=bob)
    assert [p.person.pk for p in proposals] == [first_case.person_id]
    proposal = proposals[0]
    assert proposal.score > 0.9
    assert {r.field for r in proposal.agreeing} >= {"given_name", "family_name", "birth_date"}
    assert proposal.cases == [first_case]
    assert AuditEvent.objects.filter(actor=bob, action="duplicates.read", case_reference=second_case.reference,
                                     details__candidates=[first_case.person_id]).exists()


def test_different_people_are_not_proposed(bob, alice, first_case):
    other = make_case(by=alice, given_name_latin="Mahmoud", family_name_latin="Tazi", sex="male", birth_year=1971,
                      nationalities=["MA"])
    assert services.proposals_for_case(case=other, viewer=bob) == []


def test_link_then_unlink_restores_both_persons_and_their_cases_exactly(bob, alice, first_case, second_case):
    third = make_case(by=alice, **MOHAMED_ARABIC, phone="+212612345678")
    before = snapshot()
    first, second = first_case.person, second_case.person
    link = services.persons_link(first=second, second=first, by=bob)
    assert (link.kept, link.merged) == (first, second)  # the older record is kept
    assert set(Case.objects.filter(person=first).values_list("pk", flat=True)) == {first_case.pk, second_case.pk}
    assert Person.objects.filter(pk=second.pk).exists()  # nothing deleted
    second_case.refresh_from_db()
    assert services.proposals_for_case(case=second_case, viewer=bob)[0].person == third.person
    assert services.proposals_for_case(case=third, viewer=bob)[0].person == first  # the merged one is gone
    services.link_undo(link=link, by=bob)
    assert snapshot() == before
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="person.").order_by("pk")] == ["person.link",
                                                                                        "person.unlink"]
    with pytest.raises(services.DuplicateRefused):
        services.link_undo(link=link, by=bob)


def test_a_later_link_must_be_undone_first(bob, alice, first_case, second_case):
    third = make_case(by=alice, **MOHAMED_ARABIC)
    first_link = services.persons_link(first=second_case.person, second=third.person, by=bob)
    second_link = services.persons_link(first=first_case.person, second=second_case.person, by=bob)
    with pytest.raises(services.DuplicateRefused):
        services.link_undo(link=first_link, by=bob)
    before_both = {third.pk: third.person_id, second_case.pk: second_case.person_id}
    services.link_undo(link=second_link, by=bob)
    services.link_undo(link=first_link, by=bob)
    assert dict(Case.objects.filter(pk__in=before_both).values_list("pk", "person_id")) == before_both


def test_not_the_same_is_never_proposed_again(bob, first_case, second_case):
    services.pair_mark_not_same(first=second_case.person, second=first_case.person, by=bob)
    assert services.proposals_for_case(case=second_case, viewer=bob) == []
    assert services.proposals_for_case(case=first_case, viewer=bob) == []
    with pytest.raises(services.DuplicateRefused):
        services.persons_link(first=first_case.person, second=second_case.person, by=bob)
    assert AuditEvent.objects.filter(action="person.not_same", actor=bob).count() == 1


def test_a_candidate_outside_the_viewers_scope_is_not_shown_at_all(bob, dana, nadia, alice, first_case):
    tanger = make_case(by=alice, **MOHAMED_ARABIC, region=Region.TANGER_TETOUAN_AL_HOCEIMA)
    assert services.proposals_for_case(case=tanger, viewer=nadia)[0].person == first_case.person
    assert services.proposals_for_case(case=tanger, viewer=dana) == []  # Rabat's case is outside Tanger
    read = AuditEvent.objects.filter(actor=dana, action="duplicates.read").get()
    assert read.details["candidates"] == []
    with pytest.raises(Http404):
        services.persons_link(first=first_case.person, second=tanger.person, by=dana)
    with pytest.raises(Http404):
        services.pair_mark_not_same(first=first_case.person, second=tanger.person, by=dana)


def test_only_coordinators_review_duplicates(case_manager, alice, first_case, second_case):
    from django.core.exceptions import PermissionDenied

    for user in (alice, case_manager):
        with pytest.raises(PermissionDenied):
            services.proposals_for_case(case=second_case, viewer=user)


def test_no_automatic_link_by_default(alice, first_case, second_case):
    assert not PersonLink.objects.exists()
    assert second_case.person_id != first_case.person_id


def test_an_administrator_threshold_links_automatically_audited_and_reversibly(settings, alice, nadia, first_case):
    settings.MASARAT_AUTO_LINK_SCORE = 0.9
    second = make_case(by=alice, **MOHAMED_ARABIC)
    second.refresh_from_db()
    assert second.person_id == first_case.person_id
    link = PersonLink.objects.get()
    assert link.automatic and link.linked_by is None and link.moved_case_ids == [second.pk]
    assert AuditEvent.objects.filter(action="person.link", actor=None, details__automatic=True).exists()
    services.link_undo(link=link, by=nadia)
    second.refresh_from_db()
    assert second.person_id == link.merged_id


def test_the_records_linked_into_a_person_are_exported_and_erased_with_them(bob, nadia, first_case, second_case):
    from masarat.rights.services import person_data_export, person_erase

    services.persons_link(first=first_case.person, second=second_case.person, by=bob)
    data = person_data_export(person=first_case.person, by=nadia)
    assert [record["given_name_arabic"] for record in data["linked_records"]] == ["محمد"]
    person_erase(person=first_case.person, ground="request", by=nadia, reason="Asked by the person.")
    merged = Person.objects.get(pk=second_case.person_id)
    assert (merged.given_name_arabic, merged.family_name_arabic, merged.birth_year) == ("", "", None)
    assert not PersonSearchToken.objects.filter(person=merged).exists()


@pytest.mark.parametrize(("value", "expected"), [(None, None), ("", None), ("0.95", 0.95)])
def test_the_automatic_link_threshold_is_off_unless_set(monkeypatch, value, expected):
    from masarat.env import env_probability

    monkeypatch.delenv("MASARAT_AUTO_LINK_SCORE", raising=False)
    if value is not None:
        monkeypatch.setenv("MASARAT_AUTO_LINK_SCORE", value)
    assert env_probability("MASARAT_AUTO_LINK_SCORE") == expected


@pytest.mark.parametrize("value", ["1", "0", "1.5", "high"])
def test_an_impossible_automatic_link_threshold_is_refused(monkeypatch, value):
    from masarat.env import ConfigurationError, env_probability

    monkeypatch.setenv("MASARAT_AUTO_LINK_SCORE", value)
    with pytest.raises(ConfigurationError):
        env_probability("MASARAT_AUTO_LINK_SCORE")
