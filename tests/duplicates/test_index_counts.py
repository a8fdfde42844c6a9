"""The database index's bounded block counts and cached counts of common names."""

from __future__ import annotations

import pytest

from masarat.duplicates import index
from masarat.people.models import Person, PersonSearchToken

pytestmark = pytest.mark.django_db


def _tokens(purpose: str, digest: str, persons: list) -> None:
    PersonSearchToken.objects.bulk_create(PersonSearchToken(person=person, purpose=purpose, digest=digest)
                                          for person in persons)


def test_block_sizes_count_up_to_the_cap_and_leave_out_unknown_keys() -> None:
    persons = [Person.objects.create() for _ in range(7)]
    _tokens("match:n", "big", persons)
    _tokens("match:n", "small", persons[:2])
    _tokens("match:y", "small", persons[:1])
    sizes = index.block_sizes(["match:n", "match:y"], ["big", "small", "absent"], cap=5)
    assert sizes == {("match:n", "big"): 5, ("match:n", "small"): 2, ("match:y", "small"): 1}
    assert index.block_sizes(["match:n"], ["big"], cap=50) == {("match:n", "big"): 7}


def test_only_common_name_counts_are_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index, "COMMON_NAME_COUNT", 3)
    persons = [Person.objects.create() for _ in range(4)]
    _tokens("match:given", "common", persons)
    _tokens("match:given", "rare", persons[:1])
    assert index._name_counts("match:given", ["common", "rare", "absent"]) == {"common": 4, "rare": 1}
    _tokens("match:given", "rare", persons[1:2])
    PersonSearchToken.objects.filter(digest="common").delete()
    # The common name's count is the one read minutes ago; the rare one is read again.
    assert index._name_counts("match:given", ["common", "rare"]) == {"common": 4, "rare": 2}
