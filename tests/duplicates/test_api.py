"""GET /cases/[reference]/duplicates/ and the answers: link, not the same, unlink; scoped; query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from masarat.cases.models import Case
from masarat.duplicates.models import NotSamePair, PersonLink
from masarat.organisations.regions import Region
from tests.api import case_url, client_for
from tests.duplicates.test_services import MOHAMED, MOHAMED_ARABIC
from tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_a_coordinator_reads_the_candidates_with_score_and_reasons(alice, bob):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    response = client_for(bob, language="en").get(case_url(second.reference, "duplicates/"))
    assert response.status_code == 200
    data = response.json()
    assert data["person"] == second.person_id and data["links"] == [] and data["other_cases"] == []
    [candidate] = data["candidates"]
    assert candidate["person"] == first.person_id and candidate["cases"] == [first.reference]
    assert candidate["given_name_latin"] == "Mohamed" and candidate["score"] > 0.9
    reasons = {reason["field"]: reason for reason in candidate["reasons"]}
    assert reasons["birth_date"]["outcome"] == "same_year" and reasons["birth_date"]["weight"] > 0
    assert reasons["birth_date"]["field_label"] == "Date of birth"


def test_link_unlink_and_not_same_through_the_api(alice, bob):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    api = client_for(bob, language="en")
    response = api.post(case_url(second.reference, "duplicates/link/"), {"person": first.person_id}, format="json")
    assert response.status_code == 201
    link = response.json()
    assert (link["kept"], link["merged"], link["moved_cases"]) == (first.person_id, second.person_id,
                                                                 [second.reference])
    assert api.get(case_url(second.reference, "duplicates/")).json()["other_cases"] == [first.reference]
    again = api.post(case_url(second.reference, "duplicates/link/"), {"person": first.person_id}, format="json")
    assert again.status_code == 404  # the case's person is now the kept one: no other person to link
    response = api.post(case_url(first.reference, f"duplicates/links/{link['id']}/unlink/"), format="json")
    assert response.status_code == 200 and response.json()["unlinked_at"]
    assert Case.objects.get(pk=second.pk).person_id == second.person_id
    twice = api.post(case_url(first.reference, f"duplicates/links/{link['id']}/unlink/"), format="json")
    assert twice.status_code == 409
    response = api.post(case_url(second.reference, "duplicates/not-same/"), {"person": first.person_id},
                        format="json")
    assert response.status_code == 201 and NotSamePair.objects.count() == 1
    assert api.get(case_url(second.reference, "duplicates/")).json()["candidates"] == []


@pytest.mark.parametrize("role", ["alice", "charlie", "dana", "case_manager", "analyst", "auditor"])
def test_others_get_nothing(request, role, alice):
    first = make_case(by=alice, **MOHAMED)
    second = make_case(by=alice, **MOHAMED_ARABIC)
    api = client_for(request.getfixturevalue(role))
    assert api.get(case_url(second.reference, "duplicates/")).status_code == 404
    link = api.post(case_url(second.reference, "duplicates/link/"), {"person": first.person_id}, format="json")
    assert link.status_code == 404 and not PersonLink.objects.exists()


def test_a_candidate_of_another_region_is_not_even_listed(alice, dana, nadia):
    make_case(by=alice, **MOHAMED)
    tanger = make_case(by=alice, **MOHAMED_ARABIC, region=Region.TANGER_TETOUAN_AL_HOCEIMA)
    assert client_for(dana).get(case_url(tanger.reference, "duplicates/")).json()["candidates"] == []
    assert len(client_for(nadia).get(case_url(tanger.reference, "duplicates/")).json()["candidates"]) == 1


def test_the_candidates_cost_the_same_queries_however_many_they_are(alice, nadia):
    """The queries do not grow with the number of candidates or of their cases."""
    target = make_case(by=alice, **MOHAMED_ARABIC)
    api = client_for(nadia)
    api.get(case_url(target.reference, "duplicates/"))  # the token's first use, the name statistics cached
    counts = []
    for _round in range(2):
        make_case(by=alice, **MOHAMED)
        make_case(by=alice, **{**MOHAMED, "phone": "+212612345678"})
        with CaptureQueriesContext(connection) as queries:
            response = api.get(case_url(target.reference, "duplicates/"))
        assert response.status_code == 200
        counts.append((len(response.json()["candidates"]), len(queries)))
    (few, few_queries), (more, more_queries) = counts
    assert more > few and more_queries == few_queries
