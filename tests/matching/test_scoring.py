"""The scorer, the index for the product and the clustering."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from masarat.matching.blocking import MemoryIndex, blocking_keys
from masarat.matching.compare import compare
from masarat.matching.engine import candidates_for, cluster, deduplicate
from masarat.matching.fields import BirthParts
from masarat.matching.model import data_frequencies, default_model
from masarat.matching.records import MatchRecord, prepare
from masarat.matching.similarity import jaro_winkler


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


def test_one_contradiction_does_not_keep_apart_a_record_linked_to_two_others():
    # d is linked to a and b, and contradicts c only (a wrong date on one record): links outnumber it.
    links = [(12.0, 0, 1), (11.0, 0, 2), (10.0, 1, 2), (9.0, 3, 0), (8.0, 3, 1)]
    clusters = cluster(4, links, lambda i, j: {i, j} != {2, 3})
    assert len(set(clusters)) == 1
    # With one link against one contradiction, it stays apart.
    clusters = cluster(3, [(10.0, 0, 1), (9.0, 1, 2)], lambda i, j: {i, j} != {0, 2})
    assert clusters[2] != clusters[0]


def test_clusters_join_only_if_their_pairs_agree_on_average():
    # a-b and c-d are pairs; b-c is one strong link, but a-c, a-d and b-d are unlikely.
    strong = {frozenset(pair) for pair in ((0, 1), (2, 3), (1, 2))}
    links = [(10.0, 0, 1), (10.0, 2, 3), (9.0, 1, 2)]

    def probability(i: int, j: int) -> float:
        return 0.99 if frozenset((i, j)) in strong else 0.05

    clusters = cluster(4, links, lambda i, j: True, probability=probability, threshold=0.6)
    assert clusters == [0, 0, 2, 2]
    assert len(set(cluster(4, links, lambda i, j: True))) == 1  # without the check, one chain


def test_a_mistyped_document_lifts_the_rule_on_years_of_birth_when_the_given_names_agree():
    a = person("a", "Claudia", "Crouch", birth=BirthParts(1971, 1, 21), document_number="9364233",
               address="103 torrens street burwood")
    b = person("b", "Claudia", "Crouch", birth=BirthParts(1916, 4, 29), document_number="9364323",
               address="103 torrens street burwood")
    assert score(a, b).is_match
    other = person("c", "Hannah", "Crouch", birth=BirthParts(1916, 4, 29), document_number="9364323",
                   address="103 torrens street burwood")
    assert not score(a, other).is_match  # another given name as well: a relative


def test_sorted_neighbourhood_finds_a_typo_in_a_block_too_large():
    index = MemoryIndex()
    for number in range(40):  # forty Alaoui: the block of the name alone is too large to compare
        index.add(prepare(person(f"r{number}", f"Name{chr(97 + number % 26)}{number}", "Alaoui")))
    index.add(prepare(person("x1", "Zineddine", "Alaoui")))
    index.add(prepare(person("x2", "Zinedine", "Alaoui")))
    pairs = {frozenset(pair) for pair in index.neighbour_pairs(4, reversed_window=0)}
    assert frozenset(("x1", "x2")) in pairs
    assert len(pairs) < 42 * 3 + 1  # a few neighbours each, not every pair
    assert len({frozenset(pair) for pair in index.neighbour_pairs(4)}) < 42 * 4 + 1  # one more in the second pass


def test_the_second_sorted_pass_finds_a_typo_in_the_first_letter():
    index = MemoryIndex()
    for number in range(40):
        index.add(prepare(person(f"r{number}", f"{chr(97 + number % 26)}ame{number}", "Alaoui")))
    index.add(prepare(person("x1", "Aifha", "Alaoui")))
    index.add(prepare(person("x2", "Zaifha", "Alaoui")))
    # Read forwards, "Aifha" and "Zaifha" are at both ends of the block; read backwards they are neighbours.
    assert frozenset(("x1", "x2")) not in {frozenset(p) for p in index.neighbour_pairs(4, reversed_window=0)}
    assert frozenset(("x1", "x2")) in {frozenset(p) for p in index.neighbour_pairs(0, reversed_window=2)}


def test_a_name_and_the_year_alone_meet_in_a_small_block():
    a = prepare(person("a", "Ahmed", "Ould Habib", birth=BirthParts(1987, 8, 20)))
    b = prepare(person("b", "Amhed", "Ould Habib", birth=BirthParts(1987)))
    shared = blocking_keys(a) & blocking_keys(b)
    assert any(key.startswith("z:") for key in shared)
    assert not any(key.startswith("y:") for key in shared)  # the initials of the other name differ


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


@settings(max_examples=80, deadline=None)
@given(NAMES, NAMES, NAMES, NAMES, st.fixed_dictionaries({}, optional=FIELD_VALUES),
       st.fixed_dictionaries({}, optional=FIELD_VALUES))
def test_the_batch_weight_is_the_explained_weight(g1, f1, g2, f2, fields_a, fields_b):
    # The batch adds up weights cached per pattern of levels; it must give what the explanation shows.
    records = [person("a", g1, f1, **fields_a), person("b", g2, f2, **fields_b),
               person("c", g1, f2, **fields_b), person("d", "Youssef", "Tazi")]
    features = [prepare(r) for r in records]
    model = default_model().with_frequencies(data_frequencies(features))
    for a in features:
        for b in features:
            comparison = compare(a, b)
            assert abs(model.match_weight(a, b, comparison) - model.score(a, b, comparison).weight) < 1e-9


def test_jaro_winkler():
    assert jaro_winkler("martha", "marhta") > 0.96
    assert jaro_winkler("", "") == 0.0 and jaro_winkler("abc", "abc") == 1.0
    assert jaro_winkler("abc", "xyz") == 0.0
    assert jaro_winkler("dixon", "dicksonx") == jaro_winkler("dicksonx", "dixon")


def test_a_sex_implied_by_the_given_names_adds_nothing():
    a = person("a", "Fatima", "Zerhouni", sex="f", birth=BirthParts(1985), nationality="MA")
    b = person("b", "Fatima", "Zerhouni", sex="f", birth=BirthParts(1985), nationality="MA")
    weights = {reason.field: reason.weight for reason in score(a, b).reasons}
    assert weights["sex"] == 0 and weights["nationality"] > 0
    # Without a given name on one side, the sex is evidence again.
    c = person("c", "", "Zerhouni", sex="f", birth=BirthParts(1985), nationality="MA")
    assert {r.field: r.weight for r in score(a, c).reasons}["sex"] > 0
    # The batch's cached weights follow the same rule.
    d = person("d", "Fatma", "Zerhouny", sex="f", birth=BirthParts(1985), nationality="MA")
    fa, fd = prepare(a), prepare(d)
    model = default_model()
    assert abs(model.match_weight(fa, fd, compare(fa, fd)) - model.score(fa, fd).weight) < 1e-9


def test_a_name_frequency_leaves_the_record_itself_out():
    from masarat.matching.model import frequency_table

    table = frequency_table(["a", "a", "b", "c", "c", "c"])
    assert table.of("a") == 1 / 6 and table.of("c") == 2 / 6  # the other records with that name
    assert table.of("b") == 0.5 / 6 and table.of("zzz") == 0.0
    assert table.expected == (2 + 6) / 36  # ordered pairs of two distinct records sharing a name


def test_typos_bridge_the_scripts_but_length_keeps_names_apart():
    from masarat.matching.names import NAME_CLOSE, NAME_DIFFERENT, name_level, name_tokens

    def level(a: str, b: str) -> int | None:
        return name_level(name_tokens(a), name_tokens(b))

    assert level("مضيم", "Meryem") == NAME_CLOSE  # one letter mistyped in Arabic
    assert level("Zidedine", "زين الدين") == NAME_CLOSE
    assert level("Zinedine", "زين السدين") == NAME_CLOSE  # a compound split by a typo
    assert level("عدالله", "عبد الوهاب") == NAME_DIFFERENT  # alike beginnings, lengths far apart


def test_latin_words_in_an_address_written_in_arabic_are_read_as_in_a_latin_one():
    from masarat.matching.compare import _address_level
    from masarat.matching.records import address_tokens

    arabic, latin = address_tokens("186 شارع Ibn Sina، الرباط"), address_tokens("186 N° Ibn Sina, Rabat")
    assert arabic == latin and _address_level(arabic, latin) == 2


def test_two_known_names_one_typo_apart_are_two_names_unless_born_the_same_month():
    # "Hmmad" is a spelling of Ahmad, one letter from Hamad: with the same full date of birth, a typo.
    a = person("a", "Hmmad", "Chizai", sex="m", birth=BirthParts(2012, 11, 14), nationality="GN")
    b = person("b", "Hamad", "Chizai", sex="m", birth=BirthParts(2012, 11, 14), nationality="GN")
    assert score(a, b).is_match and score(a, b).probability > 0.5
    # Born in other months, or with no date to tell: two brothers, as for any two different names.
    assert not score(a, person("c", "Hamad", "Chizai", sex="m", birth=BirthParts(2012, 3, 2))).is_match
    assert not score(person("d", "Said", "Jabri"), person("e", "Saad", "Jabri")).is_match
    # Names further apart stay two names of the table whatever the date.
    hassan = person("f", "Hassan", "Chizai", sex="m", birth=BirthParts(2012, 11, 14))
    assert not score(hassan, person("g", "Houssine", "Chizai", sex="m", birth=BirthParts(2012, 11, 14))).is_match


def test_the_same_document_and_date_of_birth_outweigh_names_written_differently():
    a = person("a", "Alexander", "Green", birth=BirthParts(1986, 6, 6), document_number="9374843")
    b = person("b", "Green", "Tarnia", birth=BirthParts(1986, 6, 6), document_number="9374843")
    assert score(a, b).is_match and score(a, b).probability > 0.9
    names = {reason.field: reason.weight for reason in score(a, b).reasons}
    assert names["given_name"] == 0 and names["family_name"] == 0
    # The same document with another date of birth: the names' difference counts again.
    c = person("c", "Green", "Tarnia", birth=BirthParts(1957, 2, 3), document_number="9374843")
    assert {reason.field: reason.weight for reason in score(a, c).reasons}["given_name"] < 0
    # The same date alone proves nothing of the kind.
    d = person("d", "Green", "Tarnia", birth=BirthParts(1986, 6, 6))
    assert score(a, d).probability < 0.5


def test_a_particle_and_a_name_do_not_sound_like_a_single_name_of_two_consonants():
    from masarat.matching.names import NAME_DIFFERENT, NAME_EXACT, name_level, name_tokens

    assert name_level(name_tokens("آيت عزيز"), name_tokens("Tazi")) == NAME_DIFFERENT
    assert name_level(name_tokens("آيت عزيز"), name_tokens("Ait Aziz")) == NAME_EXACT
    assert name_level(name_tokens("بن علي"), name_tokens("Benali")) == NAME_EXACT


def test_records_with_both_names_mistyped_meet_by_their_address():
    a = prepare(person("a", "NASLSR", "Srsatoui", birth=BirthParts(1950), address="107 Bd Al Massira, Rabat"))
    b = prepare(person("b", "نصر", "ساتوي", birth=BirthParts(1950, 6), address="107 شارع Al Massira، الرباط"))
    assert any(key.startswith("a:") for key in blocking_keys(a) & blocking_keys(b))
    neighbour = prepare(person("c", "Nasr", "Satoui", address="108 Bd Al Massira, Rabat"))
    assert not any(key.startswith("a:") for key in blocking_keys(a) & blocking_keys(neighbour))


def test_two_consonants_alone_do_not_make_two_names_sound_alike():
    from masarat.matching.names import NAME_DIFFERENT, NAME_SOUND, name_level, name_tokens

    # "Bounii" and بناني (Bennani) share only "bn"; "Toutoui" and تووتي are one rare name in two scripts.
    assert name_level(name_tokens("Bounii"), name_tokens("بناني")) == NAME_DIFFERENT
    assert name_level(name_tokens("Toutoui"), name_tokens("تووتي")) == NAME_SOUND
    assert name_level(name_tokens("Hazai"), name_tokens("هازاي")) == NAME_SOUND


def test_a_latin_typo_is_read_on_the_name_as_typed():
    from masarat.matching.names import NAME_CLOSE, NAME_DIFFERENT, name_level, name_tokens

    def level(a: str, b: str) -> int | None:
        return name_level(name_tokens(a), name_tokens(b))

    # "Aifha": one letter from "Aisha" as typed, two in the phonetic key ("aifha" / "aiSa").
    assert level("Aifha", "عايشة") == NAME_CLOSE and level("Aifha", "Ayesha") == NAME_CLOSE
    assert level("Hciham", "هشام") == NAME_CLOSE  # two letters swapped
    assert level("Mohamed", "Mahmoud") == NAME_DIFFERENT and level("Hassan", "Houssine") == NAME_DIFFERENT


def test_a_rare_nationality_shared_weighs_more_than_the_most_common_one():
    records = [person(f"m{i}", f"Name{i}", "Alaoui", nationality="MA") for i in range(40)] + [
        person(f"g{i}", f"Other{i}", "Diallo", nationality="GN") for i in range(3)]
    features = [prepare(r) for r in records]
    model = default_model().with_frequencies(data_frequencies(features))

    def nationality_weight(a: MatchRecord, b: MatchRecord) -> float:
        return {r.field: r.weight for r in model.score(prepare(a), prepare(b)).reasons}["nationality"]

    guinea = nationality_weight(person("a", "Sekou", "Diallo", nationality="GN"),
                                person("b", "Sekou", "Diallo", nationality="GN"))
    morocco = nationality_weight(person("c", "Sekou", "Diallo", nationality="MA"),
                                 person("d", "Sekou", "Diallo", nationality="MA"))
    assert guinea > morocco >= 0
    # Without counts (the product's check of one referral), the trained weight alone.
    plain = {r.field: r.weight for r in score(person("a", "Sekou", "Diallo", nationality="GN"),
                                              person("b", "Sekou", "Diallo", nationality="GN")).reasons}
    assert 0 < plain["nationality"] < guinea


def test_full_dates_of_the_same_year_that_disagree_weigh_against_a_pair():
    a = person("a", "Fatima", "Mouwai", sex="f", birth=BirthParts(2012, 7, 3), nationality="GN")
    b = person("b", "Fatima", "Mouwai", sex="f", birth=BirthParts(2012, 6, 4), nationality="GN")
    c = person("c", "Fatima", "Mouwai", sex="f", birth=BirthParts(2012), nationality="GN")
    conflicting = {r.field: r.weight for r in score(a, b).reasons}["birth_date"]
    same_year = {r.field: r.weight for r in score(a, c).reasons}["birth_date"]
    assert conflicting < 0 < same_year
    assert score(a, b).weight < score(a, c).weight
