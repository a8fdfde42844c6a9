from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from masarat.people.ages import BirthDate, age_band, is_child

REFERRAL_DAY = date(2026, 11, 29)


def test_full_date_of_birth():
    assert is_child(BirthDate(2008, 11, 30), REFERRAL_DAY) is True
    assert is_child(BirthDate(2008, 11, 29), REFERRAL_DAY) is False


def test_minority_is_presumed_while_the_person_may_be_under_18():
    assert is_child(BirthDate(2008), REFERRAL_DAY) is True  # may be born 31 December 2008
    assert is_child(BirthDate(2008, 11), REFERRAL_DAY) is True  # may be born 30 November
    assert is_child(BirthDate(2008, 10), REFERRAL_DAY) is False
    assert is_child(BirthDate(2008, 12), REFERRAL_DAY) is True
    assert is_child(BirthDate(2007), REFERRAL_DAY) is False


def test_estimated_age_counts_from_when_it_was_estimated():
    assert is_child(BirthDate(estimated_age=17, estimated_on=REFERRAL_DAY), REFERRAL_DAY) is True
    assert is_child(BirthDate(estimated_age=17, estimated_on=date(2024, 1, 1)), REFERRAL_DAY) is False


def test_unknown_age_is_not_guessed():
    assert is_child(BirthDate(), REFERRAL_DAY) is None


def test_ctdc_age_bands():
    assert [age_band(age) for age in (0, 8, 9, 17, 18, 30, 47, 48, 90)] == [
        "0--8", "0--8", "9--17", "9--17", "18--20", "30--38", "39--47", "48+", "48+"]
    assert age_band(None) == ""


@given(st.dates(min_value=date(1920, 1, 1), max_value=REFERRAL_DAY))
def test_a_less_precise_date_never_makes_a_child_an_adult(birthday):
    full = is_child(BirthDate(birthday.year, birthday.month, birthday.day), REFERRAL_DAY)
    month = is_child(BirthDate(birthday.year, birthday.month), REFERRAL_DAY)
    year = is_child(BirthDate(birthday.year), REFERRAL_DAY)
    assert full <= month <= year


def test_a_birth_this_year_is_age_zero_not_negative():
    assert BirthDate(2026).youngest_age_on(REFERRAL_DAY) == 0
    assert BirthDate(2026, 11).youngest_age_on(REFERRAL_DAY) == 0
