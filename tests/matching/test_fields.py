"""Phones, nationalities and partial dates of birth."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from masarat.matching.fields import (
    BIRTH_CONFLICT,
    BIRTH_DIFFERENT,
    BIRTH_EXACT,
    BIRTH_NEAR,
    BIRTH_ONE_EDIT,
    BIRTH_SAME_MONTH,
    BIRTH_SAME_YEAR,
    BIRTH_SWAPPED,
    BirthParts,
    birth_level,
    nationality_code,
    normalise_phone,
    parse_birth_date,
)


@pytest.mark.parametrize("raw", ["0612345678", "06 12 34 56 78", "06-12-34-56-78", "+212 6 12 34 56 78",
                                 "00212612345678", "212612345678", "+212612345678"])
def test_moroccan_phone_forms_are_one_number(raw):
    assert normalise_phone(raw) == "+212612345678"


@pytest.mark.parametrize("raw", ["", "12", "abc", "+999 1"])
def test_invalid_phones_are_refused(raw):
    with pytest.raises(ValueError):
        normalise_phone(raw)


@given(st.text(max_size=25))
def test_phone_parsing_fails_only_with_value_error(raw):
    try:
        number = normalise_phone(raw)
    except ValueError:
        return
    assert number.startswith("+") and normalise_phone(number) == number


@pytest.mark.parametrize(("raw", "code"), [
    ("MA", "MA"), ("ma", "MA"), ("MAR", "MA"), ("Maroc", "MA"), ("Morocco", "MA"), ("المغرب", "MA"),
    ("marocaine", "MA"), ("مغربية", "MA"), ("Sénégal", "SN"), ("Senegal", "SN"), ("السنغال", "SN"),
    ("Côte d'Ivoire", "CI"), ("Algérie", "DZ"), ("Espagne", "ES"), ("Syrie", "SY"),
])
def test_nationality_names_in_three_languages(raw, code):
    assert nationality_code(raw) == code


def test_unknown_nationality_is_refused():
    with pytest.raises(ValueError):
        nationality_code("Narnia")


def test_partial_dates():
    assert parse_birth_date("1990-05-12") == BirthParts(1990, 5, 12)
    assert parse_birth_date("1990-05") == BirthParts(1990, 5)
    assert parse_birth_date("1990") == BirthParts(1990)
    assert parse_birth_date("") == BirthParts()
    for bad in ("1990-13", "1990-02-30", "12/05/1990", "90", "1990-5-12-1"):
        with pytest.raises(ValueError):
            parse_birth_date(bad)


@given(st.text(max_size=12))
def test_date_parsing_fails_only_with_value_error(raw):
    try:
        parts = parse_birth_date(raw)
    except ValueError:
        return
    assert parts.year is None or 1850 <= parts.year <= 2200


def test_birth_levels():
    full = BirthParts(1990, 5, 12)
    assert birth_level(full, BirthParts(1990, 5, 12)) == BIRTH_EXACT
    assert birth_level(full, BirthParts(1990, 12, 5)) == BIRTH_SWAPPED
    assert birth_level(full, BirthParts(1990, 5)) == BIRTH_SAME_MONTH
    assert birth_level(full, BirthParts(1990)) == BIRTH_SAME_YEAR
    assert birth_level(full, BirthParts(1991)) == BIRTH_NEAR
    assert birth_level(full, BirthParts(1995)) == BIRTH_DIFFERENT
    assert birth_level(full, BirthParts(1990, 5, 15)) == BIRTH_ONE_EDIT  # one digit of the day
    assert birth_level(full, BirthParts(1990, 5, 21)) == BIRTH_ONE_EDIT  # two digits swapped
    assert birth_level(full, BirthParts(1991, 5, 12)) == BIRTH_ONE_EDIT  # the year one off, same day
    assert birth_level(BirthParts(1989, 5, 12), BirthParts(1990, 5, 12)) == BIRTH_ONE_EDIT
    assert birth_level(full, BirthParts(1990, 8, 27)) == BIRTH_CONFLICT
    assert birth_level(full, BirthParts(1991, 6, 12)) == BIRTH_NEAR  # a relative's, not a typo
    assert birth_level(full, BirthParts()) is None
    estimated = BirthParts(estimated_age=30, estimated_in=2021)
    assert birth_level(full, estimated) == BIRTH_NEAR
    assert birth_level(BirthParts(1970), estimated) == BIRTH_DIFFERENT


@given(st.builds(BirthParts, st.none() | st.integers(1950, 2010), st.none() | st.integers(1, 12),
                 st.none() | st.integers(1, 28)),
       st.builds(BirthParts, st.none() | st.integers(1950, 2010), st.none() | st.integers(1, 12),
                 st.none() | st.integers(1, 28)))
def test_birth_level_is_symmetric(a, b):
    assert birth_level(a, b) == birth_level(b, a)
