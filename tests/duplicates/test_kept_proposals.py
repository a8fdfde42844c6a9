"""The possible duplicates are found when a person is referred, corrected, or checked again on request,
and kept: the case page reads them instead of comparing the person with everyone on each visit."""

from __future__ import annotations

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from masarat.audit.models import AuditEvent
from masarat.duplicates import services
from masarat.duplicates.models import DuplicateCheck, ProposedPair
from masarat.people.models import Person
from masarat.rectification import services as rectification
from masarat.rights.models import Erasure
from masarat.rights.services import person_erase
from tests.duplicates.test_services import MOHAMED, MOHAMED_ARABIC
from tests.factories import make_case
from tests.rectification.test_rectification import identity_input, version_now


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def pairs() -> list[tuple[int, int]]:
    return list(ProposedPair.objects.order_by("first_id", "second_id").values_list("first_id", "second_id"))


def no_engine():
    """Comparing anyone now fails the test: what is shown must be what was kept."""
    return mock.patch.object(services, "find_candidates", side_effect=AssertionError("compared again"))


def test_a_referral_is_checked_and_the_pair_kept_once_for_both_persons(alice, bob):
    first = make_case(by=alice, **MOHAMED)
    assert DuplicateCheck.objects.filter(person_id=first.person_id).exists() and pairs() == []
    second = make_case(by=alice, **MOHAMED_ARABIC)
    assert pairs() == [(first.person_id, second.person_id)]
    kept = ProposedPair.objects.get()
    assert kept.score > 0.9 and {reason["field"] for reason in kept.reasons} >= {"given_name", "family_name"}
    # Both pages read the kept pair: the earlier person's page shows the later one, found by its check.
    with no_engine():
        [on_first] = services.proposals_for_case(case=first, viewer=bob)
        [on_second] = services.proposals_for_case(case=second, viewer=bob)
    assert on_first.person.pk == second.person_id and on_second.person.pk == first.person_id
    assert on_first.score == on_second.score == kept.score
    assert {reason.field for reason in on_first.agreeing} >= {"given_name", "family_name", "birth_date"}


def test_a_person_never_checked_is_checked_on_the_first_visit(alice, bob):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    # As for data loaded before the duplicate check existed, or generated: nothing kept.
    ProposedPair.objects.all().delete()
    DuplicateCheck.objects.all().delete()
    [proposal] = services.proposals_for_case(case=second, viewer=bob)
    assert proposal.person.pk == first.person_id
    assert DuplicateCheck.objects.filter(person_id=second.person_id).exists() and len(pairs()) == 1
    with no_engine():  # the second visit reads what the first one found
        assert [p.person.pk for p in services.proposals_for_case(case=second, viewer=bob)] == [first.person_id]


def test_not_the_same_merged_and_erased_persons_are_no_longer_shown(alice, bob, nadia):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    third = make_case(by=alice, **{**MOHAMED, "phone": "0612345678"})
    assert len(pairs()) == 3
    services.pair_mark_not_same(first=second.person, second=third.person, by=bob)
    with no_engine():
        assert [p.person.pk for p in services.proposals_for_case(case=second, viewer=bob)] == [first.person_id]
    person_erase(person=Person.objects.get(pk=first.person_id), ground=Erasure.Ground.REQUEST, by=nadia)
    # What the engine found about the erased person (which fields agreed) is erased with them.
    assert first.person_id not in {person for pair in pairs() for person in pair}
    assert not DuplicateCheck.objects.filter(person_id=first.person_id).exists()
    with no_engine():
        assert services.proposals_for_case(case=second, viewer=bob) == []


def test_a_correction_of_the_identity_replaces_what_was_found(alice, bob, nadia):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    assert len(pairs()) == 1
    second.person.refresh_from_db()
    rectification.identity_rectify(
        case=second, data=identity_input(second, given_name_arabic="فاطمة", family_name_arabic="الزهراء",
                                         sex="female", birth_year=1971, nationalities=["SN"]),
        reason="Passport shows another person.", requested_by_person=True, by=nadia,
        expected_version=version_now(second))
    assert pairs() == []
    with no_engine():
        assert services.proposals_for_case(case=first, viewer=bob) == []


def test_check_again_from_the_case_page_finds_a_person_recorded_since(client, alice, bob, case_manager):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    ProposedPair.objects.all().delete()  # as if the second person had been recorded before the check existed
    client.force_login(bob)
    html = client.get(reverse("case", args=[first.reference]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No other person looks like this one." in html and "Compared with every other person on" in html
    response = client.post(reverse("case-duplicate-check", args=[first.reference]), HTTP_ACCEPT_LANGUAGE="en",
                           follow=True)
    html = response.content.decode()
    assert "Checked again: 1 possible duplicate." in html and second.reference in html
    assert pairs() == [(first.person_id, second.person_id)]
    assert AuditEvent.objects.filter(actor=bob, action="duplicates.check", case_reference=first.reference,
                                     details__found=1).exists()
    # Only those who review duplicates may ask; to anyone else the page does not exist.
    client.force_login(case_manager)
    assert client.post(reverse("case-duplicate-check", args=[first.reference])).status_code == 404
    client.logout()
    assert client.post(reverse("case-duplicate-check", args=[first.reference])).status_code == 302  # to log in


def test_the_api_tells_when_the_person_was_checked_and_checks_again_on_request(alice, bob, case_manager):
    from tests.api import case_url, client_for

    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    ProposedPair.objects.all().delete()
    api = client_for(bob, language="en")
    data = api.get(case_url(first.reference, "duplicates/")).json()
    assert data["candidates"] == [] and data["checked_at"] is not None
    data = api.post(case_url(first.reference, "duplicates/check/")).json()
    assert [candidate["person"] for candidate in data["candidates"]] == [second.person_id]
    assert [candidate["cases"] for candidate in data["candidates"]] == [[second.reference]]
    assert client_for(case_manager).post(case_url(first.reference, "duplicates/check/")).status_code == 404


def test_check_duplicates_compares_the_persons_never_compared_and_resumes(alice):
    from io import StringIO

    from django.core.management import call_command

    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    third = make_case(by=alice, given_name_latin="Aminata", family_name_latin="Diallo")
    ProposedPair.objects.all().delete()
    DuplicateCheck.objects.exclude(person_id=third.person_id).delete()  # the third was compared already
    output = StringIO()
    call_command("check_duplicates", "--limit", "1", stdout=output)
    assert "Done: 1 persons" in output.getvalue()
    assert set(DuplicateCheck.objects.values_list("person_id", flat=True)) == {first.person_id, third.person_id}
    with mock.patch.object(services, "person_check", wraps=services.person_check) as checked:
        call_command("check_duplicates", "--batch-size", "1", stdout=output)
    assert [call.args[0].pk for call in checked.call_args_list] == [second.person_id]  # resumed, nothing twice
    assert pairs() == [(first.person_id, second.person_id)]
    assert AuditEvent.objects.filter(action="duplicates.check_unchecked", details__checked=1).count() == 2
    call_command("check_duplicates", stdout=output)
    assert output.getvalue().endswith("Done: 0 persons compared with every other person.\n")
