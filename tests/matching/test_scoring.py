"""The scorer, the index for the product and the clustering."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from masarat.matching.blocking import MemoryIndex
from masarat.matching.engine import candidates_for, cluster, deduplicate
from masarat.matching.fields import BirthParts
from masarat.matching.model import default_model
from masarat.matching.records import MatchRecord, prepare


def person(record_id: str, given: str, family: str, **fields) -> MatchRecord:
    return MatchRecord(record_id=record_id, given_names=(given,), family_names=(family,), **fields)


MOHAMED = person("police-1", "محمد", "بن علي", sex="m", birth=BirthParts(1990, 5, 12), nationality="MA",
                 phone="+212612345678")


def score(a: MatchRecord, b: MatchRecord):
    return default_model().score(prepare(a), prepare(b))


def test_the_same_man_in_three_agencies_and_two_scripts():
    ngo = person("ngo-7", "Mohamed", "Benali", sex="m", birth=BirthParts(1990), nationality="MA")
    hospital = person("hospital-3", "Muhammad", "Ben Ali", birth=BirthParts(1990, 12, 5), phone="+212612345678")
    for other in (ngo, hospital):
        result = score(MOHAMED, other)
        assert result.is_match and result.probability > 0.9
    explained = {reason.field: reason.outcome for reason in score(MOHAMED, hospital).reasons}
    assert explained["given_name"] == "exact" and explained["birth_date"] == "swapped"


def test_swapped_name_fields_still_match():
    swapped = person("ngo-8", "Benali", "Mohamed", sex="m", birth=BirthParts(1990, 5, 12), nationality="MA")
    result = score(MOHAMED, swapped)
    assert result.swapped and result.is_match and result.probability > 0.9


def test_relatives_sharing_family_name_phone_and_address_are_not_merged():
    address = "12 Rue Atlas, Rabat"
    father = person("a", "Mohamed", "Benali", sex="m", birth=BirthParts(1965, 3, 1), phone="+212612345678",
                    address=address, nationality="MA")
    daughter = person("b", "Fatima", "Benali", sex="f", birth=BirthParts(1995, 7, 9), phone="+212612345678",
                      address=address, nationality="MA")
    son = person("c", "Mohamed", "Benali", sex="m", birth=BirthParts(1992), phone="+212612345678",
                 address=address, nationality="MA")
    assert not score(father, daughter).is_match
    assert not score(father, son).is_match
    clusters = deduplicate([father, daughter, son]).clusters
    assert len(set(clusters.values())) == 3


def test_mohamed_and_mahmoud_are_not_the_same_person():
    mahmoud = person("x", "Mahmoud", "Benali", sex="m", birth=BirthParts(1990, 5, 12), nationality="MA")
    assert not score(MOHAMED, mahmoud).is_match


def test_a_rare_name_weighs_more_than_a_common_one():
    records = [person(f"r{i}", "Mohamed", "Alaoui") for i in range(30)] + [
        person("rare-1", "Mohamed", "Zerhouni"), person("rare-2", "Mohamed", "Zerhouni")]
    index = MemoryIndex()
    for record in records:
        index.add(prepare(record))
    common = candidates_for(person("q1", "Mohamed", "Alaoui"), index, threshold=0.0, limit=100)
    rare = candidates_for(person("q2", "Mohamed", "Zerhouni"), index, threshold=0.0)
    assert rare[0].record_id.startswith("rare") and rare[0].weight > max(c.weight for c in common)


def test_candidates_for_uses_only_hashed_keys():
    seen: list[str] = []

    def hasher(key: str) -> str:
        seen.append(key)
        return "h" + str(abs(hash(("secret", key))))

    index = MemoryIndex(hasher=hasher)
    index.add(prepare(MOHAMED))
    index.add(prepare(person("other", "Khadija", "Tazi", birth=BirthParts(1980))))
    found = candidates_for(person("new", "Mohamed", "Benali", birth=BirthParts(1990, 5)), index)
    assert [c.record_id for c in found] == ["police-1"]
    assert found[0].reasons and found[0].score > 0.5
    assert all(key.startswith("h") for key in index._by_key)  # nothing in clear in the index
    assert seen


def test_clustering_refuses_a_chain_through_a_contradiction():
    # a~b and b~c are strong links, but a and c contradict each other: c stays apart.
    clusters = cluster(3, [(10.0, 0, 1), (9.0, 1, 2)], lambda i, j: {i, j} != {0, 2})
    assert clusters[0] == clusters[1] != clusters[2]


FIELD_VALUES = {
    "sex": st.sampled_from(["m", "f"]),
    "birth": st.builds(BirthParts, st.integers(1960, 2005), st.none() | st.integers(1, 12),
                       st.none() | st.integers(1, 28)),
    "nationality": st.sampled_from(["MA", "SN", "DZ"]),
    "phone": st.sampled_from(["+212612345678", "+212700000001"]),
    "document_number": st.sampled_from(["AB123456", "CD999999"]),
    "address": st.sampled_from(["12 Rue Atlas Rabat", "3 Avenue Hassan II Fes"]),
}
NAMES = st.sampled_from(["Mohamed", "محمد", "Youssef", "Fatima", "فاطمة", "Benali", "بن علي", "Alaoui", "Tazi"])


@settings(max_examples=60, deadline=None)
@given(NAMES, NAMES, NAMES, NAMES, st.fixed_dictionaries({}, optional=FIELD_VALUES),
       st.fixed_dictionaries({}, optional=FIELD_VALUES))
def test_score_is_symmetric(g1, f1, g2, f2, fields_a, fields_b):
    a, b = person("a", g1, f1, **fields_a), person("b", g2, f2, **fields_b)
    assert abs(score(a, b).weight - score(b, a).weight) < 1e-9


@settings(max_examples=60, deadline=None)
@given(NAMES, NAMES, st.fixed_dictionaries({}, optional=FIELD_VALUES), st.data())
def test_adding_an_agreeing_field_never_lowers_the_score(given_name, family, fields, data):
    missing = sorted(set(FIELD_VALUES) - set(fields))
    assume(missing)
    extra = data.draw(st.sampled_from(missing))
    value = data.draw(FIELD_VALUES[extra])
    a = person("a", given_name, family, **fields)
    b = person("b", given_name, family, **fields)
    without = score(a, b).weight
    a2 = person("a", given_name, family, **{**fields, extra: value})
    b2 = person("b", given_name, family, **{**fields, extra: value})
    assert score(a2, b2).weight >= without - 1e-9
