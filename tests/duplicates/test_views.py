"""The case page shows a coordinator the possible duplicates; link, not the same and unlink from it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from masarat.cases.models import Case
from masarat.duplicates.models import NotSamePair, PersonLink
from masarat.organisations.regions import Region
from tests.duplicates.test_services import MOHAMED, MOHAMED_ARABIC
from tests.factories import make_case


@pytest.fixture(autouse=True)
def _in_english():
    with translation.override("en"):
        yield


def page(client, user, case: Case) -> str:
    client.force_login(user)
    response = client.get(reverse("case", args=[case.reference]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def test_the_case_page_proposes_the_earlier_person_with_reasons(client, alice, bob):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    html = page(client, bob, second)
    assert "Possible duplicates" in html and "Mohamed Benali" in html and first.reference in html
    assert "Given name: " in html and "Date of birth: same year" in html


def test_link_not_same_and_unlink_from_the_case_page(client, alice, bob):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    client.force_login(bob)
    response = client.post(reverse("case-duplicate-link", args=[second.reference, first.person_id]))
    assert response.status_code == 302
    link = PersonLink.objects.get()
    html = page(client, bob, second)
    assert "Other cases of this person" in html and first.reference in html and "Undo the link" in html
    client.post(reverse("case-duplicate-unlink", args=[second.reference, link.pk]))
    second.refresh_from_db()
    assert second.person_id == link.merged_id
    client.post(reverse("case-duplicate-not-same", args=[second.reference, first.person_id]))
    assert NotSamePair.objects.count() == 1
    assert "No other person looks like this one." in page(client, bob, second)


def test_the_answers_are_refused_outside_the_coordinators_scope(client, alice, bob, dana, case_manager):
    first = make_case(by=alice, **MOHAMED)
    tanger = make_case(by=alice, **MOHAMED_ARABIC, region=Region.TANGER_TETOUAN_AL_HOCEIMA)
    html = page(client, dana, tanger)
    assert "Mohamed Benali" not in html and first.reference not in html
    for url in (reverse("case-duplicate-link", args=[tanger.reference, first.person_id]),
                reverse("case-duplicate-not-same", args=[tanger.reference, first.person_id])):
        assert client.post(url).status_code == 404
    client.force_login(bob)  # the Tanger case is not his
    assert client.post(reverse("case-duplicate-link", args=[tanger.reference, first.person_id])).status_code == 404
    assert not PersonLink.objects.exists() and not NotSamePair.objects.exists()


ROLES = ["alice", "alice_colleague", "bob", "charlie", "dana", "nadia", "assigned_case_manager",
         "service_provider", "analyst", "auditor", "administrator"]
EXPECTED = {"bob": 302, "nadia": 302, "assigned_case_manager": 403}  # everyone else: 404, the case does not exist


@pytest.fixture
def assigned_case_manager(alice, bob, case_manager):
    return case_manager


@pytest.mark.parametrize("role", ROLES)
def test_who_may_link_from_the_case_page(request, client, role, alice, bob, case_manager):
    from masarat.cases.services import case_assign_case_manager

    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    case_assign_case_manager(case=second, case_manager=case_manager, by=bob, expected_version=None)
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("case-duplicate-link", args=[second.reference, first.person_id]))
    assert response.status_code == EXPECTED.get(role, 404)
    assert PersonLink.objects.exists() == (response.status_code == 302)
